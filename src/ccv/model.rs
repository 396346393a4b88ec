//! CCV transactions as this tool needs them, parsed leniently from the JSON CCV sends.
//! The raw object is kept whole for `info` and `report`.

use serde_json::Value;

use crate::money::{Cents, MoneyError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Pending,
    Success,
    Failed,
    ManualIntervention,
    Other(String),
}

impl Status {
    pub fn parse(text: &str) -> Status {
        match text.to_ascii_lowercase().as_str() {
            "pending" => Status::Pending,
            "success" => Status::Success,
            "failed" => Status::Failed,
            "manualintervention" => Status::ManualIntervention,
            other => Status::Other(other.to_string()),
        }
    }

    /// A status as a person reads it, in their language; scripts read [`Status::as_str`].
    pub fn words(status: &str) -> crate::i18n::Message {
        match Status::parse(status) {
            Status::Pending => msg!("ccv-state-pending"),
            Status::Success => msg!("ccv-state-success"),
            Status::Failed => msg!("ccv-state-failed"),
            Status::ManualIntervention => msg!("ccv-state-manual-intervention"),
            Status::Other(other) => crate::i18n::Message::verbatim(&other),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Status::Pending => "pending",
            Status::Success => "success",
            Status::Failed => "failed",
            Status::ManualIntervention => "manualintervention",
            Status::Other(text) => text,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Transaction {
    pub reference: String,
    /// CCV's `type`: `sale`, `capture`, `refund`, `authorise`, …
    pub kind: String,
    pub status: Status,
    pub amount: Cents,
    /// Upper case, as Moneybird writes it; CCV sends lower case.
    pub currency: String,
    pub method: Option<String>,
    pub merchant_order_reference: Option<String>,
    pub description: Option<String>,
    pub created_ms: i64,
    pub last_update_ms: Option<i64>,
    pub status_final_ms: Option<i64>,
    pub failure_code: Option<String>,
    pub original_reference: Option<String>,
    pub child_reference: Option<String>,
    /// The payout its money left CCV in, once it is paid out.
    pub payout: Option<Payout>,
    pub raw: Value,
}

/// One transfer of CCV to the merchant's bank, as a transaction names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payout {
    /// `paidoutReference`.
    pub reference: String,
    /// `unstructuredReference`: the text on the bank transfer.
    pub remittance: Option<String>,
    /// `paidoutDate`, in whichever of the plausible forms it comes.
    pub date: Option<chrono::NaiveDate>,
}

/// `paidoutDate`'s form is not documented (docs/ccv-api.md §3): epoch milliseconds like every
/// other CCV time, or a day as text (ISO, with a time, or as the Dutch write it).
pub fn payout_date(value: &Value) -> Option<chrono::NaiveDate> {
    use chrono::NaiveDate;
    let amsterdam = |epoch_ms: i64| {
        chrono::DateTime::from_timestamp_millis(epoch_ms)
            .map(|at| at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive())
    };
    match value {
        Value::Number(number) => amsterdam(number.to_string().parse().ok()?),
        Value::String(text) => {
            let text = text.trim();
            if let Ok(epoch_ms) = text.parse::<i64>()
                && text.len() > 8
            {
                return amsterdam(epoch_ms);
            }
            chrono::DateTime::parse_from_rfc3339(text)
                .map(|at| at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive())
                .ok()
                .or_else(|| {
                    [
                        "%Y-%m-%d",
                        "%Y%m%d",
                        "%d-%m-%Y",
                        "%d/%m/%Y",
                        "%Y-%m-%dT%H:%M:%S",
                    ]
                    .iter()
                    .find_map(|format| {
                        NaiveDate::parse_from_str(text, format).ok().or_else(|| {
                            chrono::NaiveDateTime::parse_from_str(text, format)
                                .ok()
                                .map(|at| at.date())
                        })
                    })
                })
        }
        _ => None,
    }
}

/// A transaction CCV sent that cannot be read: what could be read of it, why the rest could
/// not, and the object as it came (for `info` and `report`).
#[derive(Clone, Debug)]
pub struct Unreadable {
    pub reference: Option<String>,
    pub created_ms: Option<i64>,
    /// False only when its `type` says plainly that it is no payment (a refund, say).
    pub may_be_payment: bool,
    /// Boxed: a list answer holds many reads, most of them readable.
    pub reason: Box<crate::i18n::Message>,
    pub raw: Value,
}

impl Unreadable {
    /// What a person can recognise it by when it has no reference: the start of its JSON.
    pub fn describe(&self) -> String {
        match &self.reference {
            Some(reference) => reference.clone(),
            None => {
                let text = self.raw.to_string();
                let cut: String = text.chars().take(80).collect();
                if cut.len() < text.len() {
                    format!("{cut}…")
                } else {
                    cut
                }
            }
        }
    }
}

/// One item of a CCV transaction list.
pub type Read = Result<Transaction, Unreadable>;

/// No CCV transaction predates this: 2000-01-01T00:00:00Z.
const EARLIEST_PLAUSIBLE_MS: i64 = 946_684_800_000;
/// A `created` this far ahead of the run's clock is clock skew at most; further is no time
/// a payment was made (docs/contract.md, "Implausible is unreadable").
pub const FUTURE_TOLERANCE_MS: i64 = 24 * 3_600_000;
/// 1,000,000,000 in cents: no webshop payment comes near it.
const LARGEST_PLAUSIBLE: Cents = Cents(100_000_000_000);

/// CCV's transaction types, as `docs/ccv-api.md` §3 and §4 name them, in any case and with or
/// without underscores. A type outside these is read as unknown, never guessed.
const KNOWN_TYPES: &[&str] = &[
    "sale",
    "capture",
    "authorise",
    "authorize",
    "credit",
    "validate",
    "refund",
    "token",
    "vault",
    "reversal",
    "chargeback",
    "chargebackreversal",
    "autorefund",
    "collection",
    "disbursement",
];

/// CCV's amount, read exactly and within reason: a number of whole cents, no more than
/// anyone is paid at once, and for a sale more than nothing.
fn plausible_amount(
    value: Option<&Value>,
    reference: &str,
    kind: &str,
) -> Result<Cents, crate::i18n::Message> {
    let value =
        value.ok_or_else(|| msg!("ccv-no-field", reference = reference, field = "amount"))?;
    let amount = Cents::from_json(value).map_err(|error| {
        let (id, text) = match &error {
            MoneyError::NotANumber(text) => ("ccv-amount-not-a-number", text),
            MoneyError::SubCent(text) => ("ccv-amount-sub-cent", text),
            MoneyError::TooLarge(text) => ("ccv-amount-too-large", text),
        };
        crate::i18n::Message::new(id)
            .arg("reference", reference)
            .arg("amount", text)
    })?;
    if amount.0.unsigned_abs() > LARGEST_PLAUSIBLE.0.unsigned_abs() {
        return Err(msg!(
            "ccv-amount-implausible",
            reference = reference,
            amount = amount.to_decimal_string()
        ));
    }
    if matches!(plain_type(kind).as_str(), "sale" | "capture") && amount.0 <= 0 {
        return Err(msg!(
            "ccv-no-payment",
            reference = reference,
            kind = kind,
            amount = amount.to_decimal_string()
        ));
    }
    Ok(amount)
}

/// When CCV says it was created: a time it can have been (this century).
fn plausible_created(value: Option<&Value>, reference: &str) -> Result<i64, crate::i18n::Message> {
    let created_ms = value
        .and_then(timestamp_ms)
        .ok_or_else(|| msg!("ccv-no-created", reference = reference))?;
    if created_ms < EARLIEST_PLAUSIBLE_MS {
        return Err(msg!(
            "ccv-before-2000",
            reference = reference,
            created = time_text(created_ms)
        ));
    }
    Ok(created_ms)
}

fn plain_type(kind: &str) -> String {
    kind.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Reads that depend on the run's clock: a transaction created more than a day after `now_ms`
/// becomes unreadable, so that it is never booked and never moves the fetch window.
pub fn screen(read: Read, now_ms: i64) -> Read {
    match read {
        Ok(transaction) if transaction.created_ms > now_ms.saturating_add(FUTURE_TOLERANCE_MS) => {
            Err(Unreadable {
                reference: Some(transaction.reference.clone()),
                created_ms: Some(transaction.created_ms),
                may_be_payment: transaction.is_payment(),
                reason: Box::new(msg!(
                    "ccv-future",
                    reference = &transaction.reference,
                    created = time_text(transaction.created_ms)
                )),
                raw: transaction.raw,
            })
        }
        other => other,
    }
}

fn time_text(epoch_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(epoch_ms).map_or_else(
        || epoch_ms.to_string(),
        |at| at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )
}

/// The `created` time of a list item, readable or not, for paging: an unreadable one's only
/// when it is a time CCV could have listed it at (a `created` before 2000 is no sign of
/// where the list stands).
pub fn created_of(read: &Read) -> Option<i64> {
    match read {
        Ok(transaction) => Some(transaction.created_ms),
        Err(unreadable) => unreadable
            .created_ms
            .filter(|&created| created >= EARLIEST_PLAUSIBLE_MS),
    }
}

/// What tells list items apart: the reference, or the whole object when it has none.
pub fn identity_of(read: &Read) -> String {
    match read {
        Ok(transaction) => transaction.reference.clone(),
        Err(Unreadable {
            reference: Some(reference),
            ..
        }) => reference.clone(),
        Err(unreadable) => unreadable.raw.to_string(),
    }
}

impl Transaction {
    /// Reads one transaction; what cannot be read comes back as [`Unreadable`], with
    /// whatever could be read of it.
    pub fn read(raw: Value) -> Read {
        match Transaction::fields_of(&raw) {
            Ok(transaction) => Ok(Transaction { raw, ..transaction }),
            Err(reason) => {
                let text = |key: &str| {
                    raw.get(key)
                        .and_then(Value::as_str)
                        .map(str::trim)
                        .filter(|text| !text.is_empty())
                        .map(str::to_string)
                };
                // Only a type known to be no payment lets it go unnamed: a missing or
                // unknown one may hide a payment someone expects to see booked.
                let may_be_payment = text("type").is_none_or(|kind| {
                    let kind = plain_type(&kind);
                    matches!(kind.as_str(), "sale" | "capture")
                        || !KNOWN_TYPES.contains(&kind.as_str())
                });
                Err(Unreadable {
                    reference: text("reference"),
                    created_ms: raw.get("created").and_then(timestamp_ms),
                    may_be_payment,
                    reason: Box::new(reason),
                    raw,
                })
            }
        }
    }

    pub fn from_json(raw: Value) -> Result<Transaction, crate::i18n::Message> {
        let fields = Transaction::fields_of(&raw)?;
        Ok(Transaction { raw, ..fields })
    }

    /// Everything but the object itself, which the caller moves in: a page of transactions
    /// is read without copying each one.
    fn fields_of(raw: &Value) -> Result<Transaction, crate::i18n::Message> {
        let object = raw.as_object().ok_or_else(|| msg!("ccv-not-an-object"))?;
        let text = |key: &str| -> Option<String> {
            object
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_string)
        };
        let reference = text("reference").ok_or_else(|| msg!("ccv-no-reference"))?;
        let missing = |field: &str| msg!("ccv-no-field", reference = &reference, field = field);
        let kind = text("type")
            .ok_or_else(|| missing("type"))?
            .to_ascii_lowercase();
        if !KNOWN_TYPES.contains(&plain_type(&kind).as_str()) {
            return Err(msg!(
                "ccv-unknown-type",
                reference = &reference,
                kind = &kind
            ));
        }
        let amount = plausible_amount(object.get("amount"), &reference, &kind)?;
        let created_ms = plausible_created(object.get("created"), &reference)?;
        let status = text("status")
            .map(|status| Status::parse(&status))
            .ok_or_else(|| missing("status"))?;
        Ok(Transaction {
            kind,
            status,
            amount,
            currency: text("currency")
                .unwrap_or_else(|| "eur".into())
                .to_ascii_uppercase(),
            method: text("method").map(|method| method.to_ascii_lowercase()),
            merchant_order_reference: text("merchantOrderReference"),
            description: text("description"),
            created_ms,
            last_update_ms: object.get("lastUpdate").and_then(timestamp_ms),
            status_final_ms: object.get("statusFinalDate").and_then(timestamp_ms),
            failure_code: text("failureCode"),
            original_reference: text("originalReference"),
            child_reference: text("childReferenceId"),
            payout: text("paidoutReference")
                .filter(|_| text("paidout").is_none_or(|paid| paid.eq_ignore_ascii_case("yes")))
                .map(|reference| Payout {
                    reference,
                    remittance: text("unstructuredReference"),
                    date: object.get("paidoutDate").and_then(payout_date),
                }),
            reference,
            raw: Value::Null,
        })
    }

    /// Only money that actually came in is booked: sales and captures, not authorisations,
    /// refunds or chargebacks.
    pub fn is_payment(&self) -> bool {
        matches!(plain_type(&self.kind).as_str(), "sale" | "capture")
    }

    pub fn is_payment_link(&self) -> bool {
        self.method.as_deref() == Some("landingpage")
    }

    /// When CCV reports the payment as paid: the moment its status became final.
    pub fn paid_ms(&self) -> Option<i64> {
        (self.status == Status::Success).then(|| {
            self.status_final_ms
                .or(self.last_update_ms)
                .unwrap_or(self.created_ms)
        })
    }
}

/// CCV writes times as epoch milliseconds; an ISO 8601 string is accepted too.
fn timestamp_ms(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.to_string().parse::<i64>().ok(),
        Value::String(text) => text.trim().parse::<i64>().ok().or_else(|| {
            chrono::DateTime::parse_from_rfc3339(text.trim())
                .ok()
                .map(|at| at.timestamp_millis())
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payout_date_is_read_in_each_plausible_form() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        for form in [
            serde_json::json!("2026-11-24"),
            serde_json::json!("20261124"),
            serde_json::json!("24-11-2026"),
            serde_json::json!("24/11/2026"),
            serde_json::json!("2026-11-24T09:00:00"),
            serde_json::json!("2026-11-24T08:00:00Z"),
            // Just past midnight in Amsterdam is still the 24th there.
            serde_json::json!("2026-11-23T23:30:00Z"),
            serde_json::json!(1_795_474_800_000_i64 + 3_600_000),
            serde_json::json!("1795478400000"),
        ] {
            assert_eq!(payout_date(&form), Some(day), "{form}");
        }
        assert_eq!(payout_date(&serde_json::json!("soon")), None);
    }

    #[test]
    fn parses_the_reference_example() {
        let raw = serde_json::json!({
            "reference": "C250304101512345CB87E192.A", "type": "sale", "status": "success",
            "amount": 121.0, "currency": "eur", "method": "card",
            "merchantOrderReference": "2025-0042", "description": "Factuur 2025-0042",
            "created": 1741083312345_i64, "lastUpdate": 1741083420001_i64,
            "statusFinalDate": 1741083420001_i64
        });
        let transaction = Transaction::from_json(raw).unwrap();
        assert_eq!(transaction.amount, Cents(12100));
        assert_eq!(transaction.currency, "EUR");
        assert_eq!(transaction.paid_ms(), Some(1741083420001));
        assert!(transaction.is_payment());
    }

    #[test]
    fn refuses_what_it_cannot_book_safely() {
        let at = 1_741_083_312_345_i64;
        for raw in [
            serde_json::json!({"type": "sale"}),
            serde_json::json!({"reference": "X", "type": "sale", "status": "success", "created": at}),
            serde_json::json!({"reference": "X", "type": "sale", "status": "success", "amount": 1.005, "created": at}),
            serde_json::json!([1, 2]),
            // Implausible: no type, an unknown type, amounts no shop takes, a time before 2000.
            serde_json::json!({"reference": "X", "status": "success", "amount": 1, "created": at}),
            serde_json::json!({"reference": "X", "type": "gift_wrap", "status": "success", "amount": 1, "created": at}),
            serde_json::json!({"reference": "X", "type": "sale", "status": "success", "amount": 1e27, "created": at}),
            serde_json::json!({"reference": "X", "type": "sale", "status": "success", "amount": "1000000000.01", "created": at}),
            serde_json::json!({"reference": "X", "type": "sale", "status": "success", "amount": -5, "created": at}),
            serde_json::json!({"reference": "X", "type": "SALE", "status": "success", "amount": 0, "created": at}),
            serde_json::json!({"reference": "X", "type": "sale", "status": "success", "amount": "NaN", "created": at}),
            serde_json::json!({"reference": "X", "type": "sale", "status": "success", "amount": 1, "created": 86_400_000}),
        ] {
            assert!(Transaction::from_json(raw.clone()).is_err(), "{raw}");
        }
    }

    #[test]
    fn reads_every_letter_case_and_a_string_amount() {
        let raw = serde_json::json!({
            "reference": "X", "type": "SALE", "status": "Success", "amount": "1000000000.00",
            "currency": "EUR", "method": "iDEAL", "created": 1_741_083_312_345_i64
        });
        let transaction = Transaction::from_json(raw).unwrap();
        assert!(transaction.is_payment());
        assert_eq!(transaction.status, Status::Success);
        assert_eq!(transaction.method.as_deref(), Some("ideal"));
        assert_eq!(transaction.amount, Cents(100_000_000_000));
        let refund = serde_json::json!({
            "reference": "R", "type": "Auto_Refund", "status": "success", "amount": -3,
            "created": 1_741_083_312_345_i64
        });
        assert!(!Transaction::from_json(refund).unwrap().is_payment());
    }

    #[test]
    fn a_transaction_from_more_than_a_day_ahead_is_unreadable() {
        let now = 1_741_083_312_345_i64;
        let at = |created: i64| {
            Transaction::read(serde_json::json!({
                "reference": "X", "type": "sale", "status": "success", "amount": 1,
                "created": created
            }))
        };
        assert!(screen(at(now + FUTURE_TOLERANCE_MS), now).is_ok());
        let future = screen(at(now + FUTURE_TOLERANCE_MS + 1), now).unwrap_err();
        assert!(future.may_be_payment);
        let reason = future.reason.say_in(crate::i18n::Lang::En);
        assert!(reason.contains("24 hours"), "{reason}");
    }
}
