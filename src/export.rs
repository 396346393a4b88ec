//! The accountant's export: one row per payment of a period that was booked or settled, and
//! nothing else, so it loads as a table; the totals per day, method and currency go to a
//! file of their own. `booked` holds only money this tool's own payment stands for in
//! Moneybird, so per currency the column adds up to exactly those payments.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{NaiveDate, TimeZone as _, Utc};
use serde::Serialize;

use crate::config::Settings;
use crate::domain::{BookingState, Payment};
use crate::money::Cents;
use crate::store::Store;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// RFC 4180: `,` between fields, `.` decimals, ISO dates
    Csv,
    /// For Dutch Excel: `;` between fields, decimal comma, dd-mm-jjjj dates, UTF-8 with BOM
    CsvNl,
    /// An array of objects, amounts as decimal strings
    Json,
}

/// Who settled a payment in Moneybird.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandledBy {
    /// This tool's own Moneybird payment stands.
    Tool,
    /// Moneybird already held a payment made by someone else; the resolution says which.
    Moneybird,
    /// A person settled it (`resolve --note`).
    Person,
    /// This tool's payment was deleted again (`retry --undo-booking`).
    Undone,
}

impl HandledBy {
    pub fn as_str(self) -> &'static str {
        match self {
            HandledBy::Tool => "tool",
            HandledBy::Moneybird => "moneybird",
            HandledBy::Person => "person",
            HandledBy::Undone => "undone",
        }
    }

    fn of(payment: &Payment) -> Option<HandledBy> {
        if payment.standing.booking == BookingState::Booked {
            return Some(HandledBy::Tool);
        }
        let resolution = payment.standing.resolution.as_ref()?;
        let found = resolution.words.as_ref().map(|words| words.id.as_str());
        Some(match found {
            None => HandledBy::Person,
            Some(id) if crate::domain::UNDONE.contains(&id) => HandledBy::Undone,
            Some(_) => HandledBy::Moneybird,
        })
    }
}

/// One booked payment, as the accountant reads it.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub booking_date: NaiveDate,
    pub reference: String,
    /// The `[[ccv.shops]]` name; null for a single shop.
    pub shop: Option<String>,
    pub method: Option<String>,
    /// The ledger account id the payment was parked on, if its method has one.
    pub tussenrekening: Option<String>,
    pub invoice: Option<String>,
    pub currency: String,
    /// As CCV paid it.
    pub amount: Cents,
    pub handled_by: HandledBy,
    /// As this tool posted it, where its payment stands; otherwise nothing.
    pub booked: Option<Cents>,
    /// Where the tool's payment stands: `amount` less `booked` less the `rounding_error`
    /// payment that closed the rest (what stays on the tussenrekening, or, negative, what
    /// the rounding payment added).
    pub difference: Option<Cents>,
    /// What CCV took back after the booking (refunds, chargebacks, reversals that went
    /// through), and what they were.
    pub taken_back: Option<Cents>,
    pub changes: Vec<String>,
    pub moneybird_payment_id: Option<String>,
    /// How it was settled outside the tool, if it was.
    pub resolution: Option<String>,
    /// CCV's payout its money left in, once paid out.
    pub payout: Option<String>,
}

/// Totals of what this tool booked on one day, for one method, in one currency: never two
/// currencies in one figure.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Total {
    pub booking_date: Option<NaiveDate>,
    pub method: Option<String>,
    pub currency: String,
    pub payments: usize,
    pub booked: Cents,
    pub difference: Cents,
}

/// The payments booked (by this tool, or settled by hand) on a day from `from` to `to`,
/// both included, oldest first.
pub fn rows(
    store: &Store,
    settings: &Settings,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for payment in store.booked_or_settled()? {
        let Some(mut row) = row_of(&payment, settings) else {
            continue;
        };
        if row.booking_date < from || row.booking_date > to {
            continue;
        }
        let changes = store.changes_of(payment.id)?;
        let taken: Vec<_> = changes
            .iter()
            .filter(|change| change.takes_money_back())
            .collect();
        row.taken_back =
            (!taken.is_empty()).then(|| taken.iter().map(|change| change.amount).sum());
        row.changes = changes
            .iter()
            .map(|change| {
                format!(
                    "{} {} {} {}",
                    change.kind.as_str(),
                    change.reference,
                    change.amount.to_decimal_string(),
                    change.status
                )
            })
            .collect();
        rows.push(row);
    }
    rows.sort_by(|a, b| (a.booking_date, &a.reference).cmp(&(b.booking_date, &b.reference)));
    Ok(rows)
}

fn row_of(payment: &Payment, settings: &Settings) -> Option<Row> {
    // The day it was posted; for a payment settled by hand, the day CCV reports it paid.
    let booking_date = payment
        .standing
        .payment_date
        .as_deref()
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .or_else(|| {
            Utc.timestamp_millis_opt(payment.facts.paid_ms?)
                .single()
                .map(|at| at.with_timezone(&settings.timezone).date_naive())
        })?;
    let handled_by = HandledBy::of(payment)?;
    let ours = handled_by == HandledBy::Tool;
    let booked = ours.then(|| payment.booked_price());
    let rounding = payment.standing.rounding.unwrap_or(Cents::ZERO);
    Some(Row {
        booking_date,
        reference: payment.facts.reference.clone(),
        shop: payment.shop.clone(),
        method: payment.facts.method.clone(),
        tussenrekening: payment
            .facts
            .method
            .as_deref()
            .and_then(|method| settings.ledger_accounts.get(method))
            .cloned()
            .filter(|_| ours),
        invoice: payment.invoice_label().map(str::to_string),
        currency: payment.facts.currency.clone(),
        amount: payment.facts.amount,
        handled_by,
        booked,
        difference: booked.map(|booked| payment.facts.amount - booked - rounding),
        taken_back: None,
        changes: Vec::new(),
        moneybird_payment_id: payment.standing.moneybird_payment_id.clone().or_else(|| {
            payment
                .standing
                .resolution
                .as_ref()?
                .moneybird_payment_id
                .clone()
        }),
        resolution: payment
            .standing
            .resolution
            .as_ref()
            .map(|resolution| resolution.note.clone()),
        payout: payment.payout_reference.clone(),
    })
}

/// What this tool booked, per day, method and currency, in the order of the rows.
pub fn totals(rows: &[Row]) -> Vec<Total> {
    let mut totals: BTreeMap<(NaiveDate, Option<String>, String), Total> = BTreeMap::new();
    for row in rows {
        let (Some(booked), Some(difference)) = (row.booked, row.difference) else {
            continue;
        };
        let total = totals
            .entry((row.booking_date, row.method.clone(), row.currency.clone()))
            .or_insert_with(|| Total {
                booking_date: Some(row.booking_date),
                method: row.method.clone(),
                currency: row.currency.clone(),
                ..Total::default()
            });
        total.payments += 1;
        total.booked += booked;
        total.difference += difference;
    }
    totals.into_values().collect()
}

/// The columns of each format: what scripts read keeps its English names; the Dutch
/// spreadsheet's heading is Dutch.
const COLUMNS: [&str; 16] = [
    "booking_date",
    "reference",
    "shop",
    "method",
    "tussenrekening",
    "invoice",
    "currency",
    "amount",
    "handled_by",
    "booked",
    "difference",
    "taken_back",
    "changes",
    "moneybird_payment_id",
    "resolution",
    "payout",
];
const COLUMNS_NL: [&str; 16] = [
    "boekdatum",
    "referentie",
    "winkel",
    "methode",
    "tussenrekening",
    "factuur",
    "valuta",
    "bedrag",
    "afgehandeld_door",
    "geboekt",
    "verschil",
    "teruggenomen",
    "wijzigingen",
    "moneybird-betaling",
    "afhandeling",
    "uitbetaling",
];
const TOTAL_COLUMNS: [&str; 6] = [
    "booking_date",
    "method",
    "currency",
    "payments",
    "booked",
    "difference",
];
const TOTAL_COLUMNS_NL: [&str; 6] = [
    "boekdatum",
    "methode",
    "valuta",
    "betalingen",
    "geboekt",
    "verschil",
];

/// How a format writes the values a spreadsheet must read as numbers and dates.
struct Style {
    delimiter: u8,
    bom: bool,
    decimal_comma: bool,
    dutch_dates: bool,
}

impl Style {
    fn of(format: Format) -> Style {
        match format {
            Format::CsvNl => Style {
                delimiter: b';',
                bom: true,
                decimal_comma: true,
                dutch_dates: true,
            },
            _ => Style {
                delimiter: b',',
                bom: false,
                decimal_comma: false,
                dutch_dates: false,
            },
        }
    }

    fn money(&self, cents: Cents) -> String {
        let text = cents.to_decimal_string();
        if self.decimal_comma {
            text.replace('.', ",")
        } else {
            text
        }
    }

    fn maybe_money(&self, cents: Option<Cents>) -> String {
        cents.map(|cents| self.money(cents)).unwrap_or_default()
    }

    fn day(&self, day: NaiveDate) -> String {
        if self.dutch_dates {
            day.format("%d-%m-%Y").to_string()
        } else {
            day.to_string()
        }
    }

    fn writer<W: Write>(&self, mut out: W) -> anyhow::Result<csv::Writer<W>> {
        if self.bom {
            // Dutch Excel reads a file without it as the system's code page: é becomes Ã©.
            out.write_all("\u{feff}".as_bytes())?;
        }
        Ok(csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .terminator(csv::Terminator::CRLF)
            .from_writer(out))
    }
}

pub fn write_rows<W: Write>(rows: &[Row], format: Format, out: W) -> anyhow::Result<()> {
    if format == Format::Json {
        return write_json(rows.iter().map(json_row).collect(), out);
    }
    let style = Style::of(format);
    let mut writer = style.writer(out)?;
    writer.write_record(match format {
        Format::CsvNl => COLUMNS_NL,
        _ => COLUMNS,
    })?;
    for row in rows {
        // Text from outside (references, notes, invoice numbers) never starts a formula.
        let text = |value: &Option<String>| {
            crate::text::for_spreadsheet(value.as_deref().unwrap_or_default())
        };
        writer.write_record([
            style.day(row.booking_date),
            crate::text::for_spreadsheet(&row.reference),
            text(&row.shop),
            text(&row.method),
            text(&row.tussenrekening),
            text(&row.invoice),
            crate::text::for_spreadsheet(&row.currency),
            style.money(row.amount),
            row.handled_by.as_str().to_string(),
            style.maybe_money(row.booked),
            style.maybe_money(row.difference),
            style.maybe_money(row.taken_back),
            crate::text::for_spreadsheet(&row.changes.join("; ")),
            text(&row.moneybird_payment_id),
            text(&row.resolution),
            text(&row.payout),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

pub fn write_totals<W: Write>(totals: &[Total], format: Format, out: W) -> anyhow::Result<()> {
    if format == Format::Json {
        return write_json(totals.iter().map(json_total).collect(), out);
    }
    let style = Style::of(format);
    let mut writer = style.writer(out)?;
    writer.write_record(match format {
        Format::CsvNl => TOTAL_COLUMNS_NL,
        _ => TOTAL_COLUMNS,
    })?;
    for total in totals {
        writer.write_record([
            total
                .booking_date
                .map(|day| style.day(day))
                .unwrap_or_default(),
            crate::text::for_spreadsheet(total.method.as_deref().unwrap_or_default()),
            total.currency.clone(),
            total.payments.to_string(),
            style.money(total.booked),
            style.money(total.difference),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

fn json_row(row: &Row) -> serde_json::Value {
    serde_json::json!({
        "booking_date": row.booking_date.to_string(),
        "reference": row.reference,
        "shop": row.shop,
        "method": row.method,
        "tussenrekening": row.tussenrekening,
        "invoice": row.invoice,
        "currency": row.currency,
        "amount": row.amount.to_decimal_string(),
        "handled_by": row.handled_by,
        "booked": row.booked.map(Cents::to_decimal_string),
        "difference": row.difference.map(Cents::to_decimal_string),
        "taken_back": row.taken_back.map(Cents::to_decimal_string),
        "changes": row.changes,
        "moneybird_payment_id": row.moneybird_payment_id,
        "resolution": row.resolution,
        "payout": row.payout,
    })
}

fn json_total(total: &Total) -> serde_json::Value {
    serde_json::json!({
        "booking_date": total.booking_date.map(|day| day.to_string()),
        "method": total.method,
        "currency": total.currency,
        "payments": total.payments,
        "booked": total.booked.to_decimal_string(),
        "difference": total.difference.to_decimal_string(),
    })
}

fn write_json<W: Write>(values: Vec<serde_json::Value>, mut out: W) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut out, &values)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}
