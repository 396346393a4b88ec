//! Step 1: CCV transactions into the store. One row per payment: a payment link's parent
//! and the child that paid it share a row; refunds and other non-payments get none.

use crate::ccv::{Read, Status, Transaction, Unreadable};
use crate::codes::ErrorCode;
use crate::domain::{BookingState, CcvFacts, CcvJson, ChangeKind, Outcome, Payment, Tab};
use crate::money::Cents;
use crate::store::{NewChange, Store};

#[derive(Debug, Default)]
pub struct Ingested {
    pub new_payments: usize,
    pub changed: usize,
    /// Transactions that cannot be read and newly landed in Fouten as `unreadable`:
    /// (row id, why, what could be read).
    pub new_unreadable: Vec<(i64, crate::i18n::Message, CcvFacts)>,
    /// Transactions that cannot be read and have no reference to keep a row under: what
    /// they look like, and why.
    pub nameless: Vec<String>,
    /// Refunds, chargebacks and reversals that are new, or in a new status.
    pub changes: usize,
    /// The latest `created` of the readable transactions: how far the fetch got.
    pub newest_created: Option<i64>,
}

/// Stores what CCV said, in one transaction. A transaction that cannot be read stops only
/// itself.
/// `shop` is the `[[ccv.shops]]` name the transactions came from, `None` for the single
/// `[ccv]` shop: references are looked up, and payments kept, within it.
pub fn ingest(
    store: &mut Store,
    reads: Vec<Read>,
    shop: Option<&str>,
    now_ms: i64,
) -> anyhow::Result<Ingested> {
    let (mut transactions, unreadable): (Vec<Transaction>, Vec<Unreadable>) = reads
        .into_iter()
        .map(|read| crate::ccv::screen(read, now_ms))
        .fold((Vec::new(), Vec::new()), |(mut good, mut bad), read| {
            match read {
                Ok(transaction) => good.push(transaction),
                Err(unreadable) => bad.push(unreadable),
            }
            (good, bad)
        });
    // Parents first, so that a child in the same batch is recognised as one.
    transactions
        .sort_by_key(|transaction| (!transaction.is_payment_link(), transaction.created_ms));
    store.atomically(|store| {
        let mut ingested = Ingested {
            newest_created: transactions
                .iter()
                .map(|transaction| transaction.created_ms)
                .max(),
            ..Ingested::default()
        };
        for transaction in &transactions {
            ingest_one(store, shop, transaction, now_ms, &mut ingested)?;
            if let Some(payout) = &transaction.payout {
                store.note_payout(shop, &transaction.reference, payout)?;
            }
        }
        for unreadable in &unreadable {
            ingest_unreadable(store, shop, unreadable, now_ms, &mut ingested)?;
        }
        Ok(ingested)
    })
}

/// Keeps an unreadable transaction as one `unreadable` row with its raw JSON, so `info` and
/// `report` show it and `recheck` reads it again; a payment already known keeps its row as
/// it stands and only notes the bad answer.
fn ingest_unreadable(
    store: &Store,
    shop: Option<&str>,
    unreadable: &Unreadable,
    now_ms: i64,
    ingested: &mut Ingested,
) -> anyhow::Result<()> {
    // The run's summary names it to the person, in their language; the log keeps this.
    tracing::info!(
        "a CCV transaction cannot be read ({}): {}",
        unreadable.describe(),
        unreadable.reason
    );
    if !unreadable.may_be_payment {
        return Ok(());
    }
    let Some(reference) = &unreadable.reference else {
        ingested.nameless.push(format!(
            "{}: {}",
            unreadable.describe(),
            unreadable.reason.say()
        ));
        return Ok(());
    };
    if let Some(row) = store.payment_by_reference(shop, reference)? {
        if row.error_code() != Some(ErrorCode::Unreadable) {
            store.add_event(
                row.id,
                now_ms,
                &msg!(
                    "event-latest-unreadable",
                    reason = (*unreadable.reason).clone()
                ),
            )?;
        }
        return Ok(());
    }
    let facts = facts_of_unreadable(reference, unreadable, now_ms);
    let json = CcvJson {
        own: Some(unreadable.raw.to_string()),
        child: None,
    };
    let id = store.insert_payment(shop, &facts, &json, Tab::Fouten, now_ms)?;
    let message = msg!("refused-unreadable", reason = (*unreadable.reason).clone());
    store.record(
        id,
        &Outcome::refused(ErrorCode::Unreadable, message.clone(), None),
        now_ms,
        Some(&msg!(
            "event-fetched-unreadable",
            reason = (*unreadable.reason).clone()
        )),
    )?;
    ingested.new_payments += 1;
    ingested.new_unreadable.push((id, message, facts));
    Ok(())
}

fn ingest_one(
    store: &Store,
    shop: Option<&str>,
    transaction: &Transaction,
    now_ms: i64,
    ingested: &mut Ingested,
) -> anyhow::Result<()> {
    if !transaction.is_payment() {
        return ingest_change(store, shop, transaction, now_ms, ingested);
    }
    if let Some(row) = store.payment_by_reference(shop, &transaction.reference)? {
        if row.facts.reference == transaction.reference {
            let (facts, json) = facts_of(transaction, None);
            return update(store, &row, facts, &json, now_ms, ingested);
        }
        // The child of a payment link already known by its parent.
        let mut facts = row.facts.clone();
        facts.method = transaction.method.clone();
        let json = CcvJson {
            own: None,
            child: Some(transaction.raw.to_string()),
        };
        return update(store, &row, facts, &json, now_ms, ingested);
    }
    let mut child = None;
    if transaction.is_payment_link()
        && let Some(child_reference) = &transaction.child_reference
        && let Some(child_row) = store.payment_by_reference(shop, child_reference)?
    {
        if child_row.standing.booking != BookingState::None {
            // Booked under the child's reference before the parent was seen: that booking
            // stands, and the parent adds nothing.
            store.add_event(
                child_row.id,
                now_ms,
                &msg!("event-belongs-to-link", link = &transaction.reference),
            )?;
            return Ok(());
        }
        let (child_raw, _) = store.payment_raw(child_row.id)?;
        store.delete_payment(child_row.id)?;
        child = Some((child_row, child_raw));
    }
    let (facts, json) = facts_of(transaction, child.as_ref());
    let tab = Tab::given(BookingState::None, None, &transaction.status);
    let id = store.insert_payment(shop, &facts, &json, tab, now_ms)?;
    store.add_event(
        id,
        now_ms,
        &msg!("event-fetched", status = Status::words(&facts.ccv_status)),
    )?;
    ingested.new_payments += 1;
    Ok(())
}

/// [`ingest`] of only what is known here already: payments fetched before, and changes of
/// them. What CCV paid out lists older transactions too, from before this tool's first
/// window; they are the bookkeeper's past, not new payments to book.
pub fn ingest_known(
    store: &mut Store,
    reads: Vec<Read>,
    shop: Option<&str>,
    now_ms: i64,
) -> anyhow::Result<Ingested> {
    let mut known = Vec::new();
    for read in reads {
        let Ok(transaction) = &read else { continue };
        let named = match ChangeKind::of(&transaction.kind) {
            Some(_) => transaction.original_reference.as_deref(),
            None => Some(transaction.reference.as_str()),
        };
        if let Some(reference) = named
            && store.payment_by_reference(shop, reference)?.is_some()
        {
            known.push(read);
        }
    }
    ingest(store, known, shop, now_ms)
}

/// A refund, chargeback or reversal of a payment known here: kept with it, and once it took
/// money back, put in front of the bookkeeper when the payment was booked. Anything else
/// that is no payment (an authorisation, a vault entry) is passed over.
fn ingest_change(
    store: &Store,
    shop: Option<&str>,
    transaction: &Transaction,
    now_ms: i64,
    ingested: &mut Ingested,
) -> anyhow::Result<()> {
    let (Some(kind), Some(original)) = (
        ChangeKind::of(&transaction.kind),
        transaction.original_reference.as_deref(),
    ) else {
        tracing::debug!(
            "{} is a {}, not a payment; it is not booked",
            transaction.reference,
            transaction.kind
        );
        return Ok(());
    };
    let Some(row) = store.payment_by_reference(shop, original)? else {
        tracing::debug!(
            "{} is a {} of {original}, which was never fetched here",
            transaction.reference,
            transaction.kind
        );
        return Ok(());
    };
    let (change, news) = store.record_change(&NewChange {
        reference: &transaction.reference,
        payment_id: row.id,
        kind,
        status: transaction.status.as_str(),
        amount: transaction.amount,
        currency: &transaction.currency,
        created_ms: transaction.created_ms,
        raw_json: transaction.raw.to_string(),
    })?;
    if news {
        store.add_event(
            row.id,
            now_ms,
            &msg!(
                "event-change",
                kind = kind.name(),
                reference = &change.reference,
                amount = change.amount.display_in(&change.currency),
                status = &change.status
            ),
        )?;
        if change.takes_money_back() && row.standing.booking == BookingState::None {
            store.add_event(row.id, now_ms, &msg!("event-change-not-booked-yet"))?;
        }
    }
    ingested.changes += usize::from(news);
    Ok(())
}

/// Puts every booked payment that money was taken back from since in front of the
/// bookkeeper, as `changed_after_booking`: after the fetch and after the bookings of a run,
/// so that a refund fetched before its payment was booked is not missed.
pub fn raise_changes(
    store: &Store,
    now_ms: i64,
) -> anyhow::Result<Vec<(Payment, crate::i18n::Message)>> {
    let mut raised = Vec::new();
    for payment_id in store.payments_with_unraised_changes()? {
        let Some(row) = store.payment(payment_id)? else {
            continue;
        };
        let due: Vec<_> = store
            .changes_of(row.id)?
            .into_iter()
            .filter(|change| !change.raised && change.takes_money_back())
            .collect();
        if due.is_empty()
            || row.standing.booking != BookingState::Booked
            || row.standing.resolution.is_some()
        {
            continue;
        }
        let words = what_changed(store, &row)?;
        store.atomically(|store| {
            for change in &due {
                store.mark_change_raised(change.id)?;
            }
            store.record(
                row.id,
                &Outcome::changed_after_booking(&row, words.clone()),
                now_ms,
                Some(&msg!(
                    "event-back-in-fouten",
                    why = words.clone(),
                    code = "changed_after_booking"
                )),
            )
        })?;
        if row.error_code() != Some(ErrorCode::ChangedAfterBooking) {
            raised.push((row, words));
        }
    }
    Ok(raised)
}

/// The reason on a `changed_after_booking` row: everything taken back so far, against what
/// was booked.
fn what_changed(store: &Store, row: &Payment) -> anyhow::Result<crate::i18n::Message> {
    let taken: Vec<_> = store
        .changes_of(row.id)?
        .into_iter()
        .filter(|change| change.takes_money_back())
        .collect();
    let total = taken.iter().fold(Cents::ZERO, |sum, change| {
        sum.checked_add(change.amount).unwrap_or(sum)
    });
    let undone = taken.iter().any(|change| change.kind.undoes_the_payment());
    let invoice = row
        .invoice_label()
        .map(str::to_string)
        .unwrap_or_else(|| "?".into());
    let booked = row.booked_price().display_in(&row.facts.currency);
    let back = total.display_in(&row.facts.currency);
    Ok(match (undone, total >= row.facts.amount) {
        (true, _) => msg!(
            "changed-undone",
            amount = back,
            booked = booked,
            invoice = invoice
        ),
        (false, true) => msg!(
            "changed-refunded",
            amount = back,
            booked = booked,
            invoice = invoice
        ),
        (false, false) => msg!(
            "changed-partly-refunded",
            amount = back,
            paid = row.facts.amount.display_in(&row.facts.currency),
            booked = booked,
            invoice = invoice
        ),
    })
}

fn update(
    store: &Store,
    row: &Payment,
    mut facts: CcvFacts,
    json: &CcvJson,
    now_ms: i64,
    ingested: &mut Ingested,
) -> anyhow::Result<()> {
    if json.child.is_none() && row.facts.child_reference.is_some() {
        // The parent re-read: keep the method of the child that paid it.
        facts.method = row.facts.method.clone();
        facts.child_reference = facts.child_reference.or(row.facts.child_reference.clone());
    }
    // A resolved payment stays where the bookkeeper put it, whatever CCV says now.
    let tab = if row.standing.resolution.is_some() {
        row.standing.tab
    } else {
        Tab::given(
            row.standing.booking,
            Some(row.standing.tab),
            &Status::parse(&facts.ccv_status),
        )
    };
    if !store.update_ccv_facts(row.id, &facts, json, tab, now_ms)? {
        return Ok(());
    }
    if facts.ccv_status != row.facts.ccv_status {
        store.add_event(
            row.id,
            now_ms,
            &msg!(
                "event-ccv-status",
                from = Status::words(&row.facts.ccv_status),
                to = Status::words(&facts.ccv_status)
            ),
        )?;
    }
    ingested.changed += 1;
    Ok(())
}

/// What can be read of an unreadable transaction; what cannot is not guessed.
fn facts_of_unreadable(reference: &str, unreadable: &Unreadable, now_ms: i64) -> CcvFacts {
    let raw = &unreadable.raw;
    let amount = raw
        .get("amount")
        .and_then(|amount| Cents::from_json(amount).ok());
    let text = |key: &str| {
        raw.get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_string)
    };
    CcvFacts {
        reference: reference.to_string(),
        child_reference: None,
        ccv_type: text("type").unwrap_or_else(|| "sale".into()),
        ccv_status: text("status")
            .unwrap_or_else(|| "unknown".into())
            .to_ascii_lowercase(),
        failure_code: None,
        method: text("method").map(|method| method.to_ascii_lowercase()),
        // An amount that cannot be read is kept as it came, and shown so, never as 0.00.
        amount: amount.unwrap_or_default(),
        amount_as_sent: match (amount, raw.get("amount")) {
            (Some(_), _) => None,
            (None, Some(serde_json::Value::String(text))) => Some(text.clone()),
            (None, Some(other)) => Some(other.to_string()),
            (None, None) => Some(String::new()),
        },
        currency: text("currency")
            .unwrap_or_else(|| "eur".into())
            .to_ascii_uppercase(),
        created_ms: unreadable.created_ms.unwrap_or(now_ms),
        paid_ms: None,
        description: text("description"),
        merchant_order_reference: text("merchantOrderReference"),
    }
}

fn facts_of(transaction: &Transaction, child: Option<&(Payment, String)>) -> (CcvFacts, CcvJson) {
    let facts = CcvFacts {
        reference: transaction.reference.clone(),
        child_reference: transaction.child_reference.clone(),
        ccv_type: transaction.kind.clone(),
        ccv_status: transaction.status.as_str().to_string(),
        failure_code: transaction.failure_code.clone(),
        method: child
            .and_then(|(child, _)| child.facts.method.clone())
            .or_else(|| transaction.method.clone()),
        amount: transaction.amount,
        amount_as_sent: None,
        currency: transaction.currency.clone(),
        created_ms: transaction.created_ms,
        paid_ms: transaction.paid_ms(),
        description: transaction.description.clone(),
        merchant_order_reference: transaction.merchant_order_reference.clone(),
    };
    let json = CcvJson {
        own: Some(transaction.raw.to_string()),
        child: child.map(|(_, raw)| raw.clone()),
    };
    (facts, json)
}
