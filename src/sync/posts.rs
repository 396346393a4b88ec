//! Step 2: the open posts, kept in a local cache refreshed through Moneybird's
//! synchronization endpoints: one GET for ids and versions per kind, then one POST per 100
//! changed invoices. Nothing is looked up per payment.

use chrono::{Datelike, NaiveDate};

use crate::moneybird::{Invoice, InvoiceKind, MoneybirdClient, MoneybirdError, SYNC_BATCH};
use crate::store::Store;

/// Moneybird's invoice filters default to the current year, so open posts need an explicit
/// period wide enough for any unpaid invoice: ten years back is beyond any payment term.
pub fn open_period(today: NaiveDate) -> String {
    format!("{}0101..{}1231", today.year() - 10, today.year() + 1)
}

pub fn open_filter(kind: InvoiceKind, today: NaiveDate) -> String {
    format!(
        "state:{},period:{}",
        kind.open_states().join("|"),
        open_period(today)
    )
}

#[derive(Debug, Default)]
pub struct Refreshed {
    pub fetched: usize,
    pub dropped: usize,
}

/// Brings the cache up to date with Moneybird.
pub fn refresh(
    store: &mut Store,
    moneybird: &MoneybirdClient,
    today: NaiveDate,
) -> Result<Refreshed, RefreshError> {
    let mut refreshed = Refreshed::default();
    for kind in InvoiceKind::ALL {
        let current = moneybird.invoice_versions(kind, &open_filter(kind, today))?;
        let mut cached = store.post_versions(kind)?;
        let mut changed = Vec::new();
        for (id, version) in current {
            if cached.remove(&id) != Some(version) {
                changed.push(id);
            }
        }
        // What is cached but no longer listed was paid, deleted or otherwise closed.
        let gone: Vec<String> = cached.into_keys().collect();
        refreshed.dropped += gone.len();
        store.forget_posts(kind, &gone)?;
        for batch in changed.chunks(SYNC_BATCH) {
            let invoices = moneybird.invoices_by_id(kind, batch)?;
            refreshed.fetched += invoices.len();
            store.save_posts(&invoices)?;
        }
    }
    Ok(refreshed)
}

/// Invoices paid recently, asked for only when some payment found no open post: one of
/// them may already hold the payment (a lost state file) or show why it cannot take it.
pub fn recently_paid(
    moneybird: &MoneybirdClient,
    today: NaiveDate,
    since: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Invoice>, MoneybirdError> {
    let sales_filter = format!(
        "state:paid,period:{},updated_after:{}",
        open_period(today),
        since.format("%Y-%m-%dT%H:%M:%SZ")
    );
    let mut invoices = moneybird.invoices(InvoiceKind::SalesInvoice, &sales_filter)?;
    // External invoices cannot be filtered on update time; their invoice date is close to
    // the order, so a quarter before the oldest such payment is searched.
    let from = since.date_naive() - chrono::Days::new(92);
    let external_filter = format!(
        "state:paid,period:{}..{}",
        from.format("%Y%m%d"),
        (today + chrono::Days::new(1)).format("%Y%m%d")
    );
    invoices.extend(moneybird.invoices(InvoiceKind::ExternalSalesInvoice, &external_filter)?);
    Ok(invoices)
}

#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error(transparent)]
    Moneybird(#[from] MoneybirdError),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}
