//! Moneybird records as this tool needs them. Ids arrive as strings or bare integers and
//! amounts as decimal strings; both are normalised here, at the edge.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::money::Cents;

/// The two kinds of receivable ("open post") a payment can be booked on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    SalesInvoice,
    ExternalSalesInvoice,
}

impl InvoiceKind {
    pub const ALL: [InvoiceKind; 2] =
        [InvoiceKind::SalesInvoice, InvoiceKind::ExternalSalesInvoice];

    /// The resource name in Moneybird's URLs.
    pub fn resource(self) -> &'static str {
        match self {
            InvoiceKind::SalesInvoice => "sales_invoices",
            InvoiceKind::ExternalSalesInvoice => "external_sales_invoices",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceKind::SalesInvoice => "sales_invoice",
            InvoiceKind::ExternalSalesInvoice => "external_sales_invoice",
        }
    }

    pub fn parse(text: &str) -> Option<InvoiceKind> {
        match text {
            "sales_invoice" => Some(InvoiceKind::SalesInvoice),
            "external_sales_invoice" => Some(InvoiceKind::ExternalSalesInvoice),
            _ => None,
        }
    }

    /// The states in which an invoice still waits for money (docs/moneybird-api.md §3.1, §6).
    pub fn open_states(self) -> &'static [&'static str] {
        match self {
            InvoiceKind::SalesInvoice => &["open", "late", "reminded", "pending_payment"],
            InvoiceKind::ExternalSalesInvoice => &["open", "late"],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePayment {
    pub id: String,
    pub transaction_identifier: Option<String>,
    /// Moneybird's schema allows a null price; such a payment is never taken for ours.
    pub price: Option<Cents>,
    pub payment_date: Option<String>,
    pub ledger_account_id: Option<String>,
    #[serde(default)]
    pub manual_payment_action: Option<String>,
    /// When the payment was registered (RFC 3339), which tells a hand booking made after a
    /// CCV payment came in from an older payment of the same amount.
    #[serde(default)]
    pub created_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub kind: InvoiceKind,
    pub id: String,
    /// The invoice number (`invoice_id`); external invoices have none.
    pub number: Option<String>,
    pub reference: Option<String>,
    pub payment_reference: Option<String>,
    pub short_payment_reference: Option<String>,
    pub state: String,
    pub currency: String,
    pub total_unpaid: Cents,
    /// The total in its own currency and in the administration's: the invoice's own rate,
    /// for `price_base` when the two currencies differ.
    #[serde(default)]
    pub total: Option<Cents>,
    #[serde(default)]
    pub total_base: Option<Cents>,
    /// Who it is for (the contact's company, else their name), and its date: what a person
    /// picking between invoices recognises them by.
    /// Boxed and a date rather than text: a hundred thousand open posts are held at once.
    #[serde(default)]
    pub customer: Option<Box<str>>,
    #[serde(default)]
    pub date: Option<chrono::NaiveDate>,
    pub version: i64,
    pub payments: Vec<InvoicePayment>,
}

/// The parts of an invoice this tool reads, straight from the answer's text: the rest of
/// a real invoice (its lines, contact, events, notes) is skipped without being built.
/// Each field stays a loose JSON value, so an unexpected type fails only that field.
#[derive(Deserialize)]
struct InvoiceWire {
    id: Option<Value>,
    invoice_id: Option<Value>,
    reference: Option<Value>,
    payment_reference: Option<Value>,
    short_payment_reference: Option<Value>,
    state: Option<Value>,
    currency: Option<Value>,
    total_unpaid: Option<Value>,
    total_price_incl_tax: Option<Value>,
    total_price_incl_tax_base: Option<Value>,
    contact: Option<Value>,
    invoice_date: Option<Value>,
    date: Option<Value>,
    version: Option<Value>,
    payments: Option<Vec<Value>>,
}

/// The contact's company, else the person's name; anything else in it is no name.
fn contact_name(contact: &Value) -> Option<Box<str>> {
    let part = |key: &str| {
        contact
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|text| !text.is_empty())
    };
    part("company_name")
        .map(str::to_string)
        .or_else(|| {
            let name: Vec<&str> = [part("firstname"), part("lastname")]
                .into_iter()
                .flatten()
                .collect();
            (!name.is_empty()).then(|| name.join(" "))
        })
        .map(String::into_boxed_str)
}

#[cfg(test)]
impl Invoice {
    /// An open sales invoice in euros, as the unit tests of matching and deciding need one.
    pub(crate) fn open_sales(
        id: &str,
        number: Option<&str>,
        reference: Option<&str>,
        unpaid: Cents,
    ) -> Invoice {
        Invoice {
            kind: InvoiceKind::SalesInvoice,
            id: id.into(),
            number: number.map(Into::into),
            reference: reference.map(Into::into),
            payment_reference: None,
            short_payment_reference: None,
            state: "open".into(),
            currency: "EUR".into(),
            total_unpaid: unpaid,
            total: None,
            total_base: None,
            customer: None,
            date: None,
            version: 1,
            payments: Vec::new(),
        }
    }
}

impl Invoice {
    /// `price` in the administration's currency at this invoice's own rate (its total in
    /// both), rounded half away from zero; `None` when the invoice gives no rate.
    pub fn price_base(&self, price: Cents) -> Option<Cents> {
        let (total, base) = (self.total?, self.total_base?);
        if total.0 == 0 {
            return None;
        }
        let scaled = i128::from(price.0) * i128::from(base.0);
        let divisor = i128::from(total.0);
        let half = divisor.abs() / 2;
        let rounded = if (scaled < 0) == (divisor < 0) {
            (scaled.abs() + half) / divisor.abs()
        } else {
            -((scaled.abs() + half) / divisor.abs())
        };
        i64::try_from(rounded).ok().map(Cents)
    }

    /// A list of invoices, as the list and synchronization endpoints answer. One invoice
    /// that cannot be read is left out and named in the second list; it never costs the
    /// others.
    pub fn parse_list(
        kind: InvoiceKind,
        body: &str,
    ) -> Result<(Vec<Invoice>, Vec<String>), String> {
        let items: Vec<Value> = serde_json::from_str(body)
            .map_err(|error| format!("an invoice list is unreadable: {error}"))?;
        let mut invoices = Vec::with_capacity(items.len());
        let mut skipped = Vec::new();
        for item in items {
            let id = item.get("id").and_then(id_string);
            let parsed = serde_json::from_value::<InvoiceWire>(item)
                .map_err(|error| error.to_string())
                .and_then(|wire| Invoice::from_wire(kind, wire));
            match parsed {
                Ok(invoice) => invoices.push(invoice),
                Err(error) => skipped.push(match id {
                    Some(id) if !error.contains(&id) => format!("invoice {id}: {error}"),
                    _ => error,
                }),
            }
        }
        Ok((invoices, skipped))
    }

    pub fn parse_one(kind: InvoiceKind, body: &str) -> Result<Invoice, String> {
        let wire: InvoiceWire = serde_json::from_str(body)
            .map_err(|error| format!("an invoice is unreadable: {error}"))?;
        Invoice::from_wire(kind, wire)
    }

    fn from_wire(kind: InvoiceKind, wire: InvoiceWire) -> Result<Invoice, String> {
        let id = wire
            .id
            .as_ref()
            .and_then(id_string)
            .ok_or("an invoice has no id")?;
        let text = |value: Option<Value>| {
            value
                .as_ref()
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_string)
        };
        let total_unpaid = wire
            .total_unpaid
            .as_ref()
            .filter(|value| !value.is_null())
            .map(Cents::from_json)
            .transpose()
            .map_err(|error| format!("invoice {id}: total_unpaid {error}"))?
            .unwrap_or_default();
        let payments = wire
            .payments
            .unwrap_or_default()
            .iter()
            .map(InvoicePayment::from_json)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| format!("invoice {id}: {error}"))?;
        Ok(Invoice {
            kind,
            number: text(wire.invoice_id),
            reference: text(wire.reference),
            payment_reference: text(wire.payment_reference),
            short_payment_reference: text(wire.short_payment_reference),
            state: text(wire.state).unwrap_or_default(),
            currency: text(wire.currency).unwrap_or_else(|| "EUR".into()),
            total_unpaid,
            total: wire
                .total_price_incl_tax
                .as_ref()
                .and_then(|value| Cents::from_json(value).ok()),
            total_base: wire
                .total_price_incl_tax_base
                .as_ref()
                .and_then(|value| Cents::from_json(value).ok()),
            customer: wire.contact.as_ref().and_then(contact_name),
            date: text(wire.invoice_date)
                .or_else(|| text(wire.date))
                .and_then(|day| chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()),
            version: wire.version.as_ref().and_then(integer).unwrap_or_default(),
            payments,
            id,
        })
    }

    pub fn is_open(&self) -> bool {
        self.kind.open_states().contains(&self.state.as_str())
    }

    /// What a person calls this invoice: its number, or an external invoice's reference.
    pub fn label(&self) -> String {
        self.number
            .clone()
            .or_else(|| self.reference.clone())
            .unwrap_or_else(|| format!("#{}", self.id))
    }

    /// The payment carrying this transaction identifier; a rounding payment this tool adds
    /// beside its booking carries it too, and is found only when nothing else does.
    pub fn payment_with_identifier(&self, identifier: &str) -> Option<&InvoicePayment> {
        let mut carrying = self
            .payments
            .iter()
            .filter(|payment| payment.transaction_identifier.as_deref() == Some(identifier));
        let first = carrying.next()?;
        if !first.is_rounding() {
            return Some(first);
        }
        carrying
            .find(|payment| !payment.is_rounding())
            .or(Some(first))
    }

    /// The `rounding_error` payment this tool added under this identifier, if any.
    pub fn rounding_with_identifier(&self, identifier: &str) -> Option<&InvoicePayment> {
        self.payments.iter().find(|payment| {
            payment.is_rounding() && payment.transaction_identifier.as_deref() == Some(identifier)
        })
    }
}

impl InvoicePayment {
    pub fn is_rounding(&self) -> bool {
        self.manual_payment_action.as_deref() == Some("rounding_error")
    }

    /// When Moneybird registered it, in epoch milliseconds.
    pub fn created_ms(&self) -> Option<i64> {
        self.created_at.as_deref().and_then(|at| {
            chrono::DateTime::parse_from_rfc3339(at)
                .ok()
                .map(|at| at.timestamp_millis())
        })
    }

    pub fn from_json(value: &Value) -> Result<InvoicePayment, String> {
        let id = value
            .get("id")
            .and_then(id_string)
            .ok_or("a payment has no id")?;
        let price = value
            .get("price")
            .filter(|price| !price.is_null())
            .map(Cents::from_json)
            .transpose()
            .map_err(|error| format!("payment {id}: price {error}"))?;
        Ok(InvoicePayment {
            transaction_identifier: text(value, "transaction_identifier"),
            price,
            payment_date: text(value, "payment_date"),
            ledger_account_id: value.get("ledger_account_id").and_then(id_string),
            manual_payment_action: text(value, "manual_payment_action"),
            created_at: text(value, "created_at"),
            id,
        })
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Administration {
    pub id: String,
    pub name: String,
    pub currency: String,
    pub period_locked_until: Option<NaiveDate>,
}

impl Administration {
    pub fn from_json(value: &Value) -> Result<Administration, String> {
        Ok(Administration {
            id: value
                .get("id")
                .and_then(id_string)
                .ok_or("an administration has no id")?,
            name: text(value, "name").unwrap_or_default(),
            currency: text(value, "currency").unwrap_or_else(|| "EUR".into()),
            period_locked_until: text(value, "period_locked_until")
                .and_then(|date| NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()),
        })
    }
}

/// A ledger account ("categorie"): a tussenrekening is one of type `current_assets`.
#[derive(Clone, Debug)]
pub struct LedgerAccount {
    pub id: String,
    pub name: String,
    pub account_type: String,
    pub code: Option<String>,
    pub active: bool,
    /// Its RGS code (`taxonomy_item.code`): `BVorDeb…` are the debtors.
    pub taxonomy: Option<String>,
    /// Set when the account is a bank's or cash register's own.
    pub financial_account_id: Option<String>,
}

impl LedgerAccount {
    pub fn from_json(value: &Value) -> Result<LedgerAccount, String> {
        Ok(LedgerAccount {
            id: value
                .get("id")
                .and_then(id_string)
                .ok_or("a ledger account has no id")?,
            name: text(value, "name").unwrap_or_default(),
            account_type: text(value, "account_type").unwrap_or_default(),
            code: value.get("account_id").and_then(id_string),
            active: value.get("active").and_then(Value::as_bool).unwrap_or(true),
            taxonomy: value
                .get("taxonomy_item")
                .and_then(|item| item.get("code"))
                .and_then(Value::as_str)
                .map(str::to_string),
            financial_account_id: value.get("financial_account_id").and_then(id_string),
        })
    }

    /// Whether a payment can be parked on it as on a tussenrekening: an active
    /// current-assets account that is not the debtors' (payments there would count twice)
    /// and not a bank's own.
    pub fn can_take_payments(&self) -> bool {
        self.active
            && self.account_type == "current_assets"
            && self.financial_account_id.is_none()
            && !self
                .taxonomy
                .as_deref()
                .is_some_and(|code| code.starts_with("BVorDeb"))
    }
}

/// Moneybird ids are 64-bit integers, written as strings or as bare numbers.
pub fn id_string(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.to_string().parse().ok(),
        Value::String(text) => text.parse().ok(),
        _ => None,
    }
}

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_base_follows_the_invoices_own_rate_rounded_half_away() {
        let invoice = Invoice::parse_one(
            InvoiceKind::SalesInvoice,
            r#"{"id": "1", "currency": "USD", "total_unpaid": "100.0",
                "total_price_incl_tax": "100.0", "total_price_incl_tax_base": "92.15"}"#,
        )
        .unwrap();
        assert_eq!(invoice.price_base(Cents(10000)), Some(Cents(9215)));
        // 33.33 × 0.9215 = 30.713595
        assert_eq!(invoice.price_base(Cents(3333)), Some(Cents(3071)));
        // 0.05 × 0.9215 = 0.046075
        assert_eq!(invoice.price_base(Cents(5)), Some(Cents(5)));
        assert_eq!(invoice.price_base(Cents(-5)), Some(Cents(-5)));
        let no_rate = Invoice::parse_one(
            InvoiceKind::SalesInvoice,
            r#"{"id": "2", "currency": "USD"}"#,
        )
        .unwrap();
        assert_eq!(no_rate.price_base(Cents(100)), None);
    }
}
