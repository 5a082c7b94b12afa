//! Chapter 12: shared queues and work stealing.

use crate::support::{listing, within};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

// The listings themselves, so that tests can give them jobs of their own.
#[allow(dead_code)] // the listing's `main` and helpers
#[path = "../../src/bin/ch12_shared_queue.rs"]
mod shared_queue;
#[allow(dead_code)]
#[path = "../../src/bin/ch12_work_stealing.rs"]
mod work_stealing;

/// How long a test waits for another thread before it declares it stuck: 10 s (shorter under
/// `cargo xtask mutants`, see `support::capped`). Whole tests get twice that.
fn wait_limit() -> Duration {
    crate::support::capped(Duration::from_secs(10))
}

/// Waits until `count` reaches `target`; panics with `why` after `wait_limit()`.
fn wait_until(count: &AtomicUsize, target: usize, why: &str) {
    let (start, limit) = (Instant::now(), wait_limit());
    while count.load(Ordering::SeqCst) < target {
        assert!(start.elapsed() < limit, "{why}");
        thread::yield_now();
    }
}

#[test]
fn shared_queue_runs_every_job_exactly_once() {
    let run = listing!("ch12_shared_queue");
    let mut per_worker = [0usize; 4];
    for job in 1..=20 {
        let suffix = format!(" ran job {job}");
        let lines: Vec<&str> = run
            .lines()
            .into_iter()
            .filter(|l| l.ends_with(&suffix))
            .collect();
        assert_eq!(
            lines.len(),
            1,
            "job {job} ran {} times:\n{}",
            lines.len(),
            run.stdout
        );
        let id: usize = lines[0]["worker ".len()..lines[0].len() - suffix.len()]
            .parse()
            .unwrap();
        per_worker[id] += 1;
    }
    // The summary's per-worker counts agree with the lines each worker printed.
    run.assert_once(&format!(
        "20 jobs, each run exactly once; jobs per worker: {per_worker:?}"
    ));
    assert_eq!(run.lines().len(), 21, "nothing else is printed");
}

#[test]
fn while_let_on_lock_holds_the_lock_during_the_body() {
    let run = listing!("ch12_lock_held");
    let expected: Vec<String> = [true, false]
        .iter()
        .flat_map(|held| {
            (1..=3).map(move |job| format!("job {job}: lock still held while the job runs: {held}"))
        })
        .collect();
    assert_eq!(run.lines(), expected);
}

#[test]
fn work_stealing_processes_every_item_once_and_terminates() {
    let run = listing!("ch12_work_stealing");
    run.assert_once("4096 items, each processed exactly once, in 256 jobs");
    run.assert_once("checksum matches the sequential run");
    // Every job a worker ran came from somewhere: the counts add up to the 256 jobs.
    let (mut total, mut injected) = (0, 0);
    for id in 0..4 {
        let prefix = format!("worker {id}: own deque ");
        let line = run
            .lines()
            .into_iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no stats for worker {id}:\n{}", run.stdout));
        let counts: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .skip(1) // the worker's id
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(counts.len(), 3, "{line}");
        total += counts.iter().sum::<usize>();
        injected += counts[1];
    }
    assert_eq!(total, 256);
    // The injector held one job, the whole range: every other job was split off from it.
    assert_eq!(injected, 1, "{}", run.stdout);
}

#[test]
fn shared_queue_a_slow_job_does_not_hold_up_the_others() {
    // Job 0 cannot finish until all 19 others have. A worker that is running it must not
    // keep the lock, nor hold any other job: the other worker has to be able to take them.
    const JOBS: usize = 20;
    let per_worker = within(2 * wait_limit(), "run_all", || {
        let finished = AtomicUsize::new(0);
        let queue = shared_queue::SharedQueue::new(0..JOBS);
        let (per_worker, _) = shared_queue::run_all(&queue, 2, |_, job| {
            if job == 0 {
                wait_until(
                    &finished,
                    JOBS - 1,
                    "job 0 waited in vain for the other jobs: they were stuck behind it",
                );
            }
            finished.fetch_add(1, Ordering::SeqCst);
            0
        });
        per_worker
    });
    assert_eq!(per_worker.iter().sum::<usize>(), JOBS);
}

#[test]
fn work_stealing_idle_workers_steal_from_a_busy_one() {
    // Item 0 cannot finish until the last item has been processed. The worker that took the
    // whole range is stuck in item 0 with every other piece in its deque: only a thief can
    // get to the last item.
    const ITEMS: usize = 4096;
    let stats = within(2 * wait_limit(), "work_stealing", || {
        let last_done = Arc::new(AtomicUsize::new(0));
        work_stealing::work_stealing(ITEMS, 16, 2, move |i| {
            if i == 0 {
                wait_until(
                    &last_done,
                    1,
                    "item 0 waited in vain for the last item: nobody stole the rest of the work",
                );
            }
            if i == ITEMS - 1 {
                last_done.store(1, Ordering::SeqCst);
            }
            i as u64
        })
    });
    let sum = stats
        .iter()
        .fold(0u64, |acc, st| acc.wrapping_add(st.checksum));
    assert_eq!(sum, (0..ITEMS as u64).sum::<u64>());
    assert!(stats.iter().map(|st| st.stolen).sum::<usize>() >= 1);
}

#[test]
fn work_stealing_a_panicking_job_does_not_hang_the_pool() {
    // The listing's last part: a job panics, the other workers finish, main gets the panic.
    let run = listing!("ch12_work_stealing");
    run.assert_once("a panicking job: the other workers finished, and the panic reached main");
    assert!(run.stderr.contains("item 1000 is broken"), "{}", run.stderr);
}
