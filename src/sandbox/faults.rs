//! Misbehaviour on demand, for the tests of what survives it: a share of requests answered
//! with a server error, a gateway error, a 429, an answer too slow to wait for, a dropped
//! connection or a truncated body; and a kill switch that stops the client with SIGKILL just
//! before or just after the sandbox applies a chosen Moneybird request.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 500, nothing applied.
    ServerError,
    /// 502 from the gateway, nothing applied.
    BadGateway,
    /// 429 with its headers, nothing applied.
    Throttled,
    /// Applied, but answered only after `Faults::slow`: past the client's timeout.
    Slow,
    /// The connection is closed without an answer, nothing applied.
    Dropped,
    /// Applied, and answered with half a body.
    Truncated,
}

impl Fault {
    pub const ALL: [Fault; 6] = [
        Fault::ServerError,
        Fault::BadGateway,
        Fault::Throttled,
        Fault::Slow,
        Fault::Dropped,
        Fault::Truncated,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    BeforeApplying,
    AfterApplying,
}

/// Kill the client at its `at`-th Moneybird request (counting from 1).
#[derive(Clone, Debug)]
pub struct Kill {
    pub at: usize,
    pub moment: Moment,
    /// The client's process id, filled in by whoever started it.
    pub pid: Arc<AtomicU32>,
}

#[derive(Debug)]
pub struct Faults {
    /// The next this-many payment POSTs are applied, but answered with a 502 from the
    /// gateway in front: the client cannot know whether the payment was made.
    pub lose_payment_answers: u32,
    /// Every Moneybird answer waits this long, as over a slow line.
    pub moneybird_delay: Duration,
    /// Per mille of requests that meet one of `kinds`.
    pub per_mille: u32,
    /// Which service misbehaves: both unless one is named.
    pub only: Option<super::Api>,
    pub kinds: Vec<Fault>,
    /// How long a slow answer takes.
    pub slow: Duration,
    pub kill: Option<Kill>,
    /// How many faults were dealt, for the figures.
    pub dealt: usize,
    moneybird_seen: usize,
    rng: fastrand::Rng,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            lose_payment_answers: 0,
            moneybird_delay: Duration::ZERO,
            per_mille: 0,
            only: None,
            kinds: Fault::ALL.to_vec(),
            slow: Duration::from_secs(2),
            kill: None,
            dealt: 0,
            moneybird_seen: 0,
            rng: fastrand::Rng::with_seed(2026),
        }
    }
}

impl Faults {
    /// The same faults in the same places, run after run.
    pub fn seed(&mut self, seed: u64) {
        self.rng = fastrand::Rng::with_seed(seed);
    }

    /// Whether this request meets a fault, and which.
    pub(super) fn draw(&mut self, api: super::Api) -> Option<Fault> {
        if self.only.is_some_and(|only| only != api) {
            return None;
        }
        if self.per_mille == 0 || self.kinds.is_empty() || self.rng.u32(0..1000) >= self.per_mille {
            return None;
        }
        self.dealt += 1;
        Some(self.kinds[self.rng.usize(..self.kinds.len())])
    }

    /// Counts a Moneybird request; returns the kill due at it, if any.
    pub(super) fn kill_due(&mut self) -> Option<Kill> {
        self.moneybird_seen += 1;
        self.kill
            .clone()
            .filter(|kill| kill.at == self.moneybird_seen)
    }
}

impl Kill {
    /// Sends SIGKILL to the client, once its id is known (it is written right after the
    /// start, long before its first Moneybird request).
    pub(super) fn strike(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut pid = self.pid.load(Ordering::SeqCst);
        while pid == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
            pid = self.pid.load(Ordering::SeqCst);
        }
        if pid != 0 {
            // SAFETY: kill only sends a signal; a wrong or finished pid yields an error.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
        }
    }
}
