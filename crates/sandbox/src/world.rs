//! The sandbox's state: a CCV account and a Moneybird administration, with the rules the
//! reference documents give for how payments change invoices.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::dialect::CcvDialect;
use crate::money::Cents;

/// A CCV transaction as the sandbox keeps it.
#[derive(Clone, Debug)]
pub struct CcvTransaction {
    pub reference: String,
    pub kind: String,
    pub status: String,
    pub amount: Cents,
    /// Lower case, as CCV answers.
    pub currency: String,
    pub method: String,
    pub merchant_order_reference: Option<String>,
    pub description: Option<String>,
    pub created_ms: i64,
    pub last_update_ms: i64,
    pub status_final_ms: Option<i64>,
    pub failure_code: Option<String>,
    pub original_reference: Option<String>,
    /// The API key of the CCV account (webshop) it belongs to; `None`: seen by every key.
    pub account: Option<String>,
    /// The payout that brought its money to the merchant's bank, once there is one.
    pub payout: Option<PayoutMark>,
    pub child_reference: Option<String>,
    /// Keys sent as given instead of as kept: for transactions CCV sends malformed (an
    /// amount with float noise, a missing field).
    pub wire_overrides: Vec<(String, Value)>,
}

/// Which payout a transaction's money left CCV in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayoutMark {
    pub reference: String,
    /// The text on the bank transfer.
    pub remittance: String,
    pub date: chrono::NaiveDate,
    /// When CCV marked it paid out: what `paidoutAfter` filters on.
    pub at_ms: i64,
}

impl CcvTransaction {
    /// Whether the account of this API key holds it.
    pub fn visible_to(&self, key: &str) -> bool {
        self.account.as_deref().is_none_or(|account| account == key)
    }

    /// Money of `original` going back, as CCV lists it: a transaction of its own, of type
    /// `kind` (`refund` when the merchant refunds; the acquirer's `CHARGEBACK`, or a
    /// `reversal`), naming the payment in `originalReference` (docs/ccv-api.md §4).
    pub fn taken_back(
        original: &CcvTransaction,
        kind: &str,
        reference: &str,
        amount: Cents,
        status: &str,
        at_ms: i64,
    ) -> CcvTransaction {
        CcvTransaction {
            kind: kind.into(),
            original_reference: Some(original.reference.clone()),
            account: original.account.clone(),
            currency: original.currency.clone(),
            ..CcvTransaction::sale(reference, status, amount, &original.method, at_ms)
        }
    }

    /// A sale in the given state; `at_ms` is both creation and, when final, the final time.
    pub fn sale(
        reference: &str,
        status: &str,
        amount: Cents,
        method: &str,
        at_ms: i64,
    ) -> CcvTransaction {
        let final_status = matches!(status, "success" | "failed");
        CcvTransaction {
            reference: reference.into(),
            kind: "sale".into(),
            status: status.into(),
            amount,
            currency: "eur".into(),
            method: method.into(),
            merchant_order_reference: None,
            description: None,
            created_ms: at_ms,
            last_update_ms: at_ms,
            status_final_ms: final_status.then_some(at_ms),
            failure_code: (status == "failed").then(|| "cancelled".into()),
            original_reference: None,
            account: None,
            payout: None,
            child_reference: None,
            wire_overrides: Vec::new(),
        }
    }

    /// The transaction as CCV sends it, in the given dialect.
    pub fn to_json(&self, dialect: &CcvDialect) -> Value {
        let amount = if dialect.amounts_as_strings {
            json!(self.amount.to_decimal_string())
        } else {
            ccv_amount(self.amount)
        };
        let mut object = json!({
            "reference": self.reference,
            "type": dialect.code(&self.kind),
            "status": dialect.code(&self.status),
            "amount": amount,
            "currency": dialect.code(&self.currency),
            "method": dialect.code(&self.method),
            "language": "nld",
            "entryMode": "ecom",
            "created": self.created_ms,
            "lastUpdate": self.last_update_ms,
        });
        let optional = [
            ("merchantOrderReference", &self.merchant_order_reference),
            ("description", &self.description),
            ("failureCode", &self.failure_code),
            ("originalReference", &self.original_reference),
            ("childReferenceId", &self.child_reference),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                object[key] = json!(value);
            }
        }
        if let Some(final_ms) = self.status_final_ms {
            object["statusFinalDate"] = json!(final_ms);
        }
        if self.method == "card" {
            object["brand"] = json!("visa");
        }
        // Collecting protocols say whether the money was paid out (docs/ccv-api.md §3, §4).
        if self.status == "success" {
            let paid_out = if self.payout.is_some() { "yes" } else { "no" };
            object["paidout"] = json!(dialect.code(paid_out));
        }
        if let Some(payout) = &self.payout {
            object["paidoutDate"] = if dialect.paidout_date_as_epoch {
                json!(payout.date_start_ms())
            } else {
                json!(payout.date.to_string())
            };
            object["paidoutReference"] = json!(payout.reference);
            object["unstructuredReference"] = json!(payout.remittance);
        }
        for (key, value) in &self.wire_overrides {
            match value {
                Value::Null => {
                    if let Some(object) = object.as_object_mut() {
                        object.remove(key);
                    }
                }
                value => object[key.as_str()] = value.clone(),
            }
        }
        object
    }
}

impl PayoutMark {
    /// The start of the payout's day in Amsterdam, as epoch milliseconds.
    pub fn date_start_ms(&self) -> i64 {
        use chrono::TimeZone as _;
        let midnight = self.date.and_hms_opt(0, 0, 0).expect("midnight exists");
        chrono_tz::Europe::Amsterdam
            .from_local_datetime(&midnight)
            .earliest()
            .map_or(0, |at| at.timestamp_millis())
    }
}

/// CCV writes amounts as JSON numbers in major units with trailing zeros dropped: `28.2`.
fn ccv_amount(amount: Cents) -> Value {
    let text = amount.to_decimal_string();
    let text = text.trim_end_matches('0').trim_end_matches('.');
    serde_json::from_str(text).expect("a decimal is a JSON number")
}

#[derive(Clone, Debug)]
pub struct PaymentRecord {
    pub id: String,
    pub transaction_identifier: Option<String>,
    pub price: Cents,
    /// In the administration's currency, as sent for an invoice in another currency.
    pub price_base: Option<Cents>,
    pub payment_date: String,
    pub ledger_account_id: Option<String>,
    pub manual_payment_action: Option<String>,
    pub financial_account_id: Option<String>,
    pub user_id: String,
    pub created_at: String,
    /// Keys sent as given instead of as kept: for malformed records (a null price).
    pub wire_overrides: Vec<(String, Value)>,
}

impl PaymentRecord {
    /// A payment registered in Moneybird's own screen: no ledger account or action, and a
    /// transaction id only when one was typed.
    pub fn by_hand(
        id: String,
        transaction_identifier: Option<&str>,
        price: Cents,
        payment_date: NaiveDate,
        user_id: String,
        created_at: String,
    ) -> PaymentRecord {
        PaymentRecord {
            id,
            transaction_identifier: transaction_identifier.map(str::to_string),
            price,
            price_base: None,
            payment_date: payment_date.to_string(),
            ledger_account_id: None,
            manual_payment_action: None,
            financial_account_id: None,
            user_id,
            created_at,
            wire_overrides: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InvoiceType {
    Sales,
    External,
}

impl InvoiceType {
    pub fn payment_type(self) -> &'static str {
        match self {
            InvoiceType::Sales => "SalesInvoice",
            InvoiceType::External => "ExternalSalesInvoice",
        }
    }
}

/// A sales invoice or an external sales invoice.
#[derive(Clone, Debug)]
pub struct InvoiceRecord {
    pub kind: InvoiceType,
    pub id: String,
    pub contact_id: String,
    /// Sales invoices only: the invoice number, absent while draft.
    pub number: Option<String>,
    pub reference: Option<String>,
    pub payment_reference: Option<String>,
    pub state: String,
    pub date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    /// The contact's company name.
    pub customer: String,
    pub currency: String,
    /// How much of the administration's currency one unit of `currency` is, in
    /// millionths: the invoice's own rate, fixed when it was made.
    pub rate_millionths: i64,
    pub total: Cents,
    pub payments: Vec<PaymentRecord>,
    pub version: i64,
    pub updated_ms: i64,
    /// Keys sent as given instead of as kept: for malformed records.
    pub wire_overrides: Vec<(String, Value)>,
}

impl InvoiceRecord {
    /// An amount of this invoice in the administration's currency, at its rate.
    pub fn in_base(&self, amount: Cents) -> Cents {
        let scaled = i128::from(amount.0) * i128::from(self.rate_millionths);
        let rounded = (scaled.abs() + 500_000) / 1_000_000;
        Cents(i64::try_from(rounded).unwrap_or(i64::MAX) * amount.0.signum())
    }

    pub fn total_paid(&self) -> Cents {
        Cents(self.payments.iter().map(|payment| payment.price.0).sum())
    }

    pub fn total_unpaid(&self) -> Cents {
        Cents(self.total.0 - self.total_paid().0)
    }

    /// Draft and uncollectible invoices take no payments; anything else does.
    pub fn accepts_payments(&self) -> bool {
        !matches!(
            self.state.as_str(),
            "draft" | "new" | "uncollectible" | "scheduled"
        )
    }

    /// Why Moneybird refuses a payment of `price` on this invoice, as (field, message,
    /// code): it takes no more than is open. Moneybird's reference leaves over-payment open
    /// (docs/moneybird-api.md §11.5); the live service answers "price must be less than or
    /// equal to" the open amount, and so does the sandbox. Credit invoices (negative
    /// totals) are not limited.
    pub fn refuses(&self, price: Cents) -> Option<(&'static str, String, &'static str)> {
        let open = self.total_unpaid();
        (self.total.0 > 0 && price.0 > open.0).then(|| {
            (
                "price",
                format!("must be less than or equal to {}", open.to_moneybird()),
                "less_than_or_equal_to",
            )
        })
    }

    /// The state after a payment was added or removed, as Moneybird moves it.
    pub fn settle_state(&mut self, today: NaiveDate) {
        if !self.accepts_payments() {
            return;
        }
        self.state = if self.total_unpaid().0 <= 0 {
            "paid".into()
        } else if self.due_date.is_some_and(|due| due < today) {
            "late".into()
        } else {
            "open".into()
        };
    }

    pub fn to_json(&self, administration_id: &str) -> Value {
        let payments: Vec<Value> = self
            .payments
            .iter()
            .map(|payment| payment_json(payment, self, administration_id))
            .collect();
        let paid_at = (self.state == "paid")
            .then(|| {
                self.payments
                    .iter()
                    .map(|payment| payment.payment_date.clone())
                    .max()
            })
            .flatten();
        let total = self.total.to_moneybird();
        let mut object = json!({
            "id": self.id,
            "administration_id": administration_id.parse::<u64>().map_or(json!(administration_id), |id| json!(id)),
            "contact_id": self.contact_id,
            "contact": { "id": self.contact_id, "company_name": self.customer, "firstname": null, "lastname": null },
            "state": self.state,
            "due_date": self.due_date.map(|date| date.to_string()),
            "reference": self.reference,
            "currency": self.currency,
            "paid_at": paid_at,
            "version": self.version,
            "payments": payments,
            "prices_are_incl_tax": true,
            "total_price_incl_tax": total,
            "total_price_incl_tax_base": self.in_base(self.total).to_moneybird(),
            "total_paid": self.total_paid().to_moneybird(),
            "total_unpaid": self.total_unpaid().to_moneybird(),
            "total_unpaid_base": self.in_base(self.total_unpaid()).to_moneybird(),
            "marked_dubious_on": null,
            "marked_uncollectible_on": null,
        });
        match self.kind {
            InvoiceType::Sales => {
                object["invoice_id"] = json!(self.number);
                object["draft_id"] = if self.number.is_none() {
                    json!(1)
                } else {
                    Value::Null
                };
                object["invoice_date"] = json!(self.date.to_string());
                object["payment_reference"] = json!(self.payment_reference);
                object["short_payment_reference"] =
                    json!(self.payment_reference.as_ref().map(|reference| {
                        let tail: String = reference
                            .chars()
                            .rev()
                            .take(8)
                            .collect::<Vec<_>>()
                            .into_iter()
                            .rev()
                            .collect();
                        format!("RF{tail}")
                    }));
                object["paused"] = json!(false);
            }
            InvoiceType::External => {
                object["date"] = json!(self.date.to_string());
                object["source"] = json!("Webshop");
                object["entry_number"] = json!(1);
            }
        }
        for (key, value) in &self.wire_overrides {
            object[key.as_str()] = value.clone();
        }
        object
    }
}

pub fn payment_json(
    payment: &PaymentRecord,
    invoice: &InvoiceRecord,
    administration_id: &str,
) -> Value {
    let mut object = json!({
        "id": payment.id,
        "administration_id": administration_id.parse::<u64>().map_or(json!(administration_id), |id| json!(id)),
        "invoice_type": invoice.kind.payment_type(),
        "invoice_id": invoice.id,
        "financial_account_id": payment.financial_account_id,
        "user_id": payment.user_id,
        "payment_transaction_id": null,
        "transaction_identifier": payment.transaction_identifier,
        "price": payment.price.to_moneybird(),
        "price_base": payment.price_base.unwrap_or(payment.price).to_moneybird(),
        "payment_date": payment.payment_date,
        "credit_invoice_id": null,
        "financial_mutation_id": null,
        "ledger_account_id": payment.ledger_account_id,
        "linked_payment_id": null,
        "manual_payment_action": payment.manual_payment_action,
        "created_at": payment.created_at,
        "updated_at": payment.created_at,
    });
    for (key, value) in &payment.wire_overrides {
        object[key.as_str()] = value.clone();
    }
    object
}

impl Cents {
    /// Moneybird writes amounts as decimal strings with at least one decimal: `"363.0"`.
    pub fn to_moneybird(self) -> String {
        let text = self.to_decimal_string();
        match text.strip_suffix('0') {
            Some(shorter) if !shorter.ends_with('.') => shorter.to_string(),
            _ => text,
        }
    }
}

#[derive(Clone, Debug)]
pub struct LedgerAccount {
    pub id: String,
    pub name: String,
    pub account_type: String,
    pub account_id: String,
    pub rgs_code: String,
    pub active: bool,
}

#[derive(Clone, Debug)]
pub struct Administration {
    pub id: String,
    pub name: String,
    pub period_locked_until: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    Ccv,
    Moneybird,
    Other,
}

/// Moneybird ids come as strings or bare integers in requests.
pub fn id_string(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
        Value::Number(number) if number.is_u64() => Some(number.to_string()),
        _ => None,
    }
}
