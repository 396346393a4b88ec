//! CCV's payouts, and how far each got in clearing the tussenrekening.

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use serde::Serialize;

use crate::money::Cents;
use crate::store::Store;
use crate::sync::payouts::figures;

/// One payout as `payouts --json` prints it.
#[derive(Debug, Serialize)]
pub struct JsonPayout {
    pub reference: String,
    pub remittance: Option<String>,
    pub date: Option<String>,
    pub shop: Option<String>,
    pub payments: usize,
    pub gross: String,
    pub received: Option<String>,
    pub costs: Option<String>,
    pub mutation_id: Option<String>,
    pub state: &'static str,
    pub reason: Option<String>,
}

pub fn rows(store: &Store) -> anyhow::Result<Vec<JsonPayout>> {
    let mut rows = Vec::new();
    for payout in store.payouts()? {
        let (payments, gross) = figures(store, &payout)?;
        rows.push(JsonPayout {
            reference: payout.reference.clone(),
            remittance: payout.remittance.clone(),
            date: payout.date.clone(),
            shop: payout.shop.clone(),
            payments,
            gross: gross.to_decimal_string(),
            received: payout.received.map(Cents::to_decimal_string),
            costs: payout
                .received
                .map(|received| (gross - received).to_decimal_string()),
            mutation_id: payout.mutation_id.clone(),
            state: payout.state.as_str(),
            reason: payout.reason.as_ref().map(|reason| reason.say()),
        });
    }
    Ok(rows)
}

/// The payouts as a table, in the reader's language; `demo` shows it too.
pub fn table(store: &Store) -> anyhow::Result<String> {
    let rows = rows(store)?;
    if rows.is_empty() {
        return Ok(t!("payouts-none"));
    }
    // The bank line's id is the column a bookkeeper needs least: on a narrow screen it goes
    // under the table, with the reasons (and `payouts --json` has it).
    let width = crate::view::table_width(false).map_or(usize::MAX, usize::from);
    let mut rendered = render(&rows, true);
    let with_line = fits(&rendered, width);
    if !with_line {
        rendered = render(&rows, false);
    }
    let mut lines = rendered.lines().map(str::trim_end);
    let mut text = String::new();
    if let Some(header) = lines.next() {
        text.push_str(&format!("{header}\n{}", "─".repeat(header.chars().count())));
    }
    for line in lines {
        text.push_str(&format!("\n{line}"));
    }
    // Reasons are sentences: under the table, not squeezed into a column.
    for row in &rows {
        let line = row
            .mutation_id
            .as_deref()
            .filter(|_| !with_line)
            .map(|id| t!("payouts-line-under", line = id));
        let said: Vec<String> = line.into_iter().chain(row.reason.clone()).collect();
        if !said.is_empty() {
            let under = format!(
                "{}: {}",
                crate::text::for_terminal(&row.reference),
                said.join("; ")
            );
            for (index, part) in crate::view::wrap(&under, width.saturating_sub(4).max(20))
                .iter()
                .enumerate()
            {
                let lead = if index == 0 { "  ↳ " } else { "    " };
                text.push_str(&format!("\n{lead}{part}"));
            }
        }
    }
    Ok(text)
}

fn fits(text: &str, width: usize) -> bool {
    text.lines()
        .all(|line| line.trim_end().chars().count() <= width)
}

/// The payouts' table, with the bank line's column or without.
fn render(rows: &[JsonPayout], with_line: bool) -> String {
    let money = |text: &Option<String>| {
        text.as_deref()
            .and_then(|text| Cents::parse_decimal(text).ok())
            .map(Cents::to_euro_display)
            .unwrap_or_default()
    };
    let mut header = vec![
        t!("payouts-column-reference"),
        t!("column-date"),
        t!("payouts-column-payments"),
        t!("payouts-column-gross"),
        t!("payouts-column-received"),
        t!("payouts-column-costs"),
    ];
    if with_line {
        header.push(t!("payouts-column-line"));
    }
    header.push(t!("payouts-column-state"));
    let mut table = Table::new();
    // Without borders, as the tables of a narrow terminal: ids, days and amounts are never
    // split that way.
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    for row in rows {
        let state = match row.state {
            "linked" => t!("payout-state-linked"),
            "needs_a_look" => t!("payout-state-needs-a-look"),
            _ => t!("payout-state-waiting"),
        };
        let mut cells = vec![
            Cell::new(crate::text::for_terminal(&row.reference)),
            Cell::new(crate::i18n::day_text(row.date.as_deref().unwrap_or(""))),
            Cell::new(row.payments).set_alignment(CellAlignment::Right),
            Cell::new(money(&Some(row.gross.clone()))).set_alignment(CellAlignment::Right),
            Cell::new(money(&row.received)).set_alignment(CellAlignment::Right),
            Cell::new(money(&row.costs)).set_alignment(CellAlignment::Right),
        ];
        if with_line {
            cells.push(Cell::new(row.mutation_id.as_deref().unwrap_or("")));
        }
        cells.push(Cell::new(state));
        table.add_row(cells);
    }
    table.to_string()
}
