//! Chapter 12, listing 1: a shared queue. Every worker pops its next job from one
//! `Mutex<VecDeque>`; whoever is free takes the next job, so the load balances itself.
use std::collections::VecDeque;
use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

// ANCHOR: queue
/// One queue behind one lock, shared by every worker.
pub struct SharedQueue<T> {
    jobs: Mutex<VecDeque<T>>,
}

impl<T> SharedQueue<T> {
    pub fn new(jobs: impl IntoIterator<Item = T>) -> Self {
        SharedQueue {
            jobs: Mutex::new(jobs.into_iter().collect()),
        }
    }

    /// Takes the job at the front. The guard is a temporary of this one expression,
    /// so the lock is released before the caller starts running the job.
    pub fn pop(&self) -> Option<T> {
        self.jobs.lock().unwrap().pop_front()
    }
}
// ANCHOR_END: queue

// ANCHOR: workers
/// Runs every job in `queue` on `workers` threads: each worker takes the next job
/// whenever it is free. `run` gets the worker's number and the job. Returns how many
/// jobs each worker ran, and the (wrapping) sum of what the jobs returned.
pub fn run_all<T: Send>(
    queue: &SharedQueue<T>,
    workers: usize,
    run: impl Fn(usize, T) -> u64 + Sync,
) -> (Vec<usize>, u64) {
    let run = &run;
    thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|id| {
                s.spawn(move || {
                    let (mut done, mut sum) = (0, 0u64);
                    while let Some(job) = queue.pop() {
                        sum = sum.wrapping_add(run(id, job));
                        done += 1;
                    }
                    (done, sum) // the queue is empty: nothing left for this worker
                })
            })
            .collect();
        let mut per_worker = Vec::new();
        let mut total = 0u64;
        for handle in handles {
            let (done, sum) = handle.join().unwrap();
            per_worker.push(done);
            total = total.wrapping_add(sum);
        }
        (per_worker, total)
    })
}
// ANCHOR_END: workers

/// Job `n` costs about `n` times as much as job 1: the load is deliberately uneven.
fn work(n: u64) -> u64 {
    (0..n * 20_000).fold(0u64, |acc, i| {
        black_box(acc.wrapping_mul(31).wrapping_add(i))
    })
}

fn main() {
    // ANCHOR: main
    const JOBS: usize = 20;
    let queue = SharedQueue::new(1..=JOBS);
    // How many times each job ran: the queue's promise is "exactly once".
    let runs: Vec<AtomicUsize> = (0..=JOBS).map(|_| AtomicUsize::new(0)).collect();

    let (per_worker, _) = run_all(&queue, 4, |id, job| {
        let result = work(job as u64);
        runs[job].fetch_add(1, Ordering::Relaxed);
        println!("worker {id} ran job {job}");
        result
    });

    // `run_all` joined its workers: every count is final and visible here.
    assert!(runs[1..].iter().all(|r| r.load(Ordering::Relaxed) == 1));
    assert_eq!(per_worker.iter().sum::<usize>(), JOBS);
    println!("{JOBS} jobs, each run exactly once; jobs per worker: {per_worker:?}");
    // ANCHOR_END: main
}
