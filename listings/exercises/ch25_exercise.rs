//! Chapter 25 exercise: let callers wait until the pool has run every job queued so far,
//! without shutting it down.
//! Run it with `cargo run -p listings --example ch25_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch25_solution.rs`.
// The starter never reads `Pending`'s fields; your methods will.
#![allow(dead_code)]
use crossbeam::channel::{self, Receiver, Sender};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

// ANCHOR: exercise
/// How many jobs have been queued and not yet finished.
#[derive(Default)]
struct Pending {
    count: Mutex<usize>,
    idle: Condvar,
}

impl Pending {
    /// Called by `execute` before it queues a job.
    fn add(&self) {
        todo!("one more job")
    }

    /// Called by a worker after a job has finished, whether it returned or panicked.
    fn done(&self) {
        todo!("one job fewer; wake the waiters if that was the last")
    }

    /// Blocks until no job is pending.
    fn wait_zero(&self) {
        todo!("wait on the condition variable (mind spurious wake-ups)")
    }
}
// ANCHOR_END: exercise

type Job = Box<dyn FnOnce() + Send + 'static>;

struct ThreadPool {
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
    pending: Arc<Pending>,
}

impl ThreadPool {
    fn new(threads: usize) -> ThreadPool {
        let (jobs, queue) = channel::unbounded::<Job>();
        let pending = Arc::new(Pending::default());
        let workers = (0..threads)
            .map(|_| {
                let (queue, pending) = (queue.clone(), Arc::clone(&pending));
                thread::spawn(move || work(queue, &pending))
            })
            .collect();
        ThreadPool {
            jobs: Some(jobs),
            workers,
            pending,
        }
    }

    fn execute(&self, job: impl FnOnce() + Send + 'static) {
        self.pending.add();
        let jobs = self.jobs.as_ref().expect("only `drop` takes the Sender");
        jobs.send(Box::new(job)).expect("every worker has exited");
    }

    /// Returns once no job is pending: every job queued before the call has finished, and
    /// so has every job queued since. (While other threads keep queueing, that can be later
    /// than the moment the jobs queued before the call were done.)
    fn wait_idle(&self) {
        self.pending.wait_zero();
    }
}

fn work(queue: Receiver<Job>, pending: &Pending) {
    for job in queue.iter() {
        let _ = panic::catch_unwind(AssertUnwindSafe(job));
        pending.done();
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

fn main() {
    let pool = ThreadPool::new(2);
    pool.wait_idle(); // nothing queued: returns at once

    let ran = Arc::new(AtomicUsize::new(0));
    let submit = |n: usize| {
        for _ in 0..n {
            let ran = Arc::clone(&ran);
            pool.execute(move || {
                ran.fetch_add(1, Ordering::Relaxed);
            });
        }
    };

    submit(100);
    pool.wait_idle();
    assert_eq!(ran.load(Ordering::Relaxed), 100);

    // Panicking jobs count as finished too.
    for _ in 0..5 {
        pool.execute(|| panic!("a failing job"));
    }
    submit(100);
    pool.wait_idle();
    assert_eq!(ran.load(Ordering::Relaxed), 200);
    println!("waited twice, the pool still running: 200 jobs done");
}
