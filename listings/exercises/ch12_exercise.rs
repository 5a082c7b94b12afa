//! Chapter 12 exercise: a shared queue whose jobs create more jobs.
//! Run it with `cargo run -p listings --example ch12_exercise`: it panics at the first
//! `todo!()` until you fill them in. The solution is `listings/src/bin/ch12_solution.rs`.
// The fields stay unused until the `todo!()`s are filled in.
#![allow(dead_code)]
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;

// ANCHOR: exercise
struct State {
    jobs: VecDeque<u32>,
    /// Jobs pushed and not yet finished: queued ones plus running ones.
    pending: usize,
}

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
        todo!("push {job}")
    }

    /// Returns the next job, waiting while the queue is empty but jobs are still running
    /// (they may push more). Returns `None` only when nothing is pending at all.
    fn pop(&self) -> Option<u32> {
        todo!()
    }

    /// Marks one popped job as finished; if it was the last, wakes every waiting worker.
    fn done(&self) {
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
