//! The one place that reads the time of day, so tests and the demo can pin "now".

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};

/// Hidden override, RFC 3339: the tests set it so no outcome depends on the wall clock.
pub const NOW_ENV: &str = "__CCV_MONEYBIRD_TEST_NOW";

#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock { fixed: Some(at) }
    }

    /// The system clock unless the test knob `__CCV_MONEYBIRD_TEST_NOW` pins it. Only a
    /// build made for testing (debug) reads the knob: a released binary always keeps the
    /// machine's time, whatever its environment holds.
    pub fn from_env() -> anyhow::Result<Clock> {
        if !cfg!(debug_assertions) {
            return Ok(Clock::system());
        }
        match std::env::var(NOW_ENV) {
            Ok(text) if !text.trim().is_empty() => {
                let at = DateTime::parse_from_rfc3339(text.trim()).map_err(|error| {
                    anyhow::anyhow!("{NOW_ENV}=`{text}` is not an RFC 3339 time: {error}")
                })?;
                Ok(Clock::fixed(at.with_timezone(&Utc)))
            }
            _ => Ok(Clock::system()),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }

    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }
}

/// The first moment of a calendar day in the booking time zone.
pub fn start_of_day(day: NaiveDate, timezone: chrono_tz::Tz) -> DateTime<Utc> {
    timezone
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .earliest()
        .map_or_else(
            || day.and_hms_opt(0, 0, 0).unwrap().and_utc(),
            |at| at.with_timezone(&Utc),
        )
}
