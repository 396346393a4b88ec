//! How the imitated CCV answers where `docs/ccv-api.md` could not confirm how the real one does
//! (its "Unknowns", and the value conventions it saw in only one source). Every choice is a
//! switch, so that the client is tested against each reading and against all at once: the
//! real service will pick one, and nobody here knows which.

/// One reading of CCV's undocumented behaviour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CcvDialect {
    /// Unknown 1: how many transactions one list answer holds at most.
    pub page_size: usize,
    /// Unknown 1: the sort order of a list answer; oldest first unless this is set.
    pub newest_first: bool,
    /// Unknown 3: a list answer as a bare array, or wrapped in an object with a count.
    pub wrapped_lists: bool,
    /// Unknown 2: the one form of time filter it takes; the other is refused with a 400.
    pub time_filters: TimeFilters,
    /// §1: amounts as JSON numbers (the portal's examples) or as decimal strings (what
    /// CCV's own PHP library sends, and so may get back).
    pub amounts_as_strings: bool,
    /// §3: `type`, `status`, `method` and `currency` in lower case as documented, or in
    /// upper case (`SALE`, `SUCCESS`, `IDEAL`, `EUR`) as the chargeback types are written.
    pub codes_in_upper_case: bool,
    /// Unknown 1: what `paidoutAfter` compares ("conditional", text cut off).
    pub paidout_after: PaidoutAfter,
    /// Unknown 10: `paidoutDate` as a day (`2026-11-26`) or as epoch milliseconds like
    /// every other CCV time.
    pub paidout_date_as_epoch: bool,
}

/// The form of `createdAfter`, `createdBefore` and `paidoutAfter` CCV takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeFilters {
    /// Epoch milliseconds, like `created` itself.
    EpochMillis,
    /// ISO 8601 (`2025-03-04T10:15:12.345Z`).
    Iso8601,
}

/// What `paidoutAfter` is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaidoutAfter {
    /// The start of the payout's date (Europe/Amsterdam): a payment CCV flags as paid out
    /// days after that date is behind a filter that moved on meanwhile.
    PaidoutDate,
    /// The moment CCV flagged the payment as paid out.
    FlaggedAt,
}

impl Default for CcvDialect {
    /// The reading `docs/ccv-api.md` leans to: oldest first, bare arrays, epoch milliseconds,
    /// numbers, lower case, and `paidoutAfter` on the payout's date (its name).
    fn default() -> Self {
        CcvDialect {
            page_size: 50,
            newest_first: false,
            wrapped_lists: false,
            time_filters: TimeFilters::EpochMillis,
            amounts_as_strings: false,
            codes_in_upper_case: false,
            paidout_after: PaidoutAfter::PaidoutDate,
            paidout_date_as_epoch: false,
        }
    }
}

impl CcvDialect {
    /// Each unknown read the other way, one at a time, named.
    pub fn each() -> Vec<(&'static str, CcvDialect)> {
        let base = CcvDialect::default;
        vec![
            ("as documented", base()),
            (
                "pages of 3",
                CcvDialect {
                    page_size: 3,
                    ..base()
                },
            ),
            (
                "newest first",
                CcvDialect {
                    newest_first: true,
                    page_size: 4,
                    ..base()
                },
            ),
            (
                "wrapped lists",
                CcvDialect {
                    wrapped_lists: true,
                    ..base()
                },
            ),
            (
                "ISO 8601 time filters",
                CcvDialect {
                    time_filters: TimeFilters::Iso8601,
                    ..base()
                },
            ),
            (
                "amounts as strings",
                CcvDialect {
                    amounts_as_strings: true,
                    ..base()
                },
            ),
            (
                "codes in upper case",
                CcvDialect {
                    codes_in_upper_case: true,
                    ..base()
                },
            ),
            (
                "paidoutAfter on the flag",
                CcvDialect {
                    paidout_after: PaidoutAfter::FlaggedAt,
                    ..base()
                },
            ),
            (
                "paidoutDate in epoch ms",
                CcvDialect {
                    paidout_date_as_epoch: true,
                    ..base()
                },
            ),
        ]
    }

    /// Every unknown read the other way at once.
    pub fn all_at_once() -> CcvDialect {
        CcvDialect {
            page_size: 3,
            newest_first: true,
            wrapped_lists: true,
            time_filters: TimeFilters::Iso8601,
            amounts_as_strings: true,
            codes_in_upper_case: true,
            paidout_after: PaidoutAfter::FlaggedAt,
            paidout_date_as_epoch: true,
        }
    }

    /// Reads a time filter as this CCV does: its own form, or `None` (then it answers 400).
    pub(crate) fn read_time(&self, text: &str) -> Option<i64> {
        let text = text.trim();
        match self.time_filters {
            TimeFilters::EpochMillis => text
                .bytes()
                .all(|byte| byte.is_ascii_digit())
                .then(|| text.parse().ok())
                .flatten(),
            TimeFilters::Iso8601 => chrono::DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|at| at.timestamp_millis()),
        }
    }

    /// A code as this CCV writes it.
    pub(crate) fn code(&self, text: &str) -> String {
        if self.codes_in_upper_case {
            text.to_ascii_uppercase()
        } else {
            text.to_string()
        }
    }
}
