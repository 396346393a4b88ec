//! How payments are shown to a person: tab titles, the reason a payment sits where it
//! does, and tables sized to the terminal. Commands print these; the benchmark times them.

use chrono::{TimeZone as _, Utc};
use comfy_table::{Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, presets};

use crate::store::{PaymentRow, Tab};

/// `COLUMNS` when set (scripts, tests); otherwise comfy-table sizes the table to the
/// terminal itself, and leaves it unbounded when there is none.
pub fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok())
}

pub fn title(tab: Tab) -> &'static str {
    match tab {
        Tab::Open => "Open",
        Tab::Rapportage => "Rapportage",
        Tab::Fouten => "Fouten",
        Tab::Closed => "Closed",
    }
}

/// Why a payment sits where it does, in words: the error for Fouten, what it waits for in
/// Open.
fn reason(row: &PaymentRow) -> String {
    match row.tab {
        Tab::Fouten => row.error_message.clone().unwrap_or_default(),
        Tab::Open => match row.ccv_status.as_str() {
            "pending" => "pending at CCV".into(),
            "manualintervention" => "manual intervention at CCV: contact CCV support".into(),
            "success" => "paid; booked by the next run".into(),
            other => format!("CCV status {other}"),
        },
        Tab::Rapportage => match (&row.resolution, row.difference(), row.rounding) {
            (Some(resolution), _, _) => format!("resolved: {}", resolution.note),
            (None, Some(difference), _) => format!(
                "booked {}; {} stays on the tussenrekening",
                row.booked_price().display_in(&row.currency),
                difference.display_in(&row.currency)
            ),
            (None, None, Some(rounding)) => format!(
                "{} closed as a rounding difference",
                rounding.display_in(&row.currency)
            ),
            (None, None, None) => String::new(),
        },
        Tab::Closed => String::new(),
    }
}

/// One tab as a table: newest first, with the reason in words where there is one.
pub fn table(rows: &[PaymentRow], timezone: chrono_tz::Tz, width: Option<u16>) -> String {
    let with_reason = rows.iter().any(|row| !reason(row).is_empty());
    let mut header = vec!["id", "date", "amount", "method", "CCV reference", "invoice"];
    if with_reason {
        header.push("reason");
    }
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    if let Some(width) = width {
        table.set_width(width);
    }
    for row in rows {
        let date = Utc
            .timestamp_millis_opt(row.paid_ms.unwrap_or(row.created_ms))
            .single()
            .unwrap_or_default()
            .with_timezone(&timezone)
            .format("%Y-%m-%d");
        let mut cells = vec![
            Cell::new(row.id),
            Cell::new(date),
            Cell::new(row.amount.display_in(&row.currency)).set_alignment(CellAlignment::Right),
            Cell::new(row.method.as_deref().unwrap_or("")),
            Cell::new(&row.reference),
            Cell::new(row.invoice_label.as_deref().unwrap_or("")),
        ];
        if with_reason {
            cells.push(Cell::new(reason(row)));
        }
        table.add_row(cells);
    }
    // Only the reason may wrap: ids, dates, amounts and references must stay whole.
    for index in 0..6 {
        if let Some(column) = table.column_mut(index) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    table.to_string()
}

/// A day as the options take it, with an error that says what to type.
pub fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a day: use YYYY-MM-DD, e.g. 2026-11-26"))
}

/// Whether to colour: `--color always|never`, else `NO_COLOR` (any value) turns it off and
/// `CLICOLOR_FORCE` (other than 0) on, else only at a terminal (no-color.org, bixense.com/clicolors).
pub fn use_colour(choice: ColorChoice, at_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") => {
            std::env::var_os("CLICOLOR_FORCE").is_some_and(|value| value != "0")
        }
        ColorChoice::Auto => at_terminal,
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// At a terminal, unless NO_COLOR is set (or CLICOLOR_FORCE forces it)
    #[default]
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_iso_and_say_so_when_not() {
        assert_eq!(
            parse_day("2026-11-26"),
            Ok(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
        );
        for wrong in ["26-11-2026", "2026-13-45", "gisteren"] {
            let said = parse_day(wrong).unwrap_err();
            assert!(said.contains("use YYYY-MM-DD, e.g. 2026-11-26"), "{said}");
        }
    }
}
