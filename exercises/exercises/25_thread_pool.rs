//! Chapter 25, "Thread pools": let callers wait until the pool has run every job queued so
//! far, without shutting it down.
//!
//! Graded by plain tests under a watchdog, on the pool below. `wait_idle` on an idle pool must
//! return at once; after jobs that panic it must still return; and four threads that start
//! together at a `Barrier`, each queueing 50 jobs and then waiting, 20 runs over, must each
//! find all of their own jobs done when their wait returns, and all of them must come back. A
//! waiter that sleeps without checking the count, a count that panicking jobs never bring down,
//! or a wake-up that reaches only one of several waiters leaves a thread waiting for ever,
//! which the watchdog turns into a failure after 5 s.
use crossbeam::channel::{self, Receiver, Sender};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

// ANCHOR: exercise
/// How many jobs have been queued and not yet finished.
#[derive(Default)]
#[allow(
    dead_code,
    reason = "the starter leaves every use of the fields to the reader"
)]
struct Pending {
    count: Mutex<usize>,
    idle: Condvar,
}

impl Pending {
    /// Called by `execute` before it queues a job.
    fn add(&self) {
        // TODO: Add 1 to the count, under its lock.
        todo!("one more job")
    }

    /// Called by a worker after a job has finished, whether it returned or panicked.
    fn done(&self) {
        // TODO: Take 1 from the count; if that was the last pending job, wake every waiter.
        todo!("one job fewer; wake the waiters if that was the last")
    }

    /// Blocks until no job is pending.
    fn wait_zero(&self) {
        // TODO: Wait on `idle` until the count is 0: check it before sleeping and after every wake-up.
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
    for _ in 0..100 {
        let ran = Arc::clone(&ran);
        pool.execute(move || {
            ran.fetch_add(1, Ordering::Relaxed);
        });
    }
    pool.wait_idle();
    assert_eq!(ran.load(Ordering::Relaxed), 100);
    println!("waited, the pool still running: 100 jobs done");
}

#[cfg(test)]
mod tests {
    use super::ThreadPool;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::sync::{Arc, Barrier};
    use std::thread;
    use std::time::Duration;

    const CHECK: &str = "check the count before sleeping and after every wake-up: a notification \
                         sent before you wait is not kept (see chapter 11, 'The tool: `Condvar`, \
                         always with a `Mutex`')";

    /// Runs `f` on a thread of its own; fails with `hang` if it has not returned within 5 s.
    fn within<T: Send + 'static>(hang: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (done_tx, done_rx) = mpsc::channel();
        let runner = thread::spawn(move || {
            let value = f();
            let _ = done_tx.send(());
            value
        });
        match done_rx.recv_timeout(Duration::from_secs(5)) {
            Err(RecvTimeoutError::Timeout) => panic!("no answer after 5 s: {hang}"),
            _ => runner
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        }
    }

    #[test]
    fn an_idle_pool_returns_at_once() {
        within(
            &format!("`wait_idle` on a pool with nothing queued still waits; {CHECK}"),
            || {
                let pool = ThreadPool::new(2);
                pool.wait_idle();
                pool.wait_idle();
            },
        );
    }

    #[test]
    fn panicking_jobs_count_as_finished() {
        let hang = "`wait_idle` still waits after jobs that panicked: the worker must call \
                    `done` after `catch_unwind`, whether the job returned or panicked (see \
                    chapter 25, 'Shutting down, and surviving panics')";
        within(hang, || {
            let pool = ThreadPool::new(2);
            let ran = Arc::new(AtomicUsize::new(0));
            for i in 0..20 {
                let ran = Arc::clone(&ran);
                pool.execute(move || {
                    if i % 4 == 0 {
                        panic!("job {i} fails");
                    }
                    ran.fetch_add(1, Ordering::Relaxed);
                });
            }
            pool.wait_idle();
            assert_eq!(
                ran.load(Ordering::Relaxed),
                15,
                "every job that did not panic ran"
            );
        });
    }

    #[test]
    fn every_waiter_finds_its_jobs_done_and_comes_back() {
        let hang = "a thread in `wait_idle` was never woken: when the count reaches 0, wake \
                    every waiter (`notify_all`), not one (see chapter 11, '`notify_one` or \
                    `notify_all`')";
        within(hang, || {
            for run in 0..20 {
                let pool = ThreadPool::new(2);
                let start = Barrier::new(4);
                thread::scope(|s| {
                    for t in 0..4 {
                        let (pool, start) = (&pool, &start);
                        s.spawn(move || {
                            let mine = Arc::new(AtomicUsize::new(0));
                            start.wait();
                            for _ in 0..50 {
                                let mine = Arc::clone(&mine);
                                pool.execute(move || {
                                    mine.fetch_add(1, Ordering::Relaxed);
                                });
                            }
                            pool.wait_idle();
                            assert_eq!(
                                mine.load(Ordering::Relaxed),
                                50,
                                "run {run}, thread {t}: `wait_idle` returned before the jobs \
                                 this thread queued had run; {CHECK}"
                            );
                        });
                    }
                });
            }
        });
    }
}
