//! How payments are shown to a person: tab titles, the reason a payment sits where it
//! does, and tables sized to the terminal. Commands print these; the benchmark times them.

pub mod payment;
pub mod payouts;
pub mod rows;
pub mod summary;

use chrono::{TimeZone as _, Utc};
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

use crate::domain::{Payment, Tab};

/// How wide a table may be: `COLUMNS` when set, else the terminal's width, else (a pipe, a
/// file, cron's mail) 80 characters. `None` only when asked for (`--wide`).
pub fn table_width(wide: bool) -> Option<u16> {
    if wide {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok());
    Some(
        columns
            .or_else(stdout_columns)
            .unwrap_or(OFF_TERMINAL_WIDTH),
    )
}

/// `text` after a label of `indent` characters, wrapped to `width` with the lines after the
/// first indented as far as the label.
pub fn hanging(text: &str, indent: usize, width: Option<u16>) -> String {
    let room = width.map_or(usize::MAX, |width| {
        usize::from(width).saturating_sub(indent).max(30)
    });
    wrap(text, room).join(&format!("\n{:indent$}", ""))
}

/// Off a terminal (a pipe, a file, cron's mail), no line is longer than this unless
/// `COLUMNS` or `--wide` says otherwise: what an 80-column terminal shows.
const OFF_TERMINAL_WIDTH: u16 = 80;

/// The width of the terminal stdout is, if it is one.
fn stdout_columns() -> Option<u16> {
    use std::os::fd::AsRawFd as _;
    let stdout = std::io::stdout();
    // SAFETY: TIOCGWINSZ writes one `winsize` into the zeroed local it is given; on any
    // error (not a terminal) it writes nothing and returns -1.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let result = unsafe { libc::ioctl(stdout.as_raw_fd(), libc::TIOCGWINSZ, &mut size) };
    (result == 0 && size.ws_col > 0).then_some(size.ws_col)
}

/// A tab's name as the reader's language says it; scripts read `Tab::as_str`.
pub fn title(tab: Tab) -> String {
    match tab {
        Tab::Open => t!("tab-open"),
        Tab::Rapportage => t!("tab-rapportage"),
        Tab::Fouten => t!("tab-fouten"),
        Tab::Closed => t!("tab-closed"),
    }
}

/// Why a payment sits where it does, in words: the error for Fouten, what it waits for in
/// Open.
fn reason(row: &Payment) -> String {
    match row.standing.tab {
        Tab::Fouten => {
            crate::text::for_terminal(&row.error_text().unwrap_or_default()).into_owned()
        }
        Tab::Open => match row.facts.ccv_status.as_str() {
            "pending" => t!("reason-pending"),
            "manualintervention" => t!("reason-manual-intervention"),
            "success" => t!("reason-paid-not-booked"),
            other => t!(
                "reason-ccv-status",
                status = crate::ccv::Status::words(other)
            ),
        },
        Tab::Rapportage => match (
            &row.standing.resolution,
            row.difference(),
            row.standing.rounding,
        ) {
            (Some(resolution), _, _) => t!("reason-resolved", note = resolution.text()),
            (None, Some(difference), _) => t!(
                "reason-difference",
                booked = row.booked_price().display_in(&row.facts.currency),
                difference = difference.display_in(&row.facts.currency)
            ),
            (None, None, Some(rounding)) => t!(
                "reason-rounding",
                rounding = rounding.display_in(&row.facts.currency)
            ),
            (None, None, None) => String::new(),
        },
        Tab::Closed => String::new(),
    }
}

/// An amount as a person reads it: in its currency, or, when CCV's could not be read, as
/// CCV sent it and marked so; never a made-up `€ 0,00`.
pub fn amount_text(amount: crate::money::Cents, currency: &str, as_sent: Option<&str>) -> String {
    match as_sent {
        Some(sent) => t!(
            "amount-unreadable",
            amount = crate::text::for_terminal(sent).into_owned()
        ),
        None => amount.display_in(currency),
    }
}

/// A value from CCV or Moneybird, as a table cell may show it.
fn outside(text: Option<&str>) -> String {
    crate::text::for_terminal(text.unwrap_or_default()).into_owned()
}

/// One tab as a table: newest first, with the reason in words where there is one.
/// `with_tab` adds each row's tab, for a listing of several tabs.
pub fn table(
    rows: &[Payment],
    timezone: chrono_tz::Tz,
    width: Option<u16>,
    with_tab: bool,
) -> String {
    let reasons: Vec<String> = rows.iter().map(reason).collect();
    let with_reason = reasons.iter().any(|reason| !reason.is_empty());
    let shop = rows.iter().any(|row| row.shop.is_some());
    let beside = Columns {
        shop,
        tab: with_tab,
        invoice: true,
        reasons: with_reason.then_some(&reasons[..]),
    }
    .render(rows, timezone, presets::UTF8_FULL_CONDENSED);
    let fits = |text: &str| {
        width.is_none_or(|width| {
            text.lines()
                .all(|line| line.chars().count() <= usize::from(width))
        })
    };
    if fits(&beside) {
        return beside;
    }
    // Too narrow for all of it on one line: the box goes, and the reason (and the tab, and
    // when even that does not fit, the invoice) goes on a line of its own under its row.
    let mut columns = Columns {
        shop,
        tab: false,
        invoice: true,
        reasons: None,
    };
    let mut plain = columns.render(rows, timezone, presets::NOTHING);
    if !fits(&plain) {
        columns.invoice = false;
        plain = columns.render(rows, timezone, presets::NOTHING);
    }
    let under: Vec<String> = rows
        .iter()
        .zip(reasons)
        .map(|(row, reason)| {
            let mut said: Vec<String> = Vec::new();
            if with_tab {
                said.push(title(row.standing.tab));
            }
            if let (false, Some(invoice)) = (columns.invoice, &row.invoice_label()) {
                said.push(t!("under-invoice", invoice = *invoice));
            }
            match (said.is_empty(), reason.is_empty()) {
                (_, true) => said.join(", "),
                (true, false) => reason,
                (false, false) => format!("{}: {reason}", said.join(", ")),
            }
        })
        .collect();
    let mut lines = plain.lines().map(str::trim_end);
    let mut text = String::new();
    if let Some(header) = lines.next() {
        text.push_str(&format!(
            "{header}\n{}\n",
            "─".repeat(header.chars().count())
        ));
    }
    let limit = width.map_or(usize::MAX, usize::from);
    for said in &under {
        let Some(line) = lines.next() else { break };
        text.push_str(line);
        text.push('\n');
        for (index, part) in wrap(said, limit.saturating_sub(4).max(20))
            .iter()
            .enumerate()
        {
            let lead = if index == 0 { "  ↳ " } else { "    " };
            text.push_str(&format!("{lead}{part}\n"));
        }
    }
    text.truncate(text.trim_end_matches('\n').len());
    text
}

/// Which columns a table has beside the fixed ones.
struct Columns<'a> {
    /// The shop beside the reference, when the rows come from named shops.
    shop: bool,
    tab: bool,
    invoice: bool,
    reasons: Option<&'a [String]>,
}

impl Columns<'_> {
    fn render(
        &self,
        rows: &[Payment],
        timezone: chrono_tz::Tz,
        style: comfy_table::TableStyle,
    ) -> String {
        let mut header = vec![t!("column-id")];
        if self.tab {
            header.push(t!("column-tab"));
        }
        header.extend([t!("column-date"), t!("column-amount"), t!("column-method")]);
        if self.shop {
            header.push(t!("column-shop"));
        }
        header.push(t!("column-reference"));
        if self.invoice {
            header.push(t!("column-invoice"));
        }
        if self.reasons.is_some() {
            header.push(t!("column-reason"));
        }
        let mut table = Table::new();
        table
            .load_style(style)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header);
        for (index, row) in rows.iter().enumerate() {
            let date = crate::i18n::day(
                Utc.timestamp_millis_opt(row.facts.paid_ms.unwrap_or(row.facts.created_ms))
                    .single()
                    .unwrap_or_default()
                    .with_timezone(&timezone)
                    .date_naive(),
            );
            let mut cells = vec![Cell::new(row.id)];
            if self.tab {
                cells.push(Cell::new(title(row.standing.tab)));
            }
            cells.extend([
                Cell::new(date),
                Cell::new(row.amount_shown()).set_alignment(CellAlignment::Right),
                Cell::new(outside(row.facts.method.as_deref())),
            ]);
            if self.shop {
                cells.push(Cell::new(outside(row.shop.as_deref())));
            }
            cells.push(Cell::new(outside(Some(&row.facts.reference))));
            if self.invoice {
                cells.push(Cell::new(outside(row.invoice_label())));
            }
            if let Some(reasons) = self.reasons {
                cells.push(Cell::new(&reasons[index]));
            }
            table.add_row(cells);
        }
        table.to_string()
    }
}

/// Words on lines of at most `width` characters; a longer word gets a line of its own.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    // An amount stays whole: `€ 100,00` is one word here.
    const GLUE: char = '\u{1}';
    let glued = ["€ ", "£ ", "$ "]
        .iter()
        .fold(text.to_string(), |text, sign| {
            text.replace(sign, &format!("{}{GLUE}", sign.trim_end()))
        });
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in glued.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
        .into_iter()
        .map(|line| line.replace(GLUE, " "))
        .collect()
}

/// Text for the screen, every line fitted to [`table_width`]: a longer line is wrapped at
/// words, its continuation indented two more than the line; a word longer than the room
/// (a URL, a path) stands alone on its line.
pub fn fit(text: &str) -> String {
    let width = table_width(false).map_or(usize::MAX, usize::from);
    text.lines()
        .map(|line| {
            if line.chars().count() <= width {
                return line.to_string();
            }
            let indent = line.chars().take_while(|c| *c == ' ').count();
            let lead = " ".repeat(indent);
            let more = " ".repeat(indent + 2);
            wrap(line.trim_start(), width.saturating_sub(indent + 2).max(20))
                .iter()
                .enumerate()
                .map(|(index, part)| format!("{}{part}", if index == 0 { &lead } else { &more }))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints a line (or several) fitted to the screen.
pub fn say(text: impl AsRef<str>) -> std::io::Result<()> {
    print(&format!("{}\n", fit(text.as_ref())))
}

/// Writes to standard output. A reader that has gone away (`status | head`) comes back as
/// an error of kind [`std::io::ErrorKind::BrokenPipe`], which ends the program quietly
/// (see [`crate::error::report`]); `print!` would panic instead.
pub fn print(text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// [`say`] on stderr: prompts and notes beside a command's own output.
pub fn say_err(text: impl AsRef<str>) {
    eprintln!("{}", fit(text.as_ref()));
}

/// A day as the options take it, with an error that says what to type.
/// A day as a person types it: `2026-11-26`, or as the Dutch screens show it, `26-11-2026`.
pub fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    let text = text.trim();
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d-%m-%Y"))
        .map_err(|_| t!("not-a-day", text = text))
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
    fn fitted_lines_wrap_at_words_and_keep_long_words_whole() {
        let width = 30;
        let wrapped = wrap("  #12 C1 € 100,00: no_open_post: no invoice matches", width);
        assert!(
            wrapped.iter().all(|line| line.chars().count() <= width),
            "{wrapped:?}"
        );
        assert!(
            wrapped.iter().any(|line| line.contains("€ 100,00")),
            "{wrapped:?}"
        );
        let long = "x".repeat(50);
        assert_eq!(
            wrap(&format!("see {long} now"), width),
            ["see", long.as_str(), "now"]
        );
    }

    #[test]
    fn days_are_taken_either_way_and_say_so_when_not() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(parse_day("2026-11-26"), Ok(day));
        assert_eq!(parse_day(" 26-11-2026 "), Ok(day));
        for wrong in ["26/11/2026", "2026-13-45", "31-02-2026", "gisteren"] {
            let said = parse_day(wrong).unwrap_err();
            assert!(said.contains("use YYYY-MM-DD or DD-MM-YYYY"), "{said}");
        }
    }
}
