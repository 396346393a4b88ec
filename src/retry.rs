//! One retry loop for the reads of both API clients, in the manner of cargo's
//! `util/network/retry.rs`: each attempt says whether it is done, failed for a passing
//! reason (then it is tried again after a growing pause, up to a number of attempts), or
//! must simply be sent again without counting (after waiting out a rate limit, or renewing
//! a token). Writes never come here for a passing failure: a POST is not repeated blindly.

use std::time::Duration;

/// What one attempt came to.
pub(crate) enum Attempt<T, E> {
    /// Finished: this is the answer, or an error no repetition can change.
    Done(Result<T, E>),
    /// Failed for a reason that may pass (a 5xx, no answer): try again after a pause.
    Passing(E),
    /// Send it again now, without counting an attempt: the reason it failed is gone.
    Again,
}

/// Runs `attempt` until it is done, or until `max_attempts` passing failures; then the last
/// of them is the error. `pause` sleeps for the backoff of the given failed attempt (1, 2…).
pub(crate) fn with_retries<T, E>(
    max_attempts: u32,
    mut pause: impl FnMut(u32),
    mut attempt: impl FnMut() -> Attempt<T, E>,
) -> Result<T, E> {
    let mut failed = 0;
    loop {
        match attempt() {
            Attempt::Done(result) => return result,
            Attempt::Again => continue,
            Attempt::Passing(error) => {
                failed += 1;
                if failed >= max_attempts {
                    return Err(error);
                }
                pause(failed);
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
    ) -> (Result<&'static str, String>, usize, Vec<u32>) {
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
        assert_eq!(pauses, vec![1, 2]);
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
        assert_eq!(pauses, vec![1, 2], "no pause after the last attempt");
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
        assert_eq!(pauses, vec![1]);
    }

    #[test]
    fn the_backoff_doubles_and_stops_growing() {
        let base = Duration::from_millis(250);
        assert_eq!(backoff(base, 1), Duration::from_millis(500));
        assert_eq!(backoff(base, 2), Duration::from_millis(1000));
        assert_eq!(backoff(base, 9), backoff(base, 5));
    }
}
