//! Chapter 17: select, cancellation and timeouts.

use std::time::Duration;

use tokio::time::Instant;

use crate::support::listing;

#[allow(dead_code)]
#[path = "../../src/bin/ch17_cancel_safety.rs"]
mod cancel_safety;
#[allow(dead_code)]
#[path = "../../src/bin/ch17_race.rs"]
mod race;
#[allow(dead_code)]
#[path = "../../src/bin/ch17_shutdown.rs"]
mod shutdown;
#[allow(dead_code)]
#[path = "../../src/bin/ch17_solution.rs"]
mod solution;

const MS: Duration = Duration::from_millis(1);

#[test]
fn the_loser_of_a_race_is_dropped() {
    let run = listing!("ch17_race");
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
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn select_returns_when_the_first_branch_finishes() {
    let start = Instant::now();
    assert_eq!(race::race().await, "fast");
    assert_eq!(start.elapsed(), 2 * MS);
}

#[tokio::test(start_paused = true)]
async fn timeouts_fire_exactly_on_time() {
    let start = Instant::now();
    assert!(race::slow_with_timeout().await.is_err());
    assert_eq!(start.elapsed(), 5 * MS);

    let start = Instant::now();
    assert_eq!(race::fast_with_timeout().await, Ok("fast"));
    assert_eq!(
        start.elapsed(),
        2 * MS,
        "timeout returns as soon as the operation is done"
    );
}

#[test]
fn a_dropped_future_loses_its_partial_line() {
    let run = listing!("ch17_cancel_safety");
    assert_eq!(
        run.lines(),
        [
            "lossy reader: [\"lo\", \"world\"]",
            "cancel-safe reader: [\"hello\", \"world\"]"
        ]
    );
}

// The loss does not depend on timing: the same on a multi-threaded runtime, every time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_safety_outcome_is_the_same_on_many_threads() {
    for _ in 0..50 {
        assert_eq!(cancel_safety::lines_lossy().await, ["lo", "world"]);
        assert_eq!(cancel_safety::lines_safe().await, ["hello", "world"]);
    }
}

#[test]
fn shutdown_listing_handles_every_job() {
    let run = listing!("ch17_shutdown");
    assert_eq!(run.lines(), ["shut down after handling all 10 jobs"]);
}

#[tokio::test(start_paused = true)]
async fn worker_flushes_on_schedule_and_drains_on_shutdown() {
    let start = Instant::now();
    let summary = shutdown::run(10, 35 * MS).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_never_loses_a_queued_job() {
    for _ in 0..20 {
        assert_eq!(shutdown::run(50, Duration::ZERO).await.handled, 50);
    }
}

#[tokio::test(start_paused = true)]
async fn batches_close_on_size_or_on_time() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    tokio::spawn(async move {
        for i in 1..=3 {
            tx.send(i).await.unwrap();
        }
        tokio::time::sleep(5 * MS).await;
        tx.send(4).await.unwrap();
        tokio::time::sleep(45 * MS).await; // t = 50 ms
        tx.send(5).await.unwrap();
    });
    let start = Instant::now();
    let window = 10 * MS;
    // Batch one: 1, 2, 3 at once and 4 at 5 ms; the window closes at 10 ms.
    assert_eq!(
        solution::recv_batch(&mut rx, 10, window).await,
        Some(vec![1, 2, 3, 4])
    );
    assert_eq!(start.elapsed(), 10 * MS);
    // Batch two starts with 5 at 50 ms; the sender is gone after it, so it ends at once.
    assert_eq!(
        solution::recv_batch(&mut rx, 10, window).await,
        Some(vec![5])
    );
    assert_eq!(start.elapsed(), 50 * MS);
    assert_eq!(solution::recv_batch(&mut rx, 10, window).await, None);
}

#[tokio::test(start_paused = true)]
async fn a_full_batch_does_not_wait_for_the_window() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    for i in 1..=5 {
        tx.send(i).await.unwrap();
    }
    let start = Instant::now();
    assert_eq!(
        solution::recv_batch(&mut rx, 3, 10 * MS).await,
        Some(vec![1, 2, 3])
    );
    assert_eq!(start.elapsed(), Duration::ZERO);
    // The window is measured from the first message of each batch.
    assert_eq!(
        solution::recv_batch(&mut rx, 3, 10 * MS).await,
        Some(vec![4, 5])
    );
    assert_eq!(start.elapsed(), 10 * MS);
}

#[test]
fn exercise_solution_runs() {
    let run = listing!("ch17_solution");
    assert_eq!(run.lines(), ["batches: [[1, 2], [3, 4], [5]]"]);
}

#[test]
fn timeline_the_timer_wins_and_the_slow_branch_stops_where_it_was() {
    let run = listing!("ch17_timeline");
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
