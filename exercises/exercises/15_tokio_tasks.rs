//! Chapter 15, "Spawning tasks with tokio": run several attempts at once, return the first that
//! succeeds, and stop the others before returning.
//!
//! Graded by plain tests on tokio's paused clock (a current-thread runtime): time jumps straight
//! to the next timer, so the tests assert the exact time `first_ok` takes and the order of the
//! errors, with no sleep racing another. After it returns they check that no task is left alive:
//! dropping a `JoinSet` only asks its tasks to stop, so a version that returns without
//! `shutdown().await` fails on every run. A version that waits for an attempt that never ends
//! hangs; the tests' time limit is virtual time, so it fails at once, with a message, and a
//! watchdog in real time fails a test whose runtime thread is blocked for 5 s.
// TODO: You need `tokio::task::JoinSet` and `tokio::time::sleep`.
use std::time::Duration;
use tokio::time::timeout;

// ANCHOR: exercise
/// Runs every attempt at once (each waits its delay, then yields its result). Returns the
/// first `Ok` to finish, after stopping the others, or every error, in the order they
/// arrived, if all of them fail.
async fn first_ok(attempts: Vec<(Duration, Result<u32, String>)>) -> Result<u32, Vec<String>> {
    // TODO: Spawn one task per attempt into a `JoinSet`.
    // Each task sleeps its delay, then returns its result. Take the results with `join_next`
    // as they finish. At the first `Ok`, stop the other tasks and wait until they have stopped
    // (`JoinSet::shutdown`), then return it. Collect the errors; when the set runs dry, return
    // them all.
    todo!("first_ok of {} attempts", attempts.len())
}
// ANCHOR_END: exercise

#[tokio::main]
async fn main() {
    let ms = Duration::from_millis;
    let limit = Duration::from_secs(10);
    let attempts = vec![
        (Duration::MAX, Ok(1)), // never finishes
        (ms(1), Err("refused".to_string())),
        (ms(3), Ok(2)),
    ];
    let winner = timeout(limit, first_ok(attempts))
        .await
        .expect("first_ok waited for the attempt that never finishes");
    assert_eq!(winner, Ok(2));
    println!("first success: {winner:?}");

    let attempts = vec![(ms(2), Err("b".into())), (ms(1), Err("a".into()))];
    let all_failed = timeout(limit, first_ok(attempts)).await.unwrap();
    let mut errors = all_failed.unwrap_err();
    errors.sort(); // which fails first is up to the real clock
    assert_eq!(errors, ["a", "b"]);
    println!("all failed: {errors:?}");
}

#[cfg(test)]
mod tests {
    use super::first_ok;
    use std::sync::mpsc;
    use std::time::Duration;
    use std::{panic, thread};
    use tokio::runtime::Handle;
    use tokio::time::Instant;

    const ORDER: &str = "see chapter 15, 'Completion order: `JoinSet`'";
    const SHUTDOWN: &str = "see chapter 15, 'Dropping a `JoinSet`, and shutting it down'";

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// A plain `#[test]` (Rustlings looks for one) runs `test` on a current-thread runtime with
    /// the clock paused, on a thread of its own. The limit inside is virtual time: if every task
    /// waits on something other than a timer, the clock jumps to it and the test fails at once.
    /// The watchdog outside, in real time, catches a thread that blocks instead of awaiting.
    fn on_the_paused_clock<F: Future<Output = ()> + 'static>(test: fn() -> F) {
        let (done_tx, done_rx) = mpsc::channel();
        let runner = thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                tokio::time::timeout(Duration::from_secs(60), test())
                    .await
                    .unwrap_or_else(|_| {
                        panic!(
                            "first_ok never returned: it waits for an attempt that never \
                             finishes, or for something that is not a timer; return at the \
                             first `Ok`, taking results as they finish ({ORDER})"
                        )
                    })
            });
            let _ = done_tx.send(());
        });
        if let Err(mpsc::RecvTimeoutError::Timeout) = done_rx.recv_timeout(Duration::from_secs(5)) {
            panic!(
                "first_ok blocked the runtime's only thread for 5 s: await instead of blocking \
                 (see chapter 15, 'What can go wrong: blocking the runtime')"
            );
        }
        if let Err(payload) = runner.join() {
            panic::resume_unwind(payload);
        }
    }

    #[test]
    fn the_first_success_wins_and_the_rest_are_stopped() {
        on_the_paused_clock(|| async {
            let start = Instant::now();
            let result = first_ok(vec![
                (ms(500), Ok(1)),
                (ms(10), Err("refused".into())),
                (ms(30), Ok(2)),
                (ms(20), Ok(3)),
            ])
            .await;
            assert_eq!(
                result,
                Ok(3),
                "the attempt that succeeds first (after 20 ms) must win, whatever its place in \
                 the list ({ORDER})"
            );
            assert_eq!(
                start.elapsed(),
                ms(20),
                "first_ok must run the attempts at once and return as soon as the first `Ok` \
                 arrives ({ORDER})"
            );
            assert_eq!(
                Handle::current().metrics().num_alive_tasks(),
                0,
                "the slower attempts are still alive after first_ok returned: dropping a \
                 JoinSet, or calling abort, only asks its tasks to stop; `shutdown().await` \
                 waits until they have ({SHUTDOWN})"
            );
        });
    }

    #[test]
    fn an_attempt_that_never_finishes_does_not_hold_up_the_winner() {
        on_the_paused_clock(|| async {
            let start = Instant::now();
            let result = first_ok(vec![
                (Duration::MAX, Ok(1)), // never finishes
                (ms(1), Err("refused".into())),
                (ms(3), Ok(2)),
            ])
            .await;
            assert_eq!(result, Ok(2), "({ORDER})");
            assert_eq!(start.elapsed(), ms(3), "({ORDER})");
            assert_eq!(
                Handle::current().metrics().num_alive_tasks(),
                0,
                "the attempt that never finishes is still alive after first_ok returned \
                 ({SHUTDOWN})"
            );
        });
    }

    #[test]
    fn every_error_comes_back_in_completion_order() {
        on_the_paused_clock(|| async {
            let start = Instant::now();
            let result = first_ok(vec![
                (ms(3), Err("c".into())),
                (ms(1), Err("a".into())),
                (ms(2), Err("b".into())),
            ])
            .await;
            assert_eq!(
                result,
                Err(vec!["a".to_string(), "b".into(), "c".into()]),
                "when every attempt fails, return all the errors in the order they arrived, \
                 not the order of the list ({ORDER})"
            );
            assert_eq!(
                start.elapsed(),
                ms(3),
                "the attempts must wait at the same time: three delays of 1 to 3 ms take 3 ms \
                 ({ORDER})"
            );
            assert_eq!(
                first_ok(Vec::new()).await,
                Err(Vec::new()),
                "no attempts: no errors either (see chapter 15, 'Exercise')"
            );
        });
    }
}
