//! Step 1: CCV transactions into the store. One row per payment: a payment link's parent
//! and the child that paid it share a row; refunds and other non-payments get none.

use crate::ccv::{Status, Transaction};
use crate::store::{BookingState, CcvFacts, PaymentRow, Store, Tab};

#[derive(Debug, Default)]
pub struct Ingested {
    pub new_payments: usize,
    pub changed: usize,
}

/// Stores what CCV said, in one transaction.
pub fn ingest(
    store: &mut Store,
    mut transactions: Vec<Transaction>,
    now_ms: i64,
) -> anyhow::Result<Ingested> {
    // Parents first, so that a child in the same batch is recognised as one.
    transactions
        .sort_by_key(|transaction| (!transaction.is_payment_link(), transaction.created_ms));
    store.atomically(|store| {
        let mut ingested = Ingested::default();
        for transaction in &transactions {
            ingest_one(store, transaction, now_ms, &mut ingested)?;
        }
        Ok(ingested)
    })
}

fn ingest_one(
    store: &Store,
    transaction: &Transaction,
    now_ms: i64,
    ingested: &mut Ingested,
) -> anyhow::Result<()> {
    if !transaction.is_payment() {
        tracing::debug!(
            "{} is a {}, not a payment; it is not booked",
            transaction.reference,
            transaction.kind
        );
        return Ok(());
    }
    if let Some(row) = store.payment_by_reference(&transaction.reference)? {
        if row.reference == transaction.reference {
            return update(store, &row, facts_of(transaction, None), now_ms, ingested);
        }
        // The child of a payment link already known by its parent.
        let mut facts = facts_from_row(&row);
        facts.method = transaction.method.clone();
        facts.child_raw_json = Some(transaction.raw.to_string());
        return update(store, &row, facts, now_ms, ingested);
    }
    let mut child = None;
    if transaction.is_payment_link()
        && let Some(child_reference) = &transaction.child_reference
        && let Some(child_row) = store.payment_by_reference(child_reference)?
    {
        if child_row.booking != BookingState::None {
            // Booked under the child's reference before the parent was seen: that booking
            // stands, and the parent adds nothing.
            store.add_event(
                child_row.id,
                now_ms,
                &format!("belongs to payment link {}", transaction.reference),
            )?;
            return Ok(());
        }
        let (child_raw, _) = store.payment_raw(child_row.id)?;
        store.delete_payment(child_row.id)?;
        child = Some((child_row, child_raw));
    }
    let facts = facts_of(transaction, child.as_ref());
    let tab = tab_for(BookingState::None, None, &transaction.status);
    let id = store.insert_payment(&facts, tab, now_ms)?;
    store.add_event(
        id,
        now_ms,
        &format!("fetched from CCV, status {}", facts.ccv_status),
    )?;
    ingested.new_payments += 1;
    Ok(())
}

fn update(
    store: &Store,
    row: &PaymentRow,
    mut facts: CcvFacts,
    now_ms: i64,
    ingested: &mut Ingested,
) -> anyhow::Result<()> {
    if facts.child_raw_json.is_none() && row.child_reference.is_some() {
        // The parent re-read: keep the method of the child that paid it.
        facts.method = row.method.clone();
        facts.child_reference = facts.child_reference.or(row.child_reference.clone());
    }
    let tab = tab_for(
        row.booking,
        Some(row.tab),
        &Status::parse(&facts.ccv_status),
    );
    if !store.update_ccv_facts(row.id, &facts, tab, now_ms)? {
        return Ok(());
    }
    if facts.ccv_status != row.ccv_status {
        store.add_event(
            row.id,
            now_ms,
            &format!("CCV status {} → {}", row.ccv_status, facts.ccv_status),
        )?;
    }
    ingested.changed += 1;
    Ok(())
}

/// Where a payment belongs given what CCV says now.
fn tab_for(booking: BookingState, current: Option<Tab>, status: &Status) -> Tab {
    match booking {
        BookingState::Booked => Tab::Rapportage,
        BookingState::Booking => current.unwrap_or(Tab::Open),
        BookingState::None => match status {
            Status::Failed => Tab::Closed,
            // A payment in `fouten` stays there until `recheck` or `retry` looks again.
            Status::Success if current == Some(Tab::Fouten) => Tab::Fouten,
            _ => Tab::Open,
        },
    }
}

fn facts_of(transaction: &Transaction, child: Option<&(PaymentRow, String)>) -> CcvFacts {
    CcvFacts {
        reference: transaction.reference.clone(),
        child_reference: transaction.child_reference.clone(),
        ccv_type: transaction.kind.clone(),
        ccv_status: transaction.status.as_str().to_string(),
        failure_code: transaction.failure_code.clone(),
        method: child
            .and_then(|(child, _)| child.method.clone())
            .or_else(|| transaction.method.clone()),
        amount: transaction.amount,
        currency: transaction.currency.clone(),
        created_ms: transaction.created_ms,
        paid_ms: transaction.paid_ms(),
        description: transaction.description.clone(),
        merchant_order_reference: transaction.merchant_order_reference.clone(),
        raw_json: Some(transaction.raw.to_string()),
        child_raw_json: child.map(|(_, raw)| raw.clone()),
    }
}

fn facts_from_row(row: &PaymentRow) -> CcvFacts {
    CcvFacts {
        reference: row.reference.clone(),
        child_reference: row.child_reference.clone(),
        ccv_type: row.ccv_type.clone(),
        ccv_status: row.ccv_status.clone(),
        failure_code: row.failure_code.clone(),
        method: row.method.clone(),
        amount: row.amount,
        currency: row.currency.clone(),
        created_ms: row.created_ms,
        paid_ms: row.paid_ms,
        description: row.description.clone(),
        merchant_order_reference: row.merchant_order_reference.clone(),
        raw_json: None,
        child_raw_json: None,
    }
}
