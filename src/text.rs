//! Text from outside (CCV's descriptions and references, Moneybird's invoice numbers, names
//! and error messages) on its way to a person. A terminal obeys escape sequences and a
//! spreadsheet runs formulas, so such text passes through here before either sees it;
//! `--json` keeps it as it came.

use std::borrow::Cow;

/// The text with everything a terminal would act on made visible instead: control
/// characters (C0, DEL, C1, so escape sequences lose their ESC), and the bidi controls that
/// reorder what is shown (U+202A–U+202E, U+2066–U+2069, and the marks U+200E, U+200F,
/// U+061C). Each becomes `\u{…}`, except newline and tab, which text may hold.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escaping) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        if needs_escaping(character) {
            safe.push_str(&format!("\\u{{{:x}}}", u32::from(character)));
        } else {
            safe.push(character);
        }
    }
    Cow::Owned(safe)
}

fn needs_escaping(character: char) -> bool {
    (character.is_control() && character != '\n' && character != '\t')
        || matches!(
            character,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )
}

/// Standard error as the log writes to it: outside text a log line quotes (a transaction
/// that cannot be read, an answer that was refused) is made harmless as everywhere else,
/// while the log's own colours, when they are on, pass.
pub struct LogWriter {
    pub colour: bool,
}

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(bytes);
        let safe = if self.colour {
            keeping_colours(&text)
        } else {
            for_terminal(&text).into_owned()
        };
        std::io::stderr().write_all(safe.as_bytes())?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// [`for_terminal`], except for colour sequences (`ESC [ digits ; … m`).
fn keeping_colours(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        safe.push_str(&for_terminal(&rest[..at]));
        let after = &rest[at + 1..];
        let sgr = after.strip_prefix('[').and_then(|inner| {
            let end = inner.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            (inner[end..].starts_with('m')).then_some(end + 2)
        });
        match sgr {
            Some(length) => {
                safe.push_str(&rest[at..at + 1 + length]);
                rest = &after[length..];
            }
            None => {
                safe.push_str("\\u{1b}");
                rest = after;
            }
        }
    }
    safe.push_str(&for_terminal(rest));
    safe
}

/// A text cell for a spreadsheet: escaped as for a terminal, and one that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so it is shown, never run as a formula (OWASP's
/// advice on CSV injection). Numbers are written by their own code and never come here.
pub fn for_spreadsheet(text: &str) -> String {
    // Whoever opens the file in a terminal instead meets no escape sequence either.
    let text = for_terminal(text);
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_controls_are_shown_not_obeyed() {
        assert_eq!(for_terminal("Factuur 2026-0001"), "Factuur 2026-0001");
        assert_eq!(for_terminal("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            for_terminal("\x1b]52;c;aGk=\x07"),
            "\\u{1b}]52;c;aGk=\\u{7}"
        );
        assert_eq!(for_terminal("x\u{202e}fdp.exe"), "x\\u{202e}fdp.exe");
        assert_eq!(for_terminal("\u{2066}a\u{2069}"), "\\u{2066}a\\u{2069}");
        assert_eq!(for_terminal("C1\u{9b}31m"), "C1\\u{9b}31m");
        assert_eq!(for_terminal("line\nnext\ttab\r"), "line\nnext\ttab\\u{d}");
        assert_eq!(for_terminal("é ü €"), "é ü €");
    }

    #[test]
    fn the_log_keeps_its_colours_and_nothing_else() {
        assert_eq!(
            keeping_colours("\x1b[33mWARN\x1b[0m CCV said \x1b]52;c;x\x07 and \x1b[2J"),
            "\x1b[33mWARN\x1b[0m CCV said \\u{1b}]52;c;x\\u{7} and \\u{1b}[2J"
        );
    }

    #[test]
    fn a_cell_that_could_start_a_formula_is_quoted() {
        for formula in ["=HYPERLINK(\"x\")", "+1", "-1+1", "@SUM(A1)", "\tx"] {
            assert_eq!(for_spreadsheet(formula), format!("'{formula}"));
        }
        assert_eq!(
            for_spreadsheet("\rx"),
            "\\u{d}x",
            "shown, so no formula either"
        );
        assert_eq!(for_spreadsheet("-\x1b[2J"), "'-\\u{1b}[2J");
        assert_eq!(for_spreadsheet("2026-0001"), "2026-0001");
        assert_eq!(for_spreadsheet(""), "");
    }
}
