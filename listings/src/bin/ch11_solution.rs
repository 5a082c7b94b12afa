//! Chapter 11 exercise, solved: a count-down latch from a mutex and a condition variable.
//!
//! The same file is a loom model: `listings/tests/loom_ch11.rs` includes it as a module, and
//! under `--cfg loom` the `use` lines below swap in loom's `Mutex` and `Condvar`.
#![cfg_attr(loom, allow(dead_code, unused_imports))]
#[cfg(loom)]
use loom::sync::{Condvar, Mutex};
use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(not(loom))]
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: solution
/// Opens once `count_down` has been called `count` times; waiters block until then.
pub struct Latch {
    remaining: Mutex<usize>,
    opened: Condvar,
}

impl Latch {
    pub fn new(count: usize) -> Self {
        Latch {
            remaining: Mutex::new(count),
            opened: Condvar::new(),
        }
    }

    pub fn count_down(&self) {
        let mut remaining = self.remaining.lock().unwrap();
        if *remaining > 0 {
            *remaining -= 1;
            if *remaining == 0 {
                // Every waiter must see this, not just one of them.
                self.opened.notify_all();
            }
        }
    }

    pub fn wait(&self) {
        let mut remaining = self.remaining.lock().unwrap();
        while *remaining > 0 {
            remaining = self.opened.wait(remaining).unwrap();
        }
    }

    /// Returns whether the latch opened before `deadline`.
    pub fn wait_until(&self, deadline: Instant) -> bool {
        let mut remaining = self.remaining.lock().unwrap();
        while *remaining > 0 {
            // Recompute what is left of the time after every wake-up, spurious or not.
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            remaining = self.opened.wait_timeout(remaining, left).unwrap().0;
        }
        true
    }
}
// ANCHOR_END: solution

#[cfg(not(loom))]
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

#[cfg(loom)]
fn main() {} // built with --cfg loom, this file is a model (see the top), not a program
