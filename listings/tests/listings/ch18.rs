//! Chapter 18: select!, cancellation and timeouts.

use std::future::Future;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, MissedTickBehavior, sleep};
use tokio_util::sync::CancellationToken;

use crate::support::listing;

#[allow(dead_code)]
#[path = "../../src/bin/ch18_cancel_safety.rs"]
mod cancel_safety;
#[allow(dead_code)]
#[path = "../../src/bin/ch18_graceful.rs"]
mod graceful;
#[allow(dead_code)]
#[path = "../../src/bin/ch18_missed_ticks.rs"]
mod missed_ticks;
#[allow(dead_code)]
#[path = "../../src/bin/ch18_preconditions.rs"]
mod preconditions;
#[allow(dead_code)]
#[path = "../../src/bin/ch18_race.rs"]
mod race;
#[allow(dead_code)]
#[path = "../../src/bin/ch18_shutdown.rs"]
mod shutdown;

const MS: Duration = Duration::from_millis(1);

/// Fails the test with a message instead of letting it hang. Under the paused clock the limit
/// is virtual time, so a deadlock fails at once.
async fn within<F: Future>(limit: Duration, future: F) -> F::Output {
    tokio::time::timeout(limit, future)
        .await
        .unwrap_or_else(|_| panic!("still running after {limit:?}: it hangs"))
}

/// A limit no test here needs, in paused (virtual) time or real time.
const LIMIT: Duration = Duration::from_secs(10);

#[test]
fn the_loser_of_a_race_is_dropped() {
    let run = listing!("ch18_race");
    assert_eq!(
        run.lines(),
        [
            // select! returns after dropping the slow branch, which never finishes.
            "slow operation dropped",
            "winner: fast",
            // timeout drops the operation it gave up on, too.
            "slow operation dropped",
            "slow operation with a 5 ms timeout: Err(Elapsed(()))",
            "fast operation with a 1 s timeout: Ok(\"fast\")",
            "ready operation with a zero timeout: Ok(\"ready\")",
            "blocking operation with a 5 ms timeout: Ok(\"done, 15 ms late\")",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn select_returns_when_the_first_branch_finishes() {
    let start = Instant::now();
    assert_eq!(within(LIMIT, race::race()).await, "fast");
    assert_eq!(start.elapsed(), 2 * MS);
}

#[tokio::test(start_paused = true)]
async fn timeouts_fire_exactly_on_time() {
    let start = Instant::now();
    assert!(within(LIMIT, race::slow_with_timeout()).await.is_err());
    assert_eq!(start.elapsed(), 5 * MS);

    let start = Instant::now();
    assert_eq!(within(LIMIT, race::fast_with_timeout()).await, Ok("fast"));
    assert_eq!(
        start.elapsed(),
        2 * MS,
        "timeout returns as soon as the operation is done"
    );
}

#[tokio::test(start_paused = true)]
async fn timeout_polls_the_operation_before_the_clock() {
    assert_eq!(
        within(LIMIT, race::ready_beats_a_zero_timeout()).await,
        Ok("ready")
    );
}

// The real clock: the point is 20 ms of real blocking that a 5 ms timeout does not stop.
#[tokio::test]
async fn a_timeout_cannot_stop_an_operation_that_never_waits() {
    let start = std::time::Instant::now();
    assert_eq!(
        within(LIMIT, race::blocking_overruns_its_timeout()).await,
        Ok("done, 15 ms late")
    );
    assert!(start.elapsed() >= 20 * MS);
}

#[test]
fn a_dropped_future_loses_its_partial_line() {
    let run = listing!("ch18_cancel_safety");
    assert_eq!(
        run.lines(),
        [
            "lossy reader: [\"lo\", \"world\"]",
            "cancel-safe reader: [\"hello\", \"world\"]"
        ]
    );
}

// The sender makes the loss certain, not likely: the tick is sent only after the reader has
// taken "hel" out of the channel. So the outcome is the same on every run, on many threads too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_safety_outcome_is_the_same_on_many_threads() {
    within(LIMIT, async {
        for run in 0..2_000 {
            assert_eq!(
                cancel_safety::lines_lossy().await,
                ["lo", "world"],
                "run {run}"
            );
            assert_eq!(
                cancel_safety::lines_safe().await,
                ["hello", "world"],
                "run {run}"
            );
        }
    })
    .await;
}

#[test]
fn shutdown_listing_handles_every_job() {
    let run = listing!("ch18_shutdown");
    assert_eq!(run.lines(), ["shut down after handling all 10 jobs"]);
}

#[tokio::test(start_paused = true)]
async fn worker_flushes_on_schedule_and_drains_on_shutdown() {
    let start = Instant::now();
    let summary = within(LIMIT, shutdown::run(10, Duration::ZERO, 35 * MS)).await;
    // Ticks at 0, 10, 20 and 30 ms; shutdown at 35 ms; all ten jobs handled.
    assert_eq!(
        summary,
        shutdown::Summary {
            handled: 10,
            flushes: 4
        }
    );
    assert_eq!(start.elapsed(), 35 * MS);
}

// Fifty jobs of 1 ms each keep the queue busy for 50 ms. With the tick polled before the
// queue, the flushes still come on time: at 0, 10, 20, 30, 40 and 50 ms.
#[tokio::test(start_paused = true)]
async fn flushes_keep_their_schedule_under_a_backlog() {
    let start = Instant::now();
    let summary = within(LIMIT, shutdown::run(50, MS, 55 * MS)).await;
    assert_eq!(
        summary,
        shutdown::Summary {
            handled: 50,
            flushes: 6
        }
    );
    assert_eq!(start.elapsed(), 55 * MS);
}

#[tokio::test(start_paused = true)]
async fn sends_fail_at_once_after_shutdown_begins() {
    within(LIMIT, async {
        let token = CancellationToken::new();
        let (tx, rx) = mpsc::channel(64);
        let worker = tokio::spawn(shutdown::worker(rx, token.clone()));
        for _ in 0..10 {
            tx.send(MS).await.unwrap(); // 10 ms of work queued
        }
        token.cancel();
        sleep(MS).await; // the worker has closed its queue and is draining it
        assert!(!worker.is_finished());
        let start = Instant::now();
        assert!(tx.send(MS).await.is_err(), "a closed queue refuses work");
        assert_eq!(start.elapsed(), Duration::ZERO, "and refuses it at once");
        // The sender is still alive; the drain ends because the queue is closed.
        let summary = worker.await.unwrap();
        assert_eq!(summary.handled, 10);
        drop(tx);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_never_loses_a_queued_job() {
    within(LIMIT, async {
        for _ in 0..20 {
            assert_eq!(
                shutdown::run(50, Duration::ZERO, Duration::ZERO)
                    .await
                    .handled,
                50
            );
        }
    })
    .await;
}

#[test]
fn graceful_listing_accounts_for_every_request() {
    let run = listing!("ch18_graceful");
    assert_eq!(
        run.lines(),
        [
            "Report { accepted: 3, finished: 2, stopped: 1, refused: 0 }",
            "every request answered or stopped; no handler outlived the shutdown",
        ]
    );
}

/// Sends a request to the server and returns where its answer will arrive.
async fn request(
    tx: &mpsc::Sender<graceful::Request>,
    work: Duration,
    cooperative: bool,
) -> oneshot::Receiver<graceful::Outcome> {
    let (reply, answer) = oneshot::channel();
    tx.send(graceful::Request {
        work,
        cooperative,
        reply,
    })
    .await
    .unwrap();
    answer
}

// The whole shutdown, on exact (paused) time. At 0 ms: A (5 ms), B (an hour, but it watches the
// token) and C (an hour, and it does not) are accepted. At 10 ms: D arrives, and the signal.
#[tokio::test(start_paused = true)]
async fn graceful_shutdown_loses_nothing_and_leaves_no_task_behind() {
    within(Duration::from_secs(7200), async {
        let (tx, incoming) = mpsc::channel(16);
        let (stop, stopped) = oneshot::channel::<()>();
        let start = Instant::now();
        let server = tokio::spawn(graceful::serve(
            incoming,
            async {
                let _ = stopped.await;
            },
            20 * MS,
        ));
        let hour = Duration::from_secs(3600);
        let a = request(&tx, 5 * MS, false).await;
        let b = request(&tx, hour, true).await;
        let c = request(&tx, hour, false).await;
        sleep(10 * MS).await;
        let d = request(&tx, MS, false).await;
        stop.send(()).unwrap();

        let report = server.await.unwrap();
        assert_eq!(
            report,
            graceful::Report {
                accepted: 3,
                finished: 2,
                stopped: 1,
                refused: 1
            }
        );
        // The signal at 10 ms, plus the 20 ms of grace that C used up.
        assert_eq!(start.elapsed(), 30 * MS);
        assert_eq!(a.await, Ok(graceful::Outcome::Done));
        assert_eq!(b.await, Ok(graceful::Outcome::StoppedEarly));
        assert!(c.await.is_err(), "C was stopped: its reply sender is gone");
        assert_eq!(d.await, Ok(graceful::Outcome::Refused));
        // Once the server has returned, no task of it is left. (Exact on this one-thread
        // runtime: a finished task is removed before its waiter runs.)
        assert_eq!(
            tokio::runtime::Handle::current()
                .metrics()
                .num_alive_tasks(),
            0
        );
        assert!(tx.is_closed(), "the server stopped accepting for good");
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn missed_ticks_burst_delay_or_skip() {
    within(LIMIT, async {
        let ms = |list: [u32; 4]| list.map(|n| n * MS).to_vec();
        let stall = 25 * MS; // the ticks due at 10 and 20 ms are missed
        assert_eq!(
            missed_ticks::ticks_after_a_stall(MissedTickBehavior::Burst, stall).await,
            ms([25, 25, 30, 40])
        );
        assert_eq!(
            missed_ticks::ticks_after_a_stall(MissedTickBehavior::Delay, stall).await,
            ms([25, 35, 45, 55])
        );
        assert_eq!(
            missed_ticks::ticks_after_a_stall(MissedTickBehavior::Skip, stall).await,
            ms([25, 30, 40, 50])
        );
    })
    .await;
}

// A tick at most 5 ms late does not count as missed: every behaviour keeps the schedule.
#[tokio::test(start_paused = true)]
async fn a_tick_up_to_5_ms_late_is_not_missed() {
    within(LIMIT, async {
        for behavior in [
            MissedTickBehavior::Burst,
            MissedTickBehavior::Delay,
            MissedTickBehavior::Skip,
        ] {
            assert_eq!(
                missed_ticks::ticks_after_a_stall(behavior, 15 * MS).await,
                [15, 20, 30, 40].map(|n| n * MS),
                "{behavior:?}"
            );
        }
    })
    .await;
}

#[test]
fn missed_ticks_listing_runs() {
    let run = listing!("ch18_missed_ticks");
    assert_eq!(
        run.lines(),
        [
            "Burst: the missed ticks come at once, then the old schedule goes on",
            "Delay: one late tick, then a full period after it, and so on",
            "Skip: one late tick, then back on the old schedule",
        ]
    );
}

#[test]
fn preconditions_listing_runs() {
    let run = listing!("ch18_preconditions");
    assert_eq!(
        run.lines(),
        [
            "no deadline: collected [1, 2, 3] until the channel closed",
            "a 5 ms deadline: collected [1], then the deadline passed",
            "reply Some(42), and every progress report after it: [1, 2, 3]",
        ]
    );
}

// With no deadline the branch is disabled, but its expression is still evaluated: it must
// not unwrap the missing deadline.
#[tokio::test(start_paused = true)]
async fn a_disabled_branch_is_evaluated_but_never_polled() {
    within(LIMIT, async {
        let (tx, rx) = mpsc::channel(8);
        tokio::spawn(async move {
            for i in 1..=3 {
                sleep(MS).await;
                tx.send(i).await.unwrap();
            }
        });
        let start = Instant::now();
        assert_eq!(preconditions::collect_until(rx, None).await, [1, 2, 3]);
        assert_eq!(start.elapsed(), 3 * MS);

        let (tx, rx) = mpsc::channel(8);
        tx.send(1).await.unwrap();
        let start = Instant::now();
        let deadline = Some(start + 5 * MS);
        assert_eq!(preconditions::collect_until(rx, deadline).await, [1]);
        assert_eq!(start.elapsed(), 5 * MS, "the deadline ends it, exactly");
        drop(tx);
    })
    .await;
}

// The reply comes at 0 ms, the reports at 1, 2 and 3 ms: after the reply, every turn of the
// loop finds the reports' branch waiting, so without the precondition `&mut reply` would be
// polled again, after completing, and panic.
#[tokio::test(start_paused = true)]
async fn a_completed_future_is_not_polled_again() {
    within(LIMIT, async {
        let (reply_tx, reply_rx) = oneshot::channel();
        let (progress_tx, progress_rx) = mpsc::channel(8);
        reply_tx.send(42).unwrap();
        tokio::spawn(async move {
            for report in 1..=3 {
                sleep(MS).await;
                progress_tx.send(report).await.unwrap();
            }
        });
        let (answer, reports) = preconditions::reply_and_progress(reply_rx, progress_rx).await;
        assert_eq!(answer, Some(42));
        assert_eq!(reports, [1, 2, 3]);

        // A reply sender dropped without an answer completes the future too.
        let (reply_tx, reply_rx) = oneshot::channel::<u32>();
        let (progress_tx, progress_rx) = mpsc::channel(8);
        drop(reply_tx);
        tokio::spawn(async move {
            sleep(MS).await;
            progress_tx.send(7).await.unwrap();
        });
        assert_eq!(
            preconditions::reply_and_progress(reply_rx, progress_rx).await,
            (None, vec![7])
        );
    })
    .await;
}

#[test]
fn timeline_the_timer_wins_and_the_slow_branch_stops_where_it_was() {
    let run = listing!("ch18_timeline");
    let lines = run.lines();
    assert_eq!(lines.first(), Some(&"main: select started"));
    for line in [
        "timer: fired after 7 ms",
        "slow: dropped",
        "main: select returned, the timer won",
    ] {
        run.assert_once(line);
    }
    let fired = run.position("timer: fired after 7 ms");
    let dropped = run.position("slow: dropped");
    let returned = run.position("main: select returned, the timer won");
    // The timer's future prints, then completes; `select!` then drops the other branch and
    // returns, without polling it again.
    assert!(fired < dropped && dropped < returned, "{}", run.stdout);
    // How many 2 ms steps the slow branch took first depends on the machine; that every one
    // came before the timer fired, in order, does not.
    let steps: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((i, l.strip_prefix("slow: step ")?.parse().unwrap())))
        .collect();
    for (k, &(position, step)) in steps.iter().enumerate() {
        assert_eq!(step, k + 1, "{}", run.stdout);
        assert!(position < fired, "{}", run.stdout);
    }
    assert_eq!(
        lines.last(),
        Some(&"main: 5 ms later, slow has taken no step since")
    );
    assert_eq!(lines.len(), 5 + steps.len(), "{}", run.stdout);
}
