//! The tussenrekening clears itself: each CCV payout's bank line is found among the bank
//! account's financial mutations and linked to the tussenrekening of every method in it
//! (its gross) and to the costs account (what CCV kept), so nothing stays open. Linked once:
//! what a line already holds is read before anything is linked, so a run that stopped
//! between two links is finished, never doubled.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::run::{Halt, Job};
use crate::config::PayoutsSection;
use crate::domain::{BookingState, Payment};
use crate::i18n::Message;
use crate::money::Cents;
use crate::moneybird::SYNC_BATCH;
use crate::moneybird::bank::FinancialMutation;
use crate::store::{PayoutRow, PayoutState};

/// How many days after CCV's payout date its bank line may be dated.
const BANK_DAYS: u64 = 7;

/// Links what can be linked. A payout that newly needs a person is added to `needs_a_look`
/// with the reason, so the run can say so once (cron mails it) and stay quiet after.
pub(super) fn link(
    job: &mut Job<'_>,
    section: &PayoutsSection,
    today: NaiveDate,
    needs_a_look: &mut Vec<(String, Message)>,
) -> Result<(), Halt> {
    let open: Vec<PayoutRow> = job
        .store
        .payouts()?
        .into_iter()
        .filter(|payout| payout.state != PayoutState::Linked)
        .collect();
    let Some(earliest) = open
        .iter()
        .filter_map(|payout| day(payout.date.as_deref()))
        .min()
    else {
        return Ok(());
    };
    let lines = refresh_bank_lines(job, section, earliest, today)?;
    for payout in &open {
        let (state, reason, line) = match plan(job, section, payout, &lines)? {
            Plan::Hold(state, reason) => (state, Some(reason), None),
            Plan::Link { line, targets } => {
                link_missing(job, &line, &targets, &payout.reference)?;
                (PayoutState::Linked, None, Some(line))
            }
        };
        if state == PayoutState::NeedsALook
            && payout.state != PayoutState::NeedsALook
            && let Some(reason) = &reason
        {
            needs_a_look.push((payout.reference.clone(), reason.clone()));
        }
        job.store.set_payout_state(
            payout,
            state,
            reason.as_ref(),
            line.as_ref().map(|line| line.id.as_str()),
            line.as_ref().map(|line| line.amount),
        )?;
    }
    Ok(())
}

fn day(text: Option<&str>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text?, "%Y-%m-%d").ok()
}

/// The bank account's lines from the earliest open payout on: ids and versions in one GET,
/// then only new or changed lines, 100 a request.
fn refresh_bank_lines(
    job: &mut Job<'_>,
    section: &PayoutsSection,
    from: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<FinancialMutation>, Halt> {
    let period = format!(
        "{}..{}",
        (from - chrono::Days::new(1)).format("%Y%m%d"),
        (today + chrono::Days::new(1)).format("%Y%m%d")
    );
    let listed = job
        .moneybird
        .financial_mutation_versions(&section.financial_account_id, &period)
        .map_err(Halt::from)?;
    let known = job.store.bank_line_versions()?;
    let moved: Vec<String> = listed
        .iter()
        .filter(|(id, version)| known.get(id) != Some(version))
        .map(|(id, _)| id.clone())
        .collect();
    for batch in moved.chunks(SYNC_BATCH) {
        for line in job
            .moneybird
            .financial_mutations_by_id(batch)
            .map_err(Halt::from)?
        {
            job.store.save_bank_line(
                &line.id,
                line.version,
                &serde_json::to_string(&LineRecord::of(&line)).map_err(anyhow::Error::from)?,
            )?;
        }
    }
    let listed: std::collections::HashSet<String> = listed.into_iter().map(|(id, _)| id).collect();
    Ok(job
        .store
        .bank_lines()?
        .iter()
        .filter_map(|json| serde_json::from_str::<LineRecord>(json).ok())
        .map(LineRecord::into_line)
        .filter(|line| listed.contains(&line.id))
        .collect())
}

/// A bank line as the store keeps it.
#[derive(serde::Serialize, serde::Deserialize)]
struct LineRecord {
    id: String,
    date: String,
    message: String,
    amount: i64,
    amount_open: i64,
    bookings: Vec<(String, i64)>,
    version: i64,
}

impl LineRecord {
    fn of(line: &FinancialMutation) -> LineRecord {
        LineRecord {
            id: line.id.clone(),
            date: line.date.clone(),
            message: line.message.clone(),
            amount: line.amount.0,
            amount_open: line.amount_open.0,
            bookings: line
                .bookings
                .iter()
                .map(|booking| (booking.ledger_account_id.clone(), booking.price.0))
                .collect(),
            version: line.version,
        }
    }

    fn into_line(self) -> FinancialMutation {
        FinancialMutation {
            id: self.id,
            financial_account_id: None,
            date: self.date,
            message: self.message,
            amount: Cents(self.amount),
            amount_open: Cents(self.amount_open),
            bookings: self
                .bookings
                .into_iter()
                .map(
                    |(ledger_account_id, price)| crate::moneybird::bank::LedgerBooking {
                        ledger_account_id,
                        price: Cents(price),
                    },
                )
                .collect(),
            version: self.version,
        }
    }
}

enum Plan {
    Hold(PayoutState, Message),
    Link {
        line: FinancialMutation,
        /// Ledger account and amount, costs first: booked after the gross, a line would be
        /// over-booked for a moment, and Moneybird then swaps the signs.
        targets: Vec<(String, Cents)>,
    },
}

fn plan(
    job: &Job<'_>,
    section: &PayoutsSection,
    payout: &PayoutRow,
    lines: &[FinancialMutation],
) -> Result<Plan, Halt> {
    let payments = job
        .store
        .payout_payments(payout.shop.as_deref(), &payout.reference)?;
    if let Some(held) = payments.iter().find(|payment| {
        payment.standing.booking != BookingState::Booked && payment.standing.resolution.is_none()
    }) {
        return Ok(Plan::Hold(
            PayoutState::Waiting,
            msg!("payout-held", reference = &held.facts.reference),
        ));
    }
    let gross = match gross_per_ledger(job, payout, &payments)? {
        Ok(gross) => gross,
        Err(reason) => return Ok(Plan::Hold(PayoutState::NeedsALook, reason)),
    };
    let total: Cents = gross.values().copied().sum();
    let line = match bank_line(payout, lines, total) {
        Ok(line) => line.clone(),
        Err((state, why)) => return Ok(Plan::Hold(state, why)),
    };
    let costs = total - line.amount;
    let mut targets = Vec::new();
    if costs.0 != 0 {
        targets.push((section.costs_ledger_account_id.clone(), Cents(-costs.0)));
    }
    targets.extend(gross.into_iter().filter(|(_, cents)| cents.0 != 0));
    // A line that holds bookings of others, with nothing of ours, is not ours to touch.
    let ours = |ledger: &str| targets.iter().any(|(target, _)| target == ledger);
    if line
        .bookings
        .iter()
        .any(|booking| !ours(&booking.ledger_account_id))
    {
        return Ok(Plan::Hold(
            PayoutState::NeedsALook,
            msg!("payout-line-booked-otherwise", line = &line.id),
        ));
    }
    Ok(Plan::Link { line, targets })
}

/// What the payout holds per tussenrekening: its payments, less the refunds and
/// chargebacks taken off it. A method mapped to no ledger account is why it cannot be.
fn gross_per_ledger(
    job: &Job<'_>,
    payout: &PayoutRow,
    payments: &[Payment],
) -> anyhow::Result<Result<BTreeMap<String, Cents>, Message>> {
    let mut gross: BTreeMap<String, Cents> = BTreeMap::new();
    let mut add = |method: Option<&str>, cents: Cents| -> Result<(), Message> {
        let ledger = method
            .and_then(|method| job.settings.ledger_accounts.get(method))
            .ok_or_else(|| msg!("payout-no-tussenrekening", method = method.unwrap_or("?")))?;
        *gross.entry(ledger.clone()).or_insert(Cents::ZERO) += cents;
        Ok(())
    };
    for payment in payments {
        if let Err(reason) = add(payment.facts.method.as_deref(), payment.facts.amount) {
            return Ok(Err(reason));
        }
    }
    for change in job.store.payout_changes(&payout.reference)? {
        let method = match payments
            .iter()
            .find(|payment| payment.id == change.payment_id)
        {
            Some(payment) => payment.facts.method.clone(),
            None => job
                .store
                .payment(change.payment_id)?
                .and_then(|payment| payment.facts.method),
        };
        if let Err(reason) = add(method.as_deref(), -change.amount) {
            return Ok(Err(reason));
        }
    }
    Ok(Ok(gross))
}

/// The one bank line the payout arrived in: its remittance text (or reference), within
/// [`BANK_DAYS`] of the payout, and no more than the payout holds.
fn bank_line<'a>(
    payout: &PayoutRow,
    lines: &'a [FinancialMutation],
    total: Cents,
) -> Result<&'a FinancialMutation, (PayoutState, Message)> {
    let date = day(payout.date.as_deref());
    let text = payout.remittance.as_deref().unwrap_or(&payout.reference);
    let fits: Vec<&FinancialMutation> = lines
        .iter()
        .filter(|line| line.message.contains(text) || line.message.contains(&payout.reference))
        .filter(|line| match (date, day(Some(&line.date))) {
            (Some(paid), Some(on)) => on >= paid && on <= paid + chrono::Days::new(BANK_DAYS),
            _ => true,
        })
        .filter(|line| line.amount.0 > 0 && line.amount <= total)
        .collect();
    match fits.as_slice() {
        [] => Err((PayoutState::Waiting, msg!("payout-no-bank-line"))),
        [line] => Ok(line),
        several => Err((
            PayoutState::NeedsALook,
            msg!(
                "payout-several-lines",
                count = several.len(),
                lines = several
                    .iter()
                    .map(|line| line.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// Links each target the line does not hold yet: what a run before this one linked (and
/// then stopped) is read from the line, not linked again.
fn link_missing(
    job: &mut Job<'_>,
    line: &FinancialMutation,
    targets: &[(String, Cents)],
    reference: &str,
) -> Result<(), Halt> {
    let mut held: Vec<(String, Cents)> = line
        .bookings
        .iter()
        .map(|booking| (booking.ledger_account_id.clone(), booking.price))
        .collect();
    for (ledger, price) in targets {
        if let Some(at) = held
            .iter()
            .position(|(has, cents)| has == ledger && cents == price)
        {
            held.remove(at);
            continue;
        }
        let description = t!("payout-booking-description", reference = reference);
        let (result, _) = job
            .moneybird
            .link_booking(&line.id, ledger, *price, &description);
        match result {
            Ok(()) => {}
            Err(error) if error.outcome_unclear() => {
                // The next run reads the line again and links only what is missing.
                return Err(Halt::Stop(msg!(
                    "stop-unclear-link",
                    line = &line.id,
                    error = error.words()
                )));
            }
            Err(error) => return Err(Halt::from(error)),
        }
    }
    Ok(())
}

/// How many payments a payout holds, and its gross: the payments less what was taken off.
pub fn figures(store: &crate::store::Store, payout: &PayoutRow) -> anyhow::Result<(usize, Cents)> {
    let payments = store.payout_payments(payout.shop.as_deref(), &payout.reference)?;
    let changes = store.payout_changes(&payout.reference)?;
    let gross = payments
        .iter()
        .map(|payment| payment.facts.amount)
        .sum::<Cents>()
        - changes.iter().map(|change| change.amount).sum::<Cents>();
    Ok((payments.len(), gross))
}
