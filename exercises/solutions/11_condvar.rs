//! Chapter 11, "Condition variables and parking": a count-down latch from a mutex and a
//! condition variable.
//!
//! Graded by loom. A lost wake-up shows up in some interleavings only: a waiter that is asleep
//! when the last count-down comes, and is never woken. So the tests run the latch itself under
//! loom's model checker: `mod sync` below hands it loom's `Mutex` and `Condvar` when compiled
//! for `cargo test`, and `loom::model` runs each test in every interleaving of its threads. Loom
//! reports a thread blocked for good as a deadlock, which ends the test process; a panic hook
//! adds the section to re-read. Loom's `wait_timeout` never times out, so the tests of
//! `wait_until` check what holds in every interleaving: an open latch returns `true`, and a
//! closed one returns `false` once the deadline has passed, without waiting.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The lock and condition variable the latch uses: std's in the program, loom's in the tests,
/// so that the tests check every interleaving of the code you write.
mod sync {
    #[cfg(test)]
    pub use loom::sync::{Condvar, Mutex};
    #[cfg(not(test))]
    pub use std::sync::{Condvar, Mutex};
}
use sync::{Condvar, Mutex};

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
        // ANCHOR: todo("count_down, {:?}", self.remaining)
        // Decrement the count, never below zero.
        // When it reaches zero, wake the waiters.
        let mut remaining = self.remaining.lock().unwrap();
        if *remaining > 0 {
            *remaining -= 1;
            if *remaining == 0 {
                // Every waiter must see this, not just one of them.
                self.opened.notify_all();
            }
        }
        // ANCHOR_END: todo
    }

    fn wait(&self) {
        // ANCHOR: todo("wait, {:?}", self.opened)
        // Block until the count is zero.
        // Remember that a wake-up is a hint to look again, not news.
        let mut remaining = self.remaining.lock().unwrap();
        while *remaining > 0 {
            remaining = self.opened.wait(remaining).unwrap();
        }
        // ANCHOR_END: todo
    }

    /// Returns whether the latch opened before `deadline`.
    fn wait_until(&self, deadline: Instant) -> bool {
        // ANCHOR: todo("wait_until {deadline:?}")
        // Like `wait`, but give up at `deadline`, however many times you are woken.
        let mut remaining = self.remaining.lock().unwrap();
        while *remaining > 0 {
            // Recompute what is left of the time after every wake-up, spurious or not.
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            remaining = self.opened.wait_timeout(remaining, left).unwrap().0;
        }
        true
        // ANCHOR_END: todo
    }
}
// ANCHOR_END: exercise

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
    });
    let never = Latch::new(1);
    assert!(!never.wait_until(Instant::now() + Duration::from_millis(5)));
    println!("the latch opened after all 4 count-downs, for all 4 waiters");
}

#[cfg(test)]
mod tests {
    use super::Latch;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicUsize, Ordering};
    use std::cell::Cell;
    use std::panic;
    use std::sync::Once;
    use std::time::{Duration, Instant};

    thread_local! {
        /// The section the running model's failure sends the reader to, until it is said once.
        static SEE: Cell<Option<&'static str>> = const { Cell::new(None) };
    }

    /// Runs `f` in every interleaving loom finds. When every thread is blocked for good in one
    /// of them, loom panics with "deadlock" and the process ends before a test can catch it;
    /// so a panic hook adds `see` to any panic that does not name a section already.
    fn model(see: &'static str, f: impl Fn() + Sync + Send + 'static) {
        static HOOK: Once = Once::new();
        HOOK.call_once(|| {
            let default = panic::take_hook();
            panic::set_hook(Box::new(move |info| {
                default(info);
                let said = info.payload_as_str().is_some_and(|p| {
                    p.contains("(see chapter") || p.starts_with("not yet implemented")
                });
                if let Some(see) = SEE.take().filter(|_| !said) {
                    eprintln!("in one interleaving loom explored: {see}");
                }
            }));
        });
        SEE.set(Some(see));
        loom::model(f);
        SEE.set(None);
    }

    const LOST: &str = "a waiter slept through the last count-down and nobody will wake it: the \
                        count-down that opens the latch must wake every waiter, and a waiter \
                        must check the count under the lock before it sleeps (see chapter 11, \
                        '`notify_one` or `notify_all`')";

    #[test]
    fn the_last_count_down_wakes_every_waiter() {
        model(LOST, || {
            let latch = Arc::new(Latch::new(1));
            let waiters: Vec<_> = (0..2)
                .map(|_| {
                    let latch = Arc::clone(&latch);
                    loom::thread::spawn(move || latch.wait())
                })
                .collect();
            latch.count_down();
            for waiter in waiters {
                waiter.join().unwrap();
            }
        });
    }

    #[test]
    fn the_latch_opens_only_after_every_count_down() {
        model(LOST, || {
            let latch = Arc::new(Latch::new(2));
            let done = Arc::new(AtomicUsize::new(0));
            let counter = {
                let (latch, done) = (Arc::clone(&latch), Arc::clone(&done));
                loom::thread::spawn(move || {
                    for _ in 0..2 {
                        done.fetch_add(1, Ordering::Relaxed);
                        latch.count_down();
                    }
                })
            };
            latch.wait();
            assert_eq!(
                done.load(Ordering::Relaxed),
                2,
                "`wait` returned before the second count-down: a wake-up is a hint to look \
                 again, so check the count in a loop (see chapter 11, 'What can go wrong')"
            );
            counter.join().unwrap();
        });
    }

    #[test]
    fn extra_count_downs_are_harmless() {
        model(
            "counting down an open latch must leave it open: the count stops at zero (see \
             chapter 11, 'Exercise')",
            || {
                let latch = Latch::new(1);
                latch.count_down();
                latch.count_down();
                latch.wait();
                assert!(latch.wait_until(Instant::now()));
            },
        );
    }

    #[test]
    fn wait_until_gives_up_at_a_past_deadline_and_returns_true_once_open() {
        model(
            "`wait_until` on a latch that is still closed must return `false` once the \
             deadline has passed, without waiting again (see chapter 11, 'Waiting with a \
             timeout')",
            || {
                let closed = Latch::new(1);
                assert!(
                    !closed.wait_until(Instant::now() - Duration::from_millis(1)),
                    "a closed latch with its deadline passed returns false (see chapter 11, \
                     'Waiting with a timeout')"
                );
                let latch = Arc::new(Latch::new(1));
                let counter = {
                    let latch = Arc::clone(&latch);
                    loom::thread::spawn(move || latch.count_down())
                };
                assert!(
                    latch.wait_until(Instant::now() + Duration::from_secs(60)),
                    "the latch opened long before the deadline (see chapter 11, 'Waiting with a \
                     timeout')"
                );
                counter.join().unwrap();
            },
        );
    }
}
