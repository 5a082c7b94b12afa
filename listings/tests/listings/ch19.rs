//! Chapter 19: locks in async code, and the alternatives.

use std::future::Future;
use std::time::Duration;

use tokio::time::{Instant, timeout};

use crate::support::listing;

#[allow(dead_code)]
#[path = "../../src/bin/ch19_deadlock.rs"]
mod deadlock;
#[allow(dead_code)]
#[path = "../../src/bin/ch19_hold_across_await.rs"]
mod hold;
#[allow(dead_code)]
#[path = "../../src/bin/ch19_semaphore.rs"]
mod semaphore;
#[allow(dead_code)]
#[path = "../../src/bin/ch19_sharded.rs"]
mod sharded;
#[allow(dead_code)]
#[path = "../../src/bin/ch19_tokio_mutex.rs"]
mod tokio_mutex;
#[allow(dead_code)]
#[path = "../../src/bin/ch19_tracing.rs"]
mod tracing_listing;

const MS: Duration = Duration::from_millis(1);

/// Fails the test with a message instead of letting it hang. Under the paused clock the limit
/// is virtual time, so a deadlock fails at once.
async fn within<F: Future>(limit: Duration, future: F) -> F::Output {
    timeout(limit, future)
        .await
        .unwrap_or_else(|_| panic!("still running after {limit:?}: it hangs"))
}

/// A limit no test here needs, in paused (virtual) time or real time.
const LIMIT: Duration = Duration::from_secs(10);

#[test]
fn std_mutex_counts_every_update_across_tasks() {
    let run = listing!("ch19_std_mutex");
    assert_eq!(run.lines(), ["10000 requests, 505000 bytes"]);
}

#[test]
fn hold_across_await_listing_counts_correctly() {
    let run = listing!("ch19_hold_across_await");
    assert_eq!(run.lines(), ["both versions counted to 15"]);
}

// Under the paused clock the cost of holding the lock is exact: 3 workers, 5 rounds, 10 ms.
#[tokio::test(start_paused = true)]
async fn holding_the_lock_across_the_sleep_serialises_the_workers() {
    let (count, took) = within(LIMIT, hold::hold_across_work(3, 5, 10 * MS)).await;
    assert_eq!(count, 15);
    assert_eq!(
        took,
        3 * 5 * 10 * MS,
        "every sleep happened under the lock, one at a time"
    );

    let (count, took) = within(LIMIT, hold::release_before_work(3, 5, 10 * MS)).await;
    assert_eq!(count, 15);
    assert_eq!(took, 5 * 10 * MS, "the workers slept side by side");
}

#[test]
fn records_stay_whole_under_the_async_mutex_and_the_owner_task() {
    let run = listing!("ch19_tokio_mutex");
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
    within(LIMIT, async {
        for _ in 0..20 {
            let log = tokio_mutex::with_async_mutex().await;
            assert_eq!(log.len(), 30);
            assert!(tokio_mutex::records_are_whole(&log));
            let (log, _writes) = tokio_mutex::with_owner_task().await;
            assert_eq!(log.len(), 30);
            assert!(tokio_mutex::records_are_whole(&log));
        }
    })
    .await;
}

// One thread is where a lock per part interleaves records every time (see below); the async
// mutex, held for the whole record, keeps them whole there too.
#[tokio::test]
async fn the_async_mutex_keeps_records_whole_on_one_thread() {
    let log = within(LIMIT, tokio_mutex::with_async_mutex()).await;
    assert_eq!(log.len(), 30);
    assert!(tokio_mutex::records_are_whole(&log), "{log:#?}");
}

// On one thread the order is exact: all ten writers send before the owner runs again, and
// it writes the ten records with one write, where the mutex version makes three per record.
#[tokio::test]
async fn the_owner_writes_every_waiting_record_at_once() {
    let (log, writes) = within(LIMIT, tokio_mutex::with_owner_task()).await;
    assert_eq!(log.len(), 30);
    assert!(tokio_mutex::records_are_whole(&log));
    assert_eq!(writes, 1);
}

// On one thread the interleaving is deterministic: every task writes its part 0, yields,
// and the next task's part 0 follows.
#[tokio::test]
async fn a_lock_per_part_lets_records_interleave() {
    let log = within(LIMIT, tokio_mutex::lock_per_part()).await;
    assert_eq!(log.len(), 30);
    assert!(!tokio_mutex::records_are_whole(&log));
    assert_eq!(log[0], "record 0: part 0");
    assert_eq!(log[1], "record 1: part 0");
}

#[test]
fn opposite_lock_order_deadlocks() {
    let run = listing!("ch19_deadlock");
    assert_eq!(
        run.lines(),
        ["deadlock: neither task finished within 20 ms"]
    );
}

#[tokio::test(start_paused = true)]
async fn the_deadlock_lasts_as_long_as_you_wait() {
    let start = Instant::now();
    // An hour of (paused, so instant) waiting does not help.
    let finished = within(
        Duration::from_secs(7200),
        deadlock::opposite_order(Duration::from_secs(3600)),
    )
    .await;
    assert!(!finished);
    assert_eq!(start.elapsed(), Duration::from_secs(3600));
}

#[test]
fn semaphore_listing_stays_within_the_limit() {
    let run = listing!("ch19_semaphore");
    assert_eq!(run.lines(), ["20 tasks, never more than 3 at once"]);
}

#[tokio::test(start_paused = true)]
async fn semaphore_admits_exactly_the_limit() {
    let start = Instant::now();
    assert_eq!(within(LIMIT, semaphore::bounded(20, 3, 10 * MS)).await, 3);
    // 20 tasks, 3 at a time: 7 rounds of 10 ms.
    assert_eq!(start.elapsed(), 70 * MS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn semaphore_bound_holds_on_many_threads() {
    for limit in [1, 2, 5] {
        let most = within(LIMIT, semaphore::bounded(30, limit, Duration::ZERO)).await;
        assert!((1..=limit).contains(&most), "{most} > {limit}");
    }
}

#[test]
fn sharded_map_listing_counts_every_hit() {
    let run = listing!("ch19_sharded");
    assert_eq!(
        run.lines(),
        ["8000 hits over 100 keys in 16 shards: every key counted 80 times"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharded_map_counts_exactly_on_many_threads() {
    let map = within(LIMIT, sharded::count_hits(16, 2000, 50)).await;
    // Each task's 2000 consecutive keys cover the 50 keys 40 times; 16 tasks: 640 each.
    for key in 0..50 {
        assert_eq!(map.get(&key), Some(640), "key {key}");
    }
}

#[test]
fn a_key_always_lives_in_one_shard_and_keys_spread_over_all() {
    let map = sharded::ShardedMap::<u64, u64>::new(16);
    let mut used = [false; 16];
    for key in 0..1000 {
        let shard = map.shard_of(&key);
        assert!(
            (0..10).all(|_| map.shard_of(&key) == shard),
            "key {key} moved"
        );
        used[shard] = true;
    }
    assert!(
        used.iter().all(|&u| u),
        "1000 keys left a shard empty: {used:?}"
    );
}

#[test]
fn the_tracing_listing_prints_each_event_inside_its_spans() {
    let run = listing!("ch19_tracing");
    let expected = [
        " INFO connection{peer=1}:handle{request=1}: waiting for the cache",
        " INFO connection{peer=1}:handle{request=1}: got the cache",
        " INFO connection{peer=1}:handle{request=1}: calling the backend with the cache locked",
        " INFO connection{peer=2}:handle{request=2}: waiting for the cache",
        " INFO connection{peer=3}:handle{request=3}: waiting for the cache",
        " WARN gave up after 1s: 0 of 3 requests served",
    ];
    for line in expected {
        run.assert_once(line);
    }
    assert_eq!(run.lines().len(), expected.len(), "{}", run.stdout);
}

/// A writer that keeps everything the subscriber writes, so that a test can read the log.
#[derive(Clone, Default)]
struct Log(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn the_log_names_the_task_that_holds_the_lock_and_those_that_wait() {
    let log = Log::default();
    let subscriber = tracing_subscriber::fmt()
        .without_time()
        .with_target(false)
        .with_ansi(false)
        .with_writer({
            let log = log.clone();
            move || log.clone()
        })
        .finish();
    // The test's runtime has one thread, this one, so a thread-local default sees every event.
    let _default = tracing::subscriber::set_default(subscriber);
    let served = within(LIMIT, tracing_listing::serve(5, Duration::from_secs(1))).await;
    assert_eq!(served, 0);

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // Every request logged inside its own two spans, nested: the connection's, then `handle`'s.
    for peer in 1..=5 {
        let waiting = format!(
            " INFO connection{{peer={peer}}}:handle{{request={peer}}}: waiting for the cache"
        );
        assert_eq!(lines.iter().filter(|l| **l == waiting).count(), 1, "{text}");
    }
    // Exactly one request got the cache, request 1, and the last thing it did was the slow call.
    let holders: Vec<&&str> = lines
        .iter()
        .filter(|l| l.ends_with("got the cache"))
        .collect();
    assert_eq!(
        holders,
        [&" INFO connection{peer=1}:handle{request=1}: got the cache"],
        "{text}"
    );
    let request_1: Vec<&&str> = lines.iter().filter(|l| l.contains("{request=1}")).collect();
    assert_eq!(
        request_1.last(),
        Some(
            &&" INFO connection{peer=1}:handle{request=1}: calling the backend with the cache locked"
        ),
        "{text}"
    );
    assert_eq!(
        lines.last(),
        Some(&" WARN gave up after 1s: 0 of 5 requests served"),
        "{text}"
    );
}
