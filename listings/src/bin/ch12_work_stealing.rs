//! Chapter 12, listing 3: real work stealing with crossbeam's deques. Each worker owns a
//! deque, big jobs split themselves, and idle workers steal from the injector or a sibling.
use crossbeam::deque::{Injector, Steal, Stealer, Worker};
use crossbeam::utils::Backoff;
use std::hint::black_box;
use std::panic;
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
pub struct Job {
    lo: usize,
    hi: usize,
}

/// What one worker did: where its jobs came from, and the sum of its items' results.
#[derive(Default, Debug)]
pub struct Stats {
    pub local: usize,
    pub injected: usize,
    pub stolen: usize,
    pub checksum: u64,
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
/// Runs `job`: while it has more than `grain` items, push its right half where thieves
/// can see it. Returns the (wrapping) sum of `item(i)` over the items it processed.
fn run(
    mut job: Job,
    grain: usize,
    local: &Worker<Job>,
    pending: &AtomicUsize,
    item: &impl Fn(usize) -> u64,
) -> u64 {
    while job.hi - job.lo > grain {
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
    (job.lo..job.hi).fold(0u64, |sum, i| sum.wrapping_add(item(i)))
}
// ANCHOR_END: run

// ANCHOR: worker
/// Uncounts one job when it is dropped: when `run` returns, and also when it panics.
struct Finished<'a>(&'a AtomicUsize);

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        // The job is over; any jobs it created were counted already.
        self.0.fetch_sub(1, Ordering::Release);
    }
}

fn worker_loop(
    local: Worker<Job>,
    injector: &Injector<Job>,
    siblings: &[&Stealer<Job>],
    pending: &AtomicUsize,
    grain: usize,
    item: &impl Fn(usize) -> u64,
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
                // A job that panicked and stayed counted would keep `pending` above
                // zero, and every other worker would wait for it forever.
                let _finished = Finished(pending);
                let sum = run(job, grain, &local, pending, item);
                stats.checksum = stats.checksum.wrapping_add(sum);
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

// ANCHOR: pool
/// Computes `item(i)` for every `i` in `0..items` on `workers` threads, splitting the work
/// into jobs of at most `grain` items, and returns what each worker did.
pub fn work_stealing(
    items: usize,
    grain: usize,
    workers: usize,
    item: impl Fn(usize) -> u64 + Sync,
) -> Vec<Stats> {
    // A grain of 0 would split a one-item job into itself and nothing, forever.
    let grain = grain.max(1);
    let injector = Injector::new();
    injector.push(Job { lo: 0, hi: items });
    let pending = AtomicUsize::new(1); // jobs created and not yet finished

    // LIFO: the owner pops the job it pushed last (small, cache-warm); thieves steal
    // from the other end, where the oldest and biggest halves are.
    let locals: Vec<Worker<Job>> = (0..workers).map(|_| Worker::new_lifo()).collect();
    let stealers: Vec<Stealer<Job>> = locals.iter().map(Worker::stealer).collect();

    thread::scope(|s| {
        let handles: Vec<_> = locals
            .into_iter()
            .enumerate()
            .map(|(me, local)| {
                let siblings: Vec<&Stealer<Job>> = (stealers.iter().enumerate())
                    .filter(|&(i, _)| i != me)
                    .map(|(_, st)| st)
                    .collect();
                let (injector, pending, item) = (&injector, &pending, &item);
                s.spawn(move || worker_loop(local, injector, &siblings, pending, grain, item))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}
// ANCHOR_END: pool

fn main() {
    // ANCHOR: main
    // How many times each item was processed: the promise is "exactly once".
    let runs: Vec<AtomicUsize> = (0..ITEMS).map(|_| AtomicUsize::new(0)).collect();
    let stats = work_stealing(ITEMS, GRAIN, WORKERS, |i| {
        runs[i].fetch_add(1, Ordering::Relaxed);
        work(i)
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

    // ANCHOR: panic
    // Item 1000 panics. Its worker dies, but `Finished` uncounts the job, so the other
    // workers steal what is left in the dead worker's deque and stop when `pending`
    // reaches zero. Then the scope passes the panic on to the caller.
    let outcome = panic::catch_unwind(|| {
        work_stealing(ITEMS, GRAIN, WORKERS, |i| {
            assert_ne!(i, 1_000, "item {i} is broken");
            work(i)
        })
    });
    assert!(outcome.is_err());
    println!("a panicking job: the other workers finished, and the panic reached main");
    // ANCHOR_END: panic
}
