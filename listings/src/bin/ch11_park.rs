//! Chapter 11, listing 3: `thread::park` and `unpark`, the primitive underneath.
//!
//! The same file is a loom model: `listings/tests/loom_ch11.rs` includes it as a module, and
//! under `--cfg loom` the `use` lines below swap in loom's `AtomicBool` and `thread`.
#![cfg_attr(loom, allow(dead_code))]
#[cfg(loom)]
use loom::{sync::atomic::AtomicBool, thread};
use std::sync::atomic::Ordering;
#[cfg(not(loom))]
use std::{sync::atomic::AtomicBool, thread};

// ANCHOR: flag
/// The waiter's side: returns once `ready` is set.
pub fn wait_for(ready: &AtomicBool) {
    // Park returns on an unpark, on a leftover token, or for no reason at all:
    // the flag, not the wake-up, says whether to go on.
    while !ready.load(Ordering::Acquire) {
        thread::park();
    }
}

/// The notifier's side: first the state, then the wake-up, which may come before the
/// waiter parks.
pub fn set_and_wake(ready: &AtomicBool, waiter: &thread::Thread) {
    ready.store(true, Ordering::Release);
    waiter.unpark();
}
// ANCHOR_END: flag

#[cfg(not(loom))]
fn main() {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    // ANCHOR: token
    // An unpark that comes before the park is not lost: it leaves a token behind,
    // and the next park consumes it and returns at once.
    thread::current().unpark();
    thread::park();
    println!("park returned at once: the earlier unpark left a token");

    // Tokens do not pile up: two unparks leave one token, and the second park waits.
    thread::current().unpark();
    thread::current().unpark();
    thread::park();
    let start = Instant::now();
    thread::park_timeout(Duration::from_millis(20));
    assert!(
        start.elapsed() >= Duration::from_millis(20),
        "a second token"
    );
    println!("two unparks left one token: the second park waited out its 20 ms");
    // ANCHOR_END: token

    // ANCHOR: main
    let ready = Arc::new(AtomicBool::new(false));
    let waiter = {
        let ready = Arc::clone(&ready);
        thread::spawn(move || {
            wait_for(&ready);
            println!("waiter: saw the flag");
        })
    };
    set_and_wake(&ready, waiter.thread());
    waiter.join().unwrap();
    // ANCHOR_END: main
}

#[cfg(loom)]
fn main() {} // built with --cfg loom, this file is a model (see the top), not a program
