//! Chapter 12, listing 3: real work stealing with crossbeam's deques. Each worker owns a
//! deque, big jobs split themselves, and idle workers steal from the injector or a sibling.
use crossbeam::deque::{Injector, Steal, Stealer, Worker};
use crossbeam::utils::Backoff;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

const ITEMS: usize = 4096;
/// Jobs at most this long are run, not split.
const GRAIN: usize = 16;
const WORKERS: usize = 4;

/// Item `i` costs 1 unit, except the first quarter, which costs 50: the load is uneven.
fn cost(i: usize) -> u64 {
    if i < ITEMS / 4 { 50 } else { 1 }
}

fn work(i: usize) -> u64 {
    (0..cost(i) * 40).fold(i as u64, |acc, k| black_box(acc.wrapping_mul(31) ^ k))
}

/// A job: process items `lo..hi`.
struct Job {
    lo: usize,
    hi: usize,
}

#[derive(Default, Debug)]
struct Stats {
    local: usize,
    injected: usize,
    stolen: usize,
    checksum: u64,
}

// ANCHOR: find
enum Source {
    Local,
    Injector,
    Sibling,
}

/// Where a worker looks for its next job: its own deque first, then the shared injector,
/// then the other workers' deques.
fn find_job<T>(
    local: &Worker<T>,
    injector: &Injector<T>,
    siblings: &[&Stealer<T>],
) -> Option<(T, Source)> {
    if let Some(job) = local.pop() {
        return Some((job, Source::Local));
    }
    loop {
        // Move a batch of injected jobs into our own deque and take one of them.
        match injector.steal_batch_and_pop(local) {
            Steal::Success(job) => return Some((job, Source::Injector)),
            Steal::Retry => continue,
            Steal::Empty => {}
        }
        // Take the oldest job from a sibling's deque.
        let mut retry = false;
        for sibling in siblings {
            match sibling.steal() {
                Steal::Success(job) => return Some((job, Source::Sibling)),
                Steal::Retry => retry = true,
                Steal::Empty => {}
            }
        }
        // `Retry` means we lost a race with another thief, not that the deque is empty.
        if !retry {
            return None;
        }
    }
}
// ANCHOR_END: find

// ANCHOR: run
/// Runs `job`: while it is too big, push its right half where thieves can see it.
fn run(mut job: Job, local: &Worker<Job>, pending: &AtomicUsize, runs: &[AtomicUsize]) -> u64 {
    while job.hi - job.lo > GRAIN {
        let mid = job.lo + (job.hi - job.lo) / 2;
        // Count the new job *before* publishing it: a thief may run it and
        // decrement `pending` before this thread's next instruction.
        pending.fetch_add(1, Ordering::Relaxed);
        local.push(Job {
            lo: mid,
            hi: job.hi,
        });
        job.hi = mid;
    }
    let mut checksum = 0u64;
    for (i, count) in (job.lo..job.hi).zip(&runs[job.lo..job.hi]) {
        checksum = checksum.wrapping_add(work(i));
        count.fetch_add(1, Ordering::Relaxed);
    }
    checksum
}
// ANCHOR_END: run

// ANCHOR: worker
fn worker_loop(
    local: Worker<Job>,
    injector: &Injector<Job>,
    siblings: &[&Stealer<Job>],
    pending: &AtomicUsize,
    runs: &[AtomicUsize],
) -> Stats {
    let mut stats = Stats::default();
    let backoff = Backoff::new();
    loop {
        match find_job(&local, injector, siblings) {
            Some((job, source)) => {
                match source {
                    Source::Local => stats.local += 1,
                    Source::Injector => stats.injected += 1,
                    Source::Sibling => stats.stolen += 1,
                }
                let sum = run(job, &local, pending, runs);
                stats.checksum = stats.checksum.wrapping_add(sum);
                // This job is finished; any jobs it created were counted already.
                pending.fetch_sub(1, Ordering::Release);
                backoff.reset();
            }
            // Nothing to find. That is not the same as "all done": another worker may be
            // running a job that is about to push more. Only `pending == 0` means done.
            None if pending.load(Ordering::Acquire) == 0 => return stats,
            None => backoff.snooze(),
        }
    }
}
// ANCHOR_END: worker

fn main() {
    // ANCHOR: main
    let injector = Injector::new();
    injector.push(Job { lo: 0, hi: ITEMS });
    let pending = AtomicUsize::new(1); // jobs created and not yet finished
    let runs: Vec<AtomicUsize> = (0..ITEMS).map(|_| AtomicUsize::new(0)).collect();

    // LIFO: the owner pops the job it pushed last (small, cache-warm); thieves steal
    // from the other end, where the oldest and biggest halves are.
    let locals: Vec<Worker<Job>> = (0..WORKERS).map(|_| Worker::new_lifo()).collect();
    let stealers: Vec<Stealer<Job>> = locals.iter().map(Worker::stealer).collect();

    let stats: Vec<Stats> = thread::scope(|s| {
        let handles: Vec<_> = locals
            .into_iter()
            .enumerate()
            .map(|(me, local)| {
                let siblings: Vec<&Stealer<Job>> = (stealers.iter().enumerate())
                    .filter(|&(i, _)| i != me)
                    .map(|(_, st)| st)
                    .collect();
                let (injector, pending, runs) = (&injector, &pending, &runs);
                s.spawn(move || worker_loop(local, injector, &siblings, pending, runs))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // ANCHOR_END: main

    // ANCHOR: check
    for (id, st) in stats.iter().enumerate() {
        println!(
            "worker {id}: own deque {}, injector {}, stolen {}",
            st.local, st.injected, st.stolen
        );
    }
    assert!(runs.iter().all(|r| r.load(Ordering::Relaxed) == 1));
    let jobs: usize = stats
        .iter()
        .map(|st| st.local + st.injected + st.stolen)
        .sum();
    assert_eq!(jobs, ITEMS / GRAIN, "one job per leaf of the splitting");
    let parallel = stats
        .iter()
        .fold(0u64, |acc, st| acc.wrapping_add(st.checksum));
    let sequential = (0..ITEMS).fold(0u64, |acc, i| acc.wrapping_add(work(i)));
    assert_eq!(parallel, sequential);
    println!("{ITEMS} items, each processed exactly once, in {jobs} jobs");
    println!("checksum matches the sequential run");
    // ANCHOR_END: check
}
