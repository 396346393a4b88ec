//! One retry loop for the reads of both API clients, in the manner of cargo's
//! `util/network/retry.rs`: each attempt says whether it is done, failed for a passing
//! reason (then it is tried again after a growing pause, up to a number of attempts), or
//! must simply be sent again without counting (after renewing a token). A rate limit (429)
//! is waited out as the answer asks, but only so often in a row: a service that refuses
//! every time stops the run instead of holding its lock for ever. Writes never come here
//! for a passing failure: a POST is not repeated blindly.

use std::time::Duration;

/// What one attempt came to.
pub(crate) enum Attempt<T, E> {
    /// Finished: this is the answer, or an error no repetition can change.
    Done(Result<T, E>),
    /// Failed for a reason that may pass (a 5xx, no answer): try again after a pause.
    Passing(E),
    /// Send it again now, without counting an attempt: the reason it failed is gone.
    Again,
    /// Refused for the rate limit before anything was done: send it again after `wait`,
    /// unless it was refused so [`THROTTLED_IN_A_ROW`] times in a row.
    Throttled { error: E, wait: Duration },
}

/// How many 429s in a row one request may meet before the run stops (docs/contract.md, "What
/// comes from CCV": "five times in a row").
pub(crate) const THROTTLED_IN_A_ROW: u32 = 5;

/// What to wait for before the next attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pause {
    /// After the given failed attempt (1, 2…): a growing backoff.
    Backoff(u32),
    /// What the rate limit's headers asked for.
    Wait(Duration),
}

/// Runs `attempt` until it is done, until `max_attempts` passing failures, or until
/// [`THROTTLED_IN_A_ROW`] rate-limit refusals in a row; then the last of them is the error.
/// `pause` sleeps as it is told.
pub(crate) fn with_retries<T, E>(
    max_attempts: u32,
    mut pause: impl FnMut(Pause),
    mut attempt: impl FnMut() -> Attempt<T, E>,
) -> Result<T, E> {
    let mut failed = 0;
    let mut throttled = 0;
    loop {
        match attempt() {
            Attempt::Done(result) => return result,
            Attempt::Again => throttled = 0,
            Attempt::Passing(error) => {
                throttled = 0;
                failed += 1;
                if failed >= max_attempts {
                    return Err(error);
                }
                pause(Pause::Backoff(failed));
            }
            Attempt::Throttled { error, wait } => {
                throttled += 1;
                if throttled >= THROTTLED_IN_A_ROW {
                    return Err(error);
                }
                pause(Pause::Wait(wait));
            }
        }
    }
}

/// The pause after the `failed`-th failed attempt: `base`, doubled each time, at most 32×.
pub(crate) fn backoff(base: Duration, failed: u32) -> Duration {
    base * 2u32.pow(failed.min(5))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// Plays the given attempts in order; records the pauses asked for.
    fn play(
        max_attempts: u32,
        script: Vec<Attempt<&'static str, String>>,
    ) -> (Result<&'static str, String>, usize, Vec<Pause>) {
        let script = RefCell::new(script.into_iter());
        let tried = RefCell::new(0);
        let mut pauses = Vec::new();
        let result = with_retries(
            max_attempts,
            |failed| pauses.push(failed),
            || {
                *tried.borrow_mut() += 1;
                script
                    .borrow_mut()
                    .next()
                    .expect("no attempt past the script")
            },
        );
        (result, tried.into_inner(), pauses)
    }

    #[test]
    fn a_passing_failure_is_tried_again_after_a_growing_pause() {
        let (result, tried, pauses) = play(
            4,
            vec![
                Attempt::Passing("502".into()),
                Attempt::Passing("timeout".into()),
                Attempt::Done(Ok("answer")),
            ],
        );
        assert_eq!(result, Ok("answer"));
        assert_eq!(tried, 3);
        assert_eq!(pauses, vec![Pause::Backoff(1), Pause::Backoff(2)]);
    }

    #[test]
    fn it_gives_up_after_the_last_attempt_with_the_last_error() {
        let (result, tried, pauses) = play(
            3,
            vec![
                Attempt::Passing("500".into()),
                Attempt::Passing("502".into()),
                Attempt::Passing("503".into()),
            ],
        );
        assert_eq!(result, Err("503".to_string()));
        assert_eq!(tried, 3);
        assert_eq!(
            pauses,
            vec![Pause::Backoff(1), Pause::Backoff(2)],
            "no pause after the last attempt"
        );
    }

    #[test]
    fn a_final_error_is_not_repeated() {
        let (result, tried, pauses) = play(4, vec![Attempt::Done(Err("401".into()))]);
        assert_eq!(result, Err("401".to_string()));
        assert_eq!(tried, 1);
        assert!(pauses.is_empty());
    }

    #[test]
    fn sending_again_does_not_count_as_an_attempt() {
        let (result, tried, pauses) = play(
            2,
            vec![
                Attempt::Again,
                Attempt::Passing("500".into()),
                Attempt::Again,
                Attempt::Again,
                Attempt::Done(Ok("answer")),
            ],
        );
        assert_eq!(result, Ok("answer"));
        assert_eq!(tried, 5);
        assert_eq!(pauses, vec![Pause::Backoff(1)]);
    }

    fn throttled(wait_ms: u64) -> Attempt<&'static str, String> {
        Attempt::Throttled {
            error: format!("429 after {wait_ms}"),
            wait: Duration::from_millis(wait_ms),
        }
    }

    #[test]
    fn a_rate_limit_is_waited_out_as_asked_five_times_in_a_row_at_most() {
        // An endless 429 stops at the fifth, without waiting after it; a blind retry of a
        // throttled request would run for ever.
        let script = (1..=9).map(throttled).collect();
        let (result, tried, pauses) = play(4, script);
        assert_eq!(result, Err("429 after 5".to_string()));
        assert_eq!(tried, 5);
        assert_eq!(
            pauses,
            (1..=4)
                .map(|ms| Pause::Wait(Duration::from_millis(ms)))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn only_429s_in_a_row_count_towards_the_limit() {
        let mut script: Vec<_> = (1..=4).map(throttled).collect();
        script.push(Attempt::Passing("502".into()));
        script.extend((1..=4).map(throttled));
        script.push(Attempt::Done(Ok("answer")));
        let (result, tried, _) = play(4, script);
        assert_eq!(result, Ok("answer"));
        assert_eq!(tried, 10);
    }

    #[test]
    fn the_backoff_doubles_and_stops_growing() {
        let base = Duration::from_millis(250);
        assert_eq!(backoff(base, 1), Duration::from_millis(500));
        assert_eq!(backoff(base, 2), Duration::from_millis(1000));
        assert_eq!(backoff(base, 9), backoff(base, 5));
    }
}
