//! Chapter 11 exercise: a count-down latch from a mutex and a condition variable.
//! Run it with `cargo run -p listings --example ch11_exercise`: it panics at the first
//! `todo!()` until you fill it in. The solution is `listings/src/bin/ch11_solution.rs`.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: exercise
/// Opens once `count_down` has been called `count` times; waiters block until then.
struct Latch {
    remaining: Mutex<usize>,
    opened: Condvar,
}

impl Latch {
    fn new(count: usize) -> Self {
        Latch {
            remaining: Mutex::new(count),
            opened: Condvar::new(),
        }
    }

    fn count_down(&self) {
        // Decrement (not below zero); when the count reaches zero, wake the waiters.
        todo!("count_down, {:?}", self.remaining)
    }

    fn wait(&self) {
        // Block until the count is zero. Remember that wake-ups can be spurious.
        todo!("wait, {:?}", self.opened)
    }

    /// Returns whether the latch opened before `deadline`.
    fn wait_until(&self, deadline: Instant) -> bool {
        // Like `wait`, but give up at `deadline`, however many times you are woken.
        todo!("wait_until {deadline:?}")
    }
}

fn main() {
    let latch = Latch::new(4);
    let done = AtomicUsize::new(0);
    thread::scope(|s| {
        // Three threads wait for the latch, and so does main, below.
        for _ in 0..3 {
            s.spawn(|| {
                latch.wait();
                assert_eq!(done.load(Ordering::Relaxed), 4, "opened early");
            });
        }
        for _ in 0..4 {
            s.spawn(|| {
                done.fetch_add(1, Ordering::Relaxed);
                latch.count_down();
            });
        }
        assert!(latch.wait_until(Instant::now() + Duration::from_secs(10)));
        assert_eq!(done.load(Ordering::Relaxed), 4, "opened early");
    });

    Latch::new(0).wait(); // already open: returns at once
    let never = Latch::new(1);
    assert!(!never.wait_until(Instant::now() + Duration::from_millis(5)));
    never.count_down();
    never.count_down(); // extra count-downs are harmless
    assert!(never.wait_until(Instant::now()));
    println!("the latch opened after all 4 count-downs, for all 4 waiters");
}
// ANCHOR_END: exercise
