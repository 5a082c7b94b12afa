//! Chapter 18: async mutexes, and the alternatives.

use std::time::Duration;

use tokio::time::Instant;

use crate::support::listing;

#[allow(dead_code)]
#[path = "../../src/bin/ch18_deadlock.rs"]
mod deadlock;
#[allow(dead_code)]
#[path = "../../src/bin/ch18_hold_across_await.rs"]
mod hold;
#[allow(dead_code)]
#[path = "../../src/bin/ch18_semaphore.rs"]
mod semaphore;
#[allow(dead_code)]
#[path = "../../src/bin/ch18_solution.rs"]
mod solution;
#[allow(dead_code)]
#[path = "../../src/bin/ch18_tokio_mutex.rs"]
mod tokio_mutex;

const MS: Duration = Duration::from_millis(1);

#[test]
fn std_mutex_counts_every_update_across_tasks() {
    let run = listing!("ch18_std_mutex");
    assert_eq!(run.lines(), ["10000 requests, 505000 bytes"]);
}

#[test]
fn hold_across_await_listing_counts_correctly() {
    let run = listing!("ch18_hold_across_await");
    assert_eq!(run.lines(), ["both versions counted to 15"]);
}

// Under the paused clock the cost of holding the lock is exact: 3 workers, 5 rounds, 10 ms.
#[tokio::test(start_paused = true)]
async fn holding_the_lock_across_the_sleep_serialises_the_workers() {
    let (count, took) = hold::hold_across_work(3, 5, 10 * MS).await;
    assert_eq!(count, 15);
    assert_eq!(
        took,
        3 * 5 * 10 * MS,
        "every sleep happened under the lock, one at a time"
    );

    let (count, took) = hold::release_before_work(3, 5, 10 * MS).await;
    assert_eq!(count, 15);
    assert_eq!(took, 5 * 10 * MS, "the workers slept side by side");
}

#[test]
fn records_stay_whole_under_the_async_mutex_and_the_owner_task() {
    let run = listing!("ch18_tokio_mutex");
    assert_eq!(
        run.lines(),
        [
            "tokio::sync::Mutex: 10 records, none interleaved",
            "owner task: 10 records, none interleaved",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_stay_whole_on_many_threads() {
    for _ in 0..20 {
        let log = tokio_mutex::with_async_mutex().await;
        assert_eq!(log.len(), 30);
        assert!(tokio_mutex::records_are_whole(&log));
        let log = tokio_mutex::with_owner_task().await;
        assert_eq!(log.len(), 30);
        assert!(tokio_mutex::records_are_whole(&log));
    }
}

// On one thread the interleaving is deterministic: every task writes its part 0, yields,
// and the next task's part 0 follows.
#[tokio::test]
async fn a_lock_per_part_lets_records_interleave() {
    let log = tokio_mutex::lock_per_part().await;
    assert_eq!(log.len(), 30);
    assert!(!tokio_mutex::records_are_whole(&log));
    assert_eq!(log[0], "record 0: part 0");
    assert_eq!(log[1], "record 1: part 0");
}

#[test]
fn opposite_lock_order_deadlocks() {
    let run = listing!("ch18_deadlock");
    assert_eq!(
        run.lines(),
        ["deadlock: neither task finished within 20 ms"]
    );
}

#[tokio::test(start_paused = true)]
async fn the_deadlock_lasts_as_long_as_you_wait() {
    let start = Instant::now();
    // An hour of (paused, so instant) waiting does not help.
    assert!(!deadlock::opposite_order(Duration::from_secs(3600)).await);
    assert_eq!(start.elapsed(), Duration::from_secs(3600));
}

#[test]
fn semaphore_listing_stays_within_the_limit() {
    let run = listing!("ch18_semaphore");
    assert_eq!(run.lines(), ["20 tasks, never more than 3 at once"]);
}

#[tokio::test(start_paused = true)]
async fn semaphore_admits_exactly_the_limit() {
    let start = Instant::now();
    assert_eq!(semaphore::bounded(20, 3, 10 * MS).await, 3);
    // 20 tasks, 3 at a time: 7 rounds of 10 ms.
    assert_eq!(start.elapsed(), 70 * MS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn semaphore_bound_holds_on_many_threads() {
    for limit in [1, 2, 5] {
        let most = semaphore::bounded(30, limit, Duration::ZERO).await;
        assert!((1..=limit).contains(&most), "{most} > {limit}");
    }
}

#[tokio::test(start_paused = true)]
async fn fetch_all_keeps_order_and_the_limit() {
    let ids: Vec<u64> = (1..=10).collect();
    let expected: Vec<u64> = ids.iter().map(|i| i * i).collect();
    for (limit, rounds) in [(1, 10), (3, 4), (10, 1), (50, 1)] {
        let start = Instant::now();
        assert_eq!(solution::fetch_all(ids.clone(), limit).await, expected);
        // Each fetch takes 10 ms; `limit` at a time means ceil(10 / limit) rounds.
        assert_eq!(start.elapsed(), rounds * 10 * MS, "limit {limit}");
    }
}

#[test]
fn exercise_solution_runs() {
    let run = listing!("ch18_solution");
    assert_eq!(
        run.lines(),
        ["results: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]"]
    );
}
