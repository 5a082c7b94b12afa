//! Chapter 12, listing 1: a shared queue. Every worker pops its next job from one
//! `Mutex<VecDeque>`; whoever is free takes the next job, so the load balances itself.
use std::collections::VecDeque;
use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

// ANCHOR: queue
/// One queue behind one lock, shared by every worker.
struct SharedQueue<T> {
    jobs: Mutex<VecDeque<T>>,
}

impl<T> SharedQueue<T> {
    fn new(jobs: impl IntoIterator<Item = T>) -> Self {
        SharedQueue {
            jobs: Mutex::new(jobs.into_iter().collect()),
        }
    }

    /// Takes the job at the front. The guard is a temporary of this one expression,
    /// so the lock is released before the caller starts running the job.
    fn pop(&self) -> Option<T> {
        self.jobs.lock().unwrap().pop_front()
    }
}
// ANCHOR_END: queue

/// Job `n` costs about `n` times as much as job 1: the load is deliberately uneven.
fn work(n: u64) -> u64 {
    (0..n * 20_000).fold(0u64, |acc, i| {
        black_box(acc.wrapping_mul(31).wrapping_add(i))
    })
}

fn main() {
    // ANCHOR: workers
    const JOBS: usize = 20;
    const WORKERS: usize = 4;
    let queue = SharedQueue::new(1..=JOBS);
    // How many times each job ran: the queue's promise is "exactly once".
    let runs: Vec<AtomicUsize> = (0..=JOBS).map(|_| AtomicUsize::new(0)).collect();

    let per_worker: Vec<usize> = thread::scope(|s| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|id| {
                let (queue, runs) = (&queue, &runs);
                s.spawn(move || {
                    let mut done = 0;
                    while let Some(job) = queue.pop() {
                        let result = work(job as u64);
                        runs[job].fetch_add(1, Ordering::Relaxed);
                        black_box(result);
                        println!("worker {id} ran job {job}");
                        done += 1;
                    }
                    done // the queue is empty: nothing left for this worker
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });

    // Scoped threads are joined: every count is final and visible here.
    assert!(runs[1..].iter().all(|r| r.load(Ordering::Relaxed) == 1));
    assert_eq!(per_worker.iter().sum::<usize>(), JOBS);
    println!("{JOBS} jobs, each run exactly once; jobs per worker: {per_worker:?}");
    // ANCHOR_END: workers
}
