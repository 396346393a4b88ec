//! The sandbox's idea of "now": the system clock, or a time a test pins.

use chrono::{DateTime, Utc};

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

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }

    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }
}
