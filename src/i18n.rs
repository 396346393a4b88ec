//! Dutch and English for every text a person reads (docs/contract.md, "Language"). The words live in
//! Fluent files, `locales/{en,nl}/main.ftl`, compiled into the binary; code names a message by
//! its id. What scripts read (`--json`, codes, tab names, flags, exit codes) never goes
//! through here.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Nl,
}

pub const ENGLISH: &str = include_str!("../locales/en/main.ftl");
pub const DUTCH: &str = include_str!("../locales/nl/main.ftl");
/// Dutch `--help`; the English is the doc comments (`cli::in_dutch`).
pub const DUTCH_HELP: &str = include_str!("../locales/nl/help.ftl");

impl Lang {
    /// `[ui] language` when set, else the locale: `LC_ALL`, `LC_MESSAGES`, `LANG` in that order
    /// (the first one set decides, as in POSIX), `nl*` is Dutch, anything else English.
    pub fn choose(configured: Option<Lang>) -> Lang {
        configured.unwrap_or_else(|| {
            let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|name| std::env::var(name).ok())
                .find(|value| !value.is_empty());
            match locale {
                Some(locale) if locale.to_ascii_lowercase().starts_with("nl") => Lang::Nl,
                _ => Lang::En,
            }
        })
    }

    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "nl" | "nederlands" | "dutch" => Some(Lang::Nl),
            "en" | "english" | "engels" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// The language of everything said from now on in this process.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Nl,
        _ => Lang::En,
    }
}

/// Set while the catalogues are read: a panic then (a broken catalogue) must not ask them
/// for words, or it would wait for itself forever.
static LOADING: AtomicBool = AtomicBool::new(false);

/// Whether messages can be said now; not while the catalogues are being read.
pub fn can_speak() -> bool {
    !LOADING.load(Ordering::Relaxed)
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| {
        LOADING.store(true, Ordering::Relaxed);
        let loaded = [
            load(Lang::En, &[ENGLISH]),
            load(Lang::Nl, &[DUTCH, DUTCH_HELP]),
        ];
        LOADING.store(false, Ordering::Relaxed);
        loaded
    });
    &bundles[lang as usize]
}

fn load(lang: Lang, sources: &[&str]) -> FluentBundle<FluentResource> {
    let id = lang.code().parse().expect("a valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Terminals and snapshots want plain text, not Unicode isolation marks around each value.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, errors)| panic!("locales/{}: {errors:?}", lang.code()));
        // A message defined twice is an error here, so the files cannot disagree silently.
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("locales/{}: {errors:?}", lang.code()));
    }
    bundle
}

/// A value a message is filled in with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arg {
    Text(String),
    /// A count, for plural forms.
    Count(i64),
    /// A calendar day: `26-11-2026` in Dutch, `2026-11-26` in English.
    Day(chrono::NaiveDate),
    /// Another message, said in the same language.
    Words(Box<Message>),
}

impl From<Message> for Arg {
    fn from(words: Message) -> Arg {
        Arg::Words(Box::new(words))
    }
}

impl Arg {
    /// A day kept as ISO text is said as a day in each language; other text as it is.
    pub fn day_or_text(text: &str) -> Arg {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_or_else(|_| Arg::Text(text.to_string()), Arg::Day)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_string())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Arg {
        Arg::Text(text.clone())
    }
}

impl From<i64> for Arg {
    fn from(count: i64) -> Arg {
        Arg::Count(count)
    }
}

impl From<usize> for Arg {
    fn from(count: usize) -> Arg {
        Arg::Count(i64::try_from(count).unwrap_or(i64::MAX))
    }
}

impl From<u64> for Arg {
    fn from(count: u64) -> Arg {
        Arg::Count(i64::try_from(count).unwrap_or(i64::MAX))
    }
}

impl From<u32> for Arg {
    fn from(count: u32) -> Arg {
        Arg::Count(i64::from(count))
    }
}

impl From<chrono::NaiveDate> for Arg {
    fn from(day: chrono::NaiveDate) -> Arg {
        Arg::Day(day)
    }
}

/// A message by id with its values, kept as such (in the store, too) so that it can be said
/// in either language later. Plain text, as stores written before messages were kept by id
/// hold, reads as [`Message::verbatim`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct Message {
    pub id: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Arg>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Plain(String),
    Kept {
        id: String,
        #[serde(default)]
        args: BTreeMap<String, Arg>,
    },
}

/// In the language of this run.
impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say())
    }
}

impl From<Stored> for Message {
    fn from(stored: Stored) -> Message {
        match stored {
            Stored::Plain(text) => Message::verbatim(&text),
            Stored::Kept { id, args } => Message { id, args },
        }
    }
}

impl Message {
    pub fn new(id: &str) -> Message {
        Message {
            id: id.to_string(),
            args: BTreeMap::new(),
        }
    }

    /// Text that is already words and is said as it is in either language: what Moneybird
    /// or CCV said, or a line written before messages were kept by id.
    pub fn verbatim(text: &str) -> Message {
        Message::new("verbatim").arg("text", text)
    }

    pub fn arg(mut self, name: &str, value: impl Into<Arg>) -> Message {
        self.args.insert(name.to_string(), value.into());
        self
    }

    /// In the language of this run.
    pub fn say(&self) -> String {
        self.say_in(current())
    }

    pub fn say_in(&self, lang: Lang) -> String {
        let bundle = bundle(lang);
        let Some(pattern) = bundle
            .get_message(&self.id)
            .and_then(|message| message.value())
        else {
            // A message missing from a file is caught by a test; a user still gets the id.
            return self.id.clone();
        };
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            let value: FluentValue = match value {
                // Values come from CCV and Moneybird as often as from this tool: whatever
                // a terminal would obey in them is shown instead (`text::for_terminal`).
                Arg::Text(text) => crate::text::for_terminal(text).into_owned().into(),
                Arg::Count(count) => (*count).into(),
                Arg::Day(day) => day_in(lang, *day).into(),
                Arg::Words(words) => words.say_in(lang).into(),
            };
            args.set(name.clone(), value);
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&args), &mut errors)
            .into_owned()
    }
}

/// `t!("id")` or `t!("id", name = value, …)`: the message in the language of this run.
#[macro_export]
macro_rules! t {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Message::new($id)
            $(.arg(stringify!($name), $value))*
            .say()
    };
}

/// `msg!("id", name = value, …)`: the message itself, to be said later or kept.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Message::new($id)
            $(.arg(stringify!($name), $value))*
    };
}

/// A plain decimal (a figure, not money) from hundredths, as the reader writes it: `1.05`
/// in English, `1,05` in Dutch.
pub fn hundredths(value: u64) -> String {
    let separator = match current() {
        Lang::Nl => ',',
        Lang::En => '.',
    };
    format!("{}{separator}{:02}", value / 100, value % 100)
}

/// A calendar day as the bookkeeper writes it.
pub fn day(day: chrono::NaiveDate) -> String {
    day_in(current(), day)
}

fn day_in(lang: Lang, day: chrono::NaiveDate) -> String {
    match lang {
        Lang::Nl => day.format("%d-%m-%Y").to_string(),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// A day kept as ISO text (`2026-11-26`), as the bookkeeper writes it; other text as it is.
pub fn day_text(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_or_else(|_| iso.to_string(), day)
}

/// A day and a time of day, as `day` writes the day.
pub fn moment(at: chrono::NaiveDateTime) -> String {
    format!("{} {}", day(at.date()), at.format("%H:%M"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids of a Fluent file, each with the variables its text uses.
    fn messages(source: &str) -> BTreeMap<String, std::collections::BTreeSet<String>> {
        let mut found: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
        let mut current: Option<String> = None;
        for line in source.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !line.starts_with(' ') {
                let (id, _) = line.split_once('=').expect("`id = text`");
                current = Some(id.trim().to_string());
                found.entry(id.trim().to_string()).or_default();
            }
            let id = current.clone().expect("text after an id");
            for (at, _) in line.match_indices('$') {
                let name: String = line[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                found.get_mut(&id).unwrap().insert(name);
            }
        }
        found
    }

    #[test]
    fn every_message_exists_in_both_languages_with_the_same_values() {
        let english = messages(ENGLISH);
        let dutch = messages(DUTCH);
        let only_english: Vec<_> = english
            .keys()
            .filter(|id| !dutch.contains_key(*id))
            .collect();
        let only_dutch: Vec<_> = dutch
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(only_english.is_empty(), "not in Dutch: {only_english:?}");
        assert!(only_dutch.is_empty(), "not in English: {only_dutch:?}");
        for (id, values) in &english {
            assert_eq!(values, &dutch[id], "{id} uses other values in Dutch");
        }
    }

    #[test]
    fn both_files_parse() {
        // Loading panics on a syntax error.
        let _ = bundle(Lang::En);
        let _ = bundle(Lang::Nl);
    }

    #[test]
    fn every_id_the_code_names_is_in_the_files() {
        let english = messages(ENGLISH);
        let mut missing = Vec::new();
        let mut named = 0;
        visit(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src")
                .as_path(),
            &mut |source| {
                for opener in ["t!(\"", "msg!(\"", "Message::new(\""] {
                    for (at, _) in source.match_indices(opener) {
                        // A macro whose name merely ends in `t`, such as format, names no message.
                        let before = source[..at].chars().next_back();
                        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            continue;
                        }
                        let id: String = source[at + opener.len()..]
                            .chars()
                            .take_while(|c| *c != '"')
                            .collect();
                        named += 1;
                        if !english.contains_key(&id) {
                            missing.push(id);
                        }
                    }
                }
            },
        );
        missing.retain(|id| id != "id");
        assert!(
            named > 100,
            "only {named} messages named: is the scan broken?"
        );
        assert!(
            missing.is_empty(),
            "named in the code, not in the files: {missing:?}"
        );
    }

    fn visit(folder: &std::path::Path, read: &mut dyn FnMut(&str)) {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                visit(&path, read);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                read(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }

    #[test]
    fn plain_text_stored_before_messages_reads_as_itself() {
        let old: Message = serde_json::from_str("\"no answer from CCV\"").unwrap();
        assert_eq!(old.say_in(Lang::Nl), "no answer from CCV");
        let kept = Message::new("error-ccv-key");
        let again: Message = serde_json::from_str(&serde_json::to_string(&kept).unwrap()).unwrap();
        assert_eq!(again, kept);
        assert_eq!(again.say_in(Lang::Nl), "CCV weigerde de API-sleutel (401)");
    }

    #[test]
    fn the_locale_chooses_unless_the_config_does() {
        assert_eq!(Lang::choose(Some(Lang::En)), Lang::En);
        assert_eq!(Lang::choose(Some(Lang::Nl)), Lang::Nl);
    }

    #[test]
    fn values_are_said_in_each_language() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let message = Message::new("refused-period-locked")
            .arg("date", day)
            .arg("locked", day.pred_opt().unwrap());
        assert_eq!(
            message.say_in(Lang::En),
            "the booking date 2026-11-26 lies in the period locked until 2026-11-25"
        );
        assert_eq!(
            message.say_in(Lang::Nl),
            "de boekdatum 26-11-2026 valt in de periode die vergrendeld is tot en met 25-11-2026"
        );
        let count = |count: i64| Message::new("sync-not-booked").arg("count", count);
        assert_eq!(
            count(1).say_in(Lang::Nl),
            "1 betaling kon niet geboekt worden (tabblad Fouten):"
        );
        assert_eq!(
            count(3).say_in(Lang::En),
            "3 payments could not be booked (tab Fouten):"
        );
    }
}
