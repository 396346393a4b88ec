//! Money as integer cents. Decimals only appear at the API edges, where they are parsed
//! exactly (never through `f64`) and formatted with exactly two decimals.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

/// An amount in cents of whatever currency it travels with. Serialised as the integer, for
/// the local cache only; the APIs get [`Cents::to_decimal_string`].
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cents(pub i64);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MoneyError {
    #[error("`{0}` is not an amount")]
    NotANumber(String),
    #[error("`{0}` has more than two decimals")]
    SubCent(String),
    #[error("`{0}` is too large")]
    TooLarge(String),
}

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// Parses a decimal as the APIs write it: `121`, `121.0`, `28.2`, `-5.50`, or Moneybird's
    /// comma form `10,95`. Anything finer than a cent is refused rather than rounded.
    pub fn parse_decimal(text: &str) -> Result<Cents, MoneyError> {
        let trimmed = text.trim();
        let normalized = trimmed.replace(',', ".");
        let value = Decimal::from_str_exact(&normalized)
            .or_else(|_| Decimal::from_str(&normalized))
            .map_err(|_| MoneyError::NotANumber(trimmed.to_string()))?;
        let cents = value
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or_else(|| MoneyError::TooLarge(trimmed.to_string()))?;
        if cents.fract() != Decimal::ZERO {
            return Err(MoneyError::SubCent(trimmed.to_string()));
        }
        cents
            .to_i64()
            .map(Cents)
            .ok_or_else(|| MoneyError::TooLarge(trimmed.to_string()))
    }

    /// Reads an amount that may come as a JSON number (CCV) or a string (Moneybird). A value
    /// within 0.000001 of a whole cent is that cent: a sender that went through `f64` writes
    /// `10.249999999999998` for 10.25. Anything else finer than a cent is refused.
    pub fn from_json(value: &serde_json::Value) -> Result<Cents, MoneyError> {
        let text = match value {
            serde_json::Value::Number(number) => number.to_string(),
            serde_json::Value::String(text) => text.clone(),
            other => return Err(MoneyError::NotANumber(other.to_string())),
        };
        let trimmed = text.trim();
        let normalized = trimmed.replace(',', ".");
        let value = Decimal::from_str_exact(&normalized)
            .or_else(|_| Decimal::from_str(&normalized))
            .or_else(|_| Decimal::from_scientific(&normalized))
            .map_err(|_| MoneyError::NotANumber(trimmed.to_string()))?;
        // Checked: `1e27` is a decimal, but a hundred times it is not.
        let cents = value
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or_else(|| MoneyError::TooLarge(trimmed.to_string()))?;
        let whole = cents.round();
        // 0.000001 of a unit is 0.0001 of a cent.
        if (cents - whole).abs() > Decimal::new(1, 4) {
            return Err(MoneyError::SubCent(trimmed.to_string()));
        }
        whole
            .to_i64()
            .map(Cents)
            .ok_or_else(|| MoneyError::TooLarge(trimmed.to_string()))
    }

    /// The form both APIs accept in requests and the contract's JSON rows use: `121.00`.
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// As a bookkeeper writes it, in its own currency: `€ 1.234,56`, `£ 196,00`,
    /// `CHF 12,50`. Never a euro sign on another currency.
    pub fn display_in(self, currency: &str) -> String {
        let euros = self.to_euro_display();
        let symbol = match currency.to_ascii_uppercase().as_str() {
            "EUR" | "" => return euros,
            "GBP" => "£".to_string(),
            "USD" => "$".to_string(),
            other => other.to_string(),
        };
        euros.replacen('€', &symbol, 1)
    }

    /// Dutch display form for people: `€ 1.234,56`.
    pub fn to_euro_display(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::new();
        for (index, digit) in whole.chars().enumerate() {
            if index > 0 && (whole.len() - index).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(digit);
        }
        format!("{sign}€ {grouped},{:02}", abs % 100)
    }

    pub fn checked_sub(self, other: Cents) -> Option<Cents> {
        self.0.checked_sub(other.0).map(Cents)
    }

    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }
}

// Arithmetic on money saturates instead of wrapping or panicking: amounts that reach this
// far are refused at the edges (CCV's above 1,000,000,000 are unreadable), so saturation
// only ever meets a hostile answer, and then it must cost a wrong figure in one row, never
// a run that panics every hour.
impl std::ops::Add for Cents {
    type Output = Cents;

    fn add(self, other: Cents) -> Cents {
        Cents(self.0.saturating_add(other.0))
    }
}

impl std::ops::Sub for Cents {
    type Output = Cents;

    fn sub(self, other: Cents) -> Cents {
        Cents(self.0.saturating_sub(other.0))
    }
}

impl std::ops::AddAssign for Cents {
    fn add_assign(&mut self, other: Cents) {
        *self = *self + other;
    }
}

impl std::ops::Neg for Cents {
    type Output = Cents;

    fn neg(self) -> Cents {
        Cents(self.0.saturating_neg())
    }
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        iter.fold(Cents::ZERO, |sum, cents| sum + cents)
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_api_amounts_exactly() {
        assert_eq!(Cents::parse_decimal("121.0"), Ok(Cents(12100)));
        assert_eq!(Cents::parse_decimal("28.2"), Ok(Cents(2820)));
        assert_eq!(Cents::parse_decimal("10,95"), Ok(Cents(1095)));
        assert_eq!(Cents::parse_decimal("-363.0"), Ok(Cents(-36300)));
        assert_eq!(Cents::parse_decimal("0.1"), Ok(Cents(10)));
        assert!(matches!(
            Cents::parse_decimal("1.005"),
            Err(MoneyError::SubCent(_))
        ));
        assert!(matches!(
            Cents::parse_decimal("abc"),
            Err(MoneyError::NotANumber(_))
        ));
    }

    #[test]
    fn json_numbers_keep_their_exact_text() {
        let value: serde_json::Value = serde_json::from_str("[0.29, 1234567.89]").unwrap();
        assert_eq!(Cents::from_json(&value[0]), Ok(Cents(29)));
        assert_eq!(Cents::from_json(&value[1]), Ok(Cents(123456789)));
    }

    #[test]
    fn float_noise_is_the_nearest_cent_and_real_fractions_are_refused() {
        let value: serde_json::Value =
            serde_json::from_str("[10.249999999999998, 16.150000000000002, 1.005, 10.25001, 1e2]")
                .unwrap();
        assert_eq!(Cents::from_json(&value[0]), Ok(Cents(1025)));
        assert_eq!(Cents::from_json(&value[1]), Ok(Cents(1615)));
        assert!(matches!(
            Cents::from_json(&value[2]),
            Err(MoneyError::SubCent(_))
        ));
        assert!(matches!(
            Cents::from_json(&value[3]),
            Err(MoneyError::SubCent(_))
        ));
        assert_eq!(Cents::from_json(&value[4]), Ok(Cents(10000)));
    }

    #[test]
    fn sums_saturate_instead_of_wrapping() {
        assert_eq!(Cents(i64::MAX) + Cents(1), Cents(i64::MAX));
        assert_eq!(Cents(i64::MIN) - Cents(1), Cents(i64::MIN));
        assert_eq!(-Cents(i64::MIN), Cents(i64::MAX));
        assert_eq!(
            [Cents(i64::MAX), Cents(5), Cents(-5)]
                .into_iter()
                .sum::<Cents>(),
            Cents(i64::MAX - 5)
        );
        assert_eq!(
            [Cents(250), Cents(-50)].into_iter().sum::<Cents>(),
            Cents(200)
        );
    }

    #[test]
    fn amounts_of_any_size_are_refused_not_a_panic() {
        // Unchecked, a hundred times 1e27 overflows the decimal and panics every run.
        let value: serde_json::Value = serde_json::from_str(
            r#"[1e27, -1e27, 7.9e28, 1e400, 79228162514264337593543950335, "NaN", "Infinity", "-inf", "1e27"]"#,
        )
        .unwrap();
        for amount in value.as_array().unwrap() {
            assert!(Cents::from_json(amount).is_err(), "{amount}");
        }
        assert!(Cents::parse_decimal("79228162514264337593543950335").is_err());
        assert!(Cents::parse_decimal("792281625142643375935439503.35").is_err());
    }

    #[test]
    fn formats_for_apis_and_people() {
        assert_eq!(Cents(12100).to_decimal_string(), "121.00");
        assert_eq!(Cents(-5).to_decimal_string(), "-0.05");
        assert_eq!(Cents(123456).to_euro_display(), "€ 1.234,56");
        assert_eq!(Cents(99).to_euro_display(), "€ 0,99");
        assert_eq!(Cents(100000000).to_euro_display(), "€ 1.000.000,00");
        assert_eq!(Cents(19600).display_in("GBP"), "£ 196,00");
        assert_eq!(Cents(-1250).display_in("chf"), "-CHF 12,50");
        assert_eq!(Cents(10771).display_in("EUR"), "€ 107,71");
    }
}
