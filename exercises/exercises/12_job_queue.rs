//! Chapter 12, "Shared queues and work stealing": a shared queue whose jobs create more jobs,
//! which stops only when no job is queued or running.
//!
//! Graded by loom. A worker that quits while another is about to push, or a wake-up that goes
//! to one waiting worker when all of them must stop, shows up only when the threads interleave
//! just so, which a test run rarely hits. So the tests run the queue itself under loom's model
//! checker: `mod sync` below hands it loom's `Mutex` and `Condvar` when compiled for
//! `cargo test`, and `loom::model` runs each test in every interleaving of its threads. A
//! worker that waits for ever is a deadlock there, reported at once, and the test says which
//! section to re-read.
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

/// The lock and condition variable the queue uses: std's in the program, loom's in the tests,
/// so that the tests check every interleaving of the code you write.
mod sync {
    #[cfg(test)]
    pub use loom::sync::{Condvar, Mutex};
    #[cfg(not(test))]
    pub use std::sync::{Condvar, Mutex};
}
use sync::{Condvar, Mutex};

// ANCHOR: exercise
#[allow(
    dead_code,
    reason = "the starter leaves every use of the fields to the reader"
)]
struct State {
    jobs: VecDeque<u32>,
    /// Jobs pushed and not yet finished: queued ones plus running ones.
    pending: usize,
}

#[allow(
    dead_code,
    reason = "the starter leaves every use of the fields to the reader"
)]
struct JobQueue {
    state: Mutex<State>,
    changed: Condvar,
}

impl JobQueue {
    fn new() -> Self {
        JobQueue {
            state: Mutex::new(State {
                jobs: VecDeque::new(),
                pending: 0,
            }),
            changed: Condvar::new(),
        }
    }

    /// Adds a job (count it as pending) and wakes a waiting worker.
    fn push(&self, job: u32) {
        // TODO: Under the lock, count the job as pending and queue it.
        // Then wake one waiting worker: one job needs one worker.
        todo!("push {job}")
    }

    /// Returns the next job, waiting while the queue is empty but jobs are still running
    /// (they may push more). Returns `None` only when nothing is pending at all.
    fn pop(&self) -> Option<u32> {
        // TODO: Lock, then loop: take a queued job if there is one.
        // Else return `None` if nothing is pending; else `wait` on `changed` (which gives the
        // lock back while it waits, and takes it again before it returns).
        todo!()
    }

    /// Marks one popped job as finished; if it was the last, wakes every waiting worker.
    fn done(&self) {
        // TODO: Under the lock, count one job fewer.
        // If none is left, every waiting worker must wake up to see that it can stop.
        todo!()
    }
}

/// Job `n` stands for a call `fib(n)`: it creates the jobs `n - 1` and `n - 2`.
fn run(queue: &JobQueue, n: u32) {
    if n >= 2 {
        queue.push(n - 1);
        queue.push(n - 2);
    }
}

/// Calls `done` when dropped: after the job returned, and also if it panicked.
struct Finished<'a>(&'a JobQueue);

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        self.0.done();
    }
}

/// A worker: runs jobs until `pop` says nothing is pending, counting them in `ran`.
fn worker(queue: &JobQueue, ran: &AtomicUsize, run: impl Fn(&JobQueue, u32)) {
    while let Some(n) = queue.pop() {
        // Without this guard, a job that panics would never be marked done: `pending`
        // would stay above zero, and every other worker would wait in `pop` forever.
        let _finished = Finished(queue);
        run(queue, n);
        ran.fetch_add(1, Ordering::Relaxed);
    }
}
// ANCHOR_END: exercise

/// How many calls the naive recursive `fib(n)` makes.
fn calls(n: u32) -> usize {
    if n < 2 {
        1
    } else {
        1 + calls(n - 1) + calls(n - 2)
    }
}

fn main() {
    const N: u32 = 18;
    let queue = JobQueue::new();
    queue.push(N);
    let ran = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| worker(&queue, &ran, run));
        }
    });
    assert_eq!(ran.into_inner(), calls(N));
    println!("ran {} jobs, as many as fib({N}) makes calls", calls(N));

    // The same, but the first job fib(5) to run panics. Its worker dies; the others go on.
    let queue = JobQueue::new();
    queue.push(N);
    let ran = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    worker(&queue, &ran, |queue, n| {
                        if n == 5 && !failed.swap(true, Ordering::Relaxed) {
                            panic!("job fib(5) failed");
                        }
                        run(queue, n)
                    })
                });
            }
        })
    }));
    assert!(outcome.is_err(), "the scope passes the worker's panic on");
    // The failed job pushed no children: its whole subtree, calls(5) jobs, never ran.
    assert_eq!(ran.into_inner(), calls(N) - calls(5));
    println!(
        "with one job panicking: the other workers ran the other {} jobs and stopped",
        calls(N) - calls(5)
    );
}

#[cfg(test)]
mod tests {
    use super::{JobQueue, calls, run, worker};
    use std::panic::{self, AssertUnwindSafe};
    // std's `Arc`, not loom's: dropping loom's while loom reports a deadlock aborts the run
    // before the report is printed.
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    const EMPTY: &str = "see chapter 12, 'What can go wrong: \"empty\" is not \"done\"'";

    /// Prints `hint` if the test fails: loom's own report of a deadlock cannot say which
    /// section to re-read.
    struct Hint(&'static str);

    impl Drop for Hint {
        fn drop(&mut self) {
            if std::thread::panicking() {
                eprintln!("{}", self.0);
            }
        }
    }

    #[test]
    fn pop_waits_while_a_job_is_still_running() {
        let _hint = Hint(
            "a worker waited for ever: `push` must wake a waiting worker, and `pop` must wait \
             on the same lock it checked under (see chapter 12, 'What can go wrong: \"empty\" \
             is not \"done\"')",
        );
        loom::model(|| {
            let queue = Arc::new(JobQueue::new());
            queue.push(1);
            assert_eq!(queue.pop(), Some(1));
            // Job 1 is running. Another worker asks for work, while job 1 pushes job 2.
            let other = {
                let queue = Arc::clone(&queue);
                loom::thread::spawn(move || {
                    let got = queue.pop();
                    if got.is_some() {
                        queue.done();
                    }
                    got
                })
            };
            queue.push(2);
            queue.done(); // job 1 finished
            assert_eq!(
                other.join().unwrap(),
                Some(2),
                "`pop` returned None while job 1 was still running and about to push job 2: \
                 an empty queue is not the end while jobs are pending ({EMPTY})"
            );
            assert_eq!(
                queue.pop(),
                None,
                "every job is done, so `pop` must return None ({EMPTY})"
            );
        });
    }

    #[test]
    fn every_waiting_worker_stops_when_the_last_job_is_done() {
        let _hint = Hint(
            "a worker waited for ever after the last job was done: when `pending` reaches zero, \
             every waiting worker must wake up (`notify_all`), since all of them must return \
             None (see chapter 12, 'Exercise')",
        );
        loom::model(|| {
            let queue = Arc::new(JobQueue::new());
            queue.push(1);
            assert_eq!(queue.pop(), Some(1));
            // Job 1 is running; two other workers ask for work, and there will be none.
            let others = [(); 2].map(|()| {
                let queue = Arc::clone(&queue);
                loom::thread::spawn(move || queue.pop())
            });
            queue.done();
            for other in others {
                assert_eq!(
                    other.join().unwrap(),
                    None,
                    "no job was left, yet `pop` returned one (see chapter 12, 'Exercise')"
                );
            }
        });
    }

    #[test]
    fn a_panicking_job_still_lets_the_others_stop() {
        let _hint = Hint(
            "a worker waited for ever after a job panicked: a panicking job must still be \
             marked done, so `done` belongs in the `Drop` of a guard (see chapter 12, 'A job \
             that panics')",
        );
        loom::model(|| {
            let queue = Arc::new(JobQueue::new());
            queue.push(2); // fib(2): jobs 2, 1 and 0
            let ran = Arc::new(AtomicUsize::new(0));
            let failed = Arc::new(AtomicBool::new(false));
            let workers = [(); 2].map(|()| {
                let (queue, ran, failed) =
                    (Arc::clone(&queue), Arc::clone(&ran), Arc::clone(&failed));
                loom::thread::spawn(move || {
                    let _ = panic::catch_unwind(AssertUnwindSafe(|| {
                        worker(&queue, &ran, |queue, n| {
                            if n == 1 && !failed.swap(true, Ordering::Relaxed) {
                                panic!("job fib(1) failed");
                            }
                            run(queue, n)
                        })
                    }));
                })
            });
            for worker in workers {
                worker.join().unwrap();
            }
            assert_eq!(
                ran.load(Ordering::Relaxed),
                calls(2) - calls(1),
                "every job but the one that panicked must run (see chapter 12, 'A job \
                 that panics')"
            );
        });
    }

    #[test]
    fn jobs_that_push_jobs_all_run_once() {
        // Every interleaving with up to two preemptions: all of them would take seconds.
        let mut model = loom::model::Builder::new();
        model.preemption_bound = Some(2);
        model.check(|| {
            let queue = Arc::new(JobQueue::new());
            queue.push(2); // fib(2): 3 jobs
            let ran = Arc::new(AtomicUsize::new(0));
            let workers = [(); 2].map(|()| {
                let (queue, ran) = (Arc::clone(&queue), Arc::clone(&ran));
                loom::thread::spawn(move || worker(&queue, &ran, run))
            });
            for worker in workers {
                worker.join().unwrap();
            }
            assert_eq!(
                ran.load(Ordering::Relaxed),
                calls(2),
                "fib(2) makes {} calls, so {} jobs must run, each once ({EMPTY})",
                calls(2),
                calls(2)
            );
        });
    }
}
