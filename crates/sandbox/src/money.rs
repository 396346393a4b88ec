//! Money as the sandbox keeps it: integer cents, read from requests and written in answers
//! the way the imitated services do. Its own parser, on purpose: it must not share a bug
//! with the client's.

use serde_json::Value;

/// An amount in cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

impl Cents {
    /// `121.00`, `-0.05`: what Moneybird accepts and the contract's rows use.
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// An amount in a request: a JSON number or string of digits with at most two
    /// decimals after a `.` (or Moneybird's `,`). Anything else is no amount.
    pub fn from_request(value: &Value) -> Option<Cents> {
        let text = match value {
            Value::String(text) => text.trim().to_string(),
            Value::Number(number) => number.to_string(),
            _ => return None,
        };
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (whole, fraction) = digits.split_once(['.', ',']).unwrap_or((digits, ""));
        let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 2 {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
        let cents = whole.checked_mul(100)?.checked_add(fraction)?;
        Some(Cents(if negative { -cents } else { cents }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_amounts_as_moneybird_takes_them() {
        let read = |text: &str| Cents::from_request(&serde_json::from_str(text).unwrap());
        assert_eq!(read("\"16.10\""), Some(Cents(1610)));
        assert_eq!(read("\"16.1\""), Some(Cents(1610)));
        assert_eq!(read("\"10,95\""), Some(Cents(1095)));
        assert_eq!(read("\"-363.0\""), Some(Cents(-36300)));
        assert_eq!(read("121"), Some(Cents(12100)));
        assert_eq!(read("\"1.005\""), None);
        assert_eq!(read("\"abc\""), None);
        assert_eq!(read("\".5\""), None);
        assert_eq!(read("null"), None);
    }

    #[test]
    fn writes_two_decimals() {
        assert_eq!(Cents(12100).to_decimal_string(), "121.00");
        assert_eq!(Cents(-5).to_decimal_string(), "-0.05");
    }
}
