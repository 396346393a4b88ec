//! Misbehaviour on demand, for the tests of what survives it: a share of requests answered
//! with a server error, a gateway error, a 429, an answer too slow to wait for, a dropped
//! connection or a truncated body; and a kill switch that stops the client with SIGKILL just
//! before or just after the sandbox applies a chosen Moneybird request.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::{Answered, Api, Incoming, Reply, World, route};

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
    pub only: Option<Api>,
    pub kinds: Vec<Fault>,
    /// How long a slow answer takes.
    pub slow: Duration,
    pub kill: Option<Kill>,
    /// CCV lists from the start whatever time window was asked: paging that cannot make
    /// progress.
    pub ccv_ignores_time_filters: bool,
    /// Every CCV answer grows by this many bytes of white space, streamed without a
    /// length: an answer without end, as far as memory goes.
    pub ccv_padding: u64,
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
            ccv_ignores_time_filters: false,
            ccv_padding: 0,
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
    pub(crate) fn draw(&mut self, api: Api) -> Option<Fault> {
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

/// One request as the sandbox saw it. Credentials are never kept.
#[derive(Clone, Debug)]
pub struct LoggedRequest {
    pub api: Api,
    pub method: String,
    pub path: String,
    pub query: String,
    pub body: Option<String>,
    pub status: u16,
}

/// Answers a request as the faults in force say: a kill before or after it is applied, a
/// passing failure, or the real answer late or cut short. Every request is logged.
pub(crate) fn answer(world: &mut World, incoming: &Incoming) -> Answered {
    let api = api_of(&incoming.path);
    let kill = (api == Api::Moneybird)
        .then(|| world.faults.kill_due())
        .flatten();
    let fault = (api != Api::Other)
        .then(|| world.faults.draw(api))
        .flatten();
    let mut delay = if api == Api::Moneybird {
        world.faults.moneybird_delay
    } else {
        Duration::ZERO
    };
    let reply = match (&kill, fault) {
        (Some(kill), _) if kill.moment == Moment::BeforeApplying => {
            kill.strike();
            Some(Reply::json(
                500,
                &serde_json::json!({ "error": "the client is gone" }),
            ))
        }
        (_, Some(Fault::ServerError)) => Some(Reply::json(
            500,
            &serde_json::json!({ "error": "Internal server error" }),
        )),
        (_, Some(Fault::BadGateway)) => Some(Reply::html(
            502,
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )),
        (_, Some(Fault::Throttled)) => Some(throttled()),
        (_, Some(Fault::Dropped)) => None,
        (_, fault) => {
            let (mut reply, _) = route(world, incoming);
            if fault == Some(Fault::Slow) {
                delay += world.faults.slow;
            }
            if fault == Some(Fault::Truncated) {
                let cut = reply.body.len() / 2;
                reply.body = reply.body.chars().take(cut).collect();
            }
            if api == Api::Ccv {
                reply.padding = world.faults.ccv_padding;
            }
            Some(reply)
        }
    };
    world.log.push(LoggedRequest {
        api,
        method: incoming.method.clone(),
        path: incoming.path.clone(),
        query: incoming.raw_query.clone(),
        body: (!incoming.body.is_empty()).then(|| incoming.body.clone()),
        status: reply.as_ref().map_or(0, |reply| reply.status),
    });
    Answered {
        reply,
        delay,
        kill_after: kill.filter(|kill| kill.moment == Moment::AfterApplying),
    }
}

/// A 429 with Moneybird's headers, asking for the next second.
fn throttled() -> Reply {
    let next_second = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
        + 1;
    let mut reply = Reply::json(429, &serde_json::json!("Retry later"));
    reply
        .headers
        .push(("Retry-After".into(), next_second.to_string()));
    reply
        .headers
        .push(("RateLimit-Reset".into(), next_second.to_string()));
    reply
        .headers
        .push(("RateLimit-RequestsRemaining".into(), "0".into()));
    reply
}

fn api_of(path: &str) -> Api {
    if path.starts_with("/api/v1/") {
        Api::Ccv
    } else if path.starts_with("/api/v2/") {
        Api::Moneybird
    } else {
        Api::Other
    }
}
