//! Whatever CCV or Moneybird answer, the parsers return a value or an error: never a panic.

use ccv_moneybird::ccv::Transaction;
use ccv_moneybird::money::Cents;
use ccv_moneybird::moneybird::model::{
    Administration, Invoice, InvoiceKind, InvoicePayment, LedgerAccount,
};
use proptest::prelude::*;
use serde_json::Value;

/// Keys the parsers look for, so that generated objects reach deep into them.
const KEYS: &[&str] = &[
    "reference",
    "type",
    "status",
    "amount",
    "currency",
    "method",
    "created",
    "lastUpdate",
    "statusFinalDate",
    "description",
    "merchantOrderReference",
    "childReferenceId",
    "id",
    "invoice_id",
    "state",
    "total_unpaid",
    "version",
    "payments",
    "price",
    "payment_date",
    "transaction_identifier",
    "ledger_account_id",
    "name",
    "period_locked_until",
    "account_type",
    "active",
    "error",
    "symbolic",
    "details",
];

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(|number| serde_json::json!(number)),
        "[0-9]{1,4}\\.[0-9]{0,4}".prop_map(Value::String),
        "[ -~]{0,16}".prop_map(Value::String),
        "20[0-9]{2}-[0-9]{2}-[0-9]{2}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..10).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(key, value)| (key.to_string(), value))
                        .collect(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn ccv_transactions_never_panic(value in json()) {
        let _ = Transaction::from_json(value);
    }

    #[test]
    fn moneybird_records_never_panic(value in json()) {
        let text = value.to_string();
        let list = Value::Array(vec![value.clone()]).to_string();
        for kind in InvoiceKind::ALL {
            let _ = Invoice::parse_one(kind, &text);
            let _ = Invoice::parse_list(kind, &list);
            let _ = Invoice::parse_list(kind, &text);
        }
        let _ = InvoicePayment::from_json(&value);
        let _ = Administration::from_json(&value);
        let _ = LedgerAccount::from_json(&value);
        let _ = Cents::from_json(&value);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = Cents::parse_decimal(&text);
        for kind in InvoiceKind::ALL {
            let _ = Invoice::parse_one(kind, &text);
            let _ = Invoice::parse_list(kind, &text);
        }
    }

    #[test]
    fn truncated_answers_never_panic(value in json(), cut in 0usize..400) {
        let text = Value::Array(vec![value]).to_string();
        let cut = text.char_indices().map(|(at, _)| at).nth(cut).unwrap_or(text.len());
        for kind in InvoiceKind::ALL {
            let _ = Invoice::parse_list(kind, &text[..cut]);
        }
    }
}
