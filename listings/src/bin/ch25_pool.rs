//! Chapter 25, listing 2: a thread pool that survives panicking jobs, returns results and
//! shuts down by finishing its queue.
use crossbeam::channel::{self, Receiver, Sender};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::{self, JoinHandle};
use std::time::Duration;

// ANCHOR: pool
type Job = Box<dyn FnOnce() + Send + 'static>;

pub struct ThreadPool {
    /// The queue's sending end. It is an `Option` so that `drop` can close the queue
    /// (by dropping the Sender) before it joins the workers.
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    pub fn new(threads: usize) -> ThreadPool {
        assert!(threads > 0, "a pool needs at least one thread");
        // crossbeam's channel is multi-consumer: each worker gets a clone of the
        // Receiver, and no Mutex is needed around it.
        let (jobs, queue) = channel::unbounded::<Job>();
        let workers = (0..threads)
            .map(|i| {
                let queue = queue.clone();
                thread::Builder::new()
                    .name(format!("pool-{i}"))
                    .spawn(move || work(queue))
                    .expect("the OS refused to create a thread")
            })
            .collect();
        ThreadPool {
            jobs: Some(jobs),
            workers,
        }
    }

    /// Queues `job`; some worker runs it, exactly once.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        let jobs = self.jobs.as_ref().expect("only `drop` takes the Sender");
        // The workers hold the Receivers until the queue is closed, so this cannot fail.
        jobs.send(Box::new(job)).expect("every worker has exited");
    }
}

/// A worker's life: run jobs until the queue is closed and empty.
fn work(queue: Receiver<Job>) {
    for job in queue.iter() {
        // A panicking job unwinds to here, not out of the worker. The panic hook has already
        // reported it; the worker drops the payload and takes the next job.
        let _ = panic::catch_unwind(AssertUnwindSafe(job));
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        // Close the queue. Workers finish every job already in it, then `iter` ends.
        drop(self.jobs.take());
        let me = thread::current().id();
        for worker in self.workers.drain(..) {
            // A job that drops the last handle to its own pool runs this on a worker, which
            // cannot join itself: `join` would panic. Left unjoined, that worker ends by
            // itself once its job returns and it finds the queue closed.
            if worker.thread().id() == me {
                continue;
            }
            // Workers catch the panics of their jobs, so `join` returns Ok; and a `drop`
            // must not panic in any case, so there is no `unwrap` here.
            let _ = worker.join();
        }
    }
}
// ANCHOR_END: pool

// ANCHOR: spawn
/// The result of a job submitted with `spawn`: its return value, or its panic.
pub struct TaskHandle<T> {
    result: Receiver<thread::Result<T>>,
}

impl<T> TaskHandle<T> {
    /// Waits for the job and returns what it returned, or `Err` with its panic payload.
    pub fn join(self) -> thread::Result<T> {
        self.result
            .recv()
            .expect("the pool runs every job it accepts")
    }
}

impl ThreadPool {
    pub fn spawn<T, F>(&self, f: F) -> TaskHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (sender, result) = channel::bounded(1);
        self.execute(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(f));
            // Whoever dropped the handle does not want the result.
            let _ = sender.send(outcome);
        });
        TaskHandle { result }
    }
}
// ANCHOR_END: spawn

fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("(not a string)")
}

fn main() {
    let pool = ThreadPool::new(2);

    // ANCHOR: results
    let squares: Vec<TaskHandle<u64>> = (1..=100).map(|n| pool.spawn(move || n * n)).collect();
    let failing = pool.spawn(|| -> u64 { panic!("bad input") });

    let sum: u64 = squares.into_iter().map(|h| h.join().unwrap()).sum();
    println!("sum of squares 1..=100: {sum}");
    assert_eq!(sum, (1..=100u64).map(|n| n * n).sum::<u64>());

    let payload = failing.join().unwrap_err();
    let message = panic_message(&*payload);
    println!("the failing task's handle says: {message}");
    // ANCHOR_END: results

    // ANCHOR: shutdown
    // Two jobs that hold both workers until everything else is queued.
    let everything_queued = Arc::new(Barrier::new(3));
    for _ in 0..2 {
        let everything_queued = Arc::clone(&everything_queued);
        pool.execute(move || {
            everything_queued.wait();
        });
    }

    // Ten jobs that panic: on the naive pool, two of them would leave no workers.
    for i in 0..10 {
        pool.execute(move || panic!("job {i} failed"));
    }

    // A thousand jobs, each recording that it ran.
    let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..1_000).map(|_| AtomicUsize::new(0)).collect());
    for i in 0..1_000 {
        let runs = Arc::clone(&runs);
        pool.execute(move || {
            runs[i].fetch_add(1, Ordering::Relaxed);
        });
    }
    // And a last job that takes a while: `drop` must wait for it too.
    let slow_done = Arc::new(AtomicBool::new(false));
    let slow = Arc::clone(&slow_done);
    pool.execute(move || {
        thread::sleep(Duration::from_millis(100));
        slow.store(true, Ordering::Relaxed);
    });

    let started: usize = runs.iter().map(|r| r.load(Ordering::Relaxed)).sum();
    println!("queued 10 panicking jobs and 1001 others; run so far: {started}");
    assert_eq!(started, 0, "both workers are still held at the barrier");

    // Release the workers and drop the pool at once. `main` does not sleep or wait in any
    // other way: `drop` returns only when the queue is empty and the workers have finished.
    everything_queued.wait();
    drop(pool);
    let exactly_once = runs.iter().all(|r| r.load(Ordering::Relaxed) == 1);
    println!("after drop, each of the 1000 jobs ran exactly once: {exactly_once}");
    let slow_finished = slow_done.load(Ordering::Relaxed);
    println!("and the slow job had finished: {slow_finished}");
    assert!(exactly_once && slow_finished);
    // ANCHOR_END: shutdown

    // ANCHOR: drop_inside
    // The last handle to a pool, dropped by one of the pool's own jobs.
    let pool = Arc::new(ThreadPool::new(2));
    let last_handle = Arc::clone(&pool);
    let (go, wait_for_go) = channel::bounded::<()>(1);
    let (dropped, wait_for_drop) = channel::bounded(1);
    pool.execute(move || {
        wait_for_go.recv().unwrap(); // until main has let go of its handle
        drop(last_handle); // runs the pool's `drop` on one of its own workers
        let me = thread::current().name().map(str::to_owned);
        dropped.send(me).unwrap();
    });
    drop(pool);
    go.send(()).unwrap();
    // If the pool's `drop` panicked, the job ended without sending: `recv` fails.
    let worker = wait_for_drop
        .recv()
        .expect("dropping the pool inside its job panicked");
    println!(
        "dropped the pool from its own worker {}: no panic",
        worker.unwrap()
    );
    // ANCHOR_END: drop_inside
}
