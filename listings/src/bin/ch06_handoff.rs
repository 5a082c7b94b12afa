//! Chapter 6, listing 2: `spawn` and `join` order memory by themselves; `Relaxed` is enough.
//!
//! The same file is a loom model: `listings/tests/loom_ch06.rs` includes it as a module.
#![cfg_attr(loom, allow(dead_code))]
#[cfg(loom)]
use loom::{sync::Arc, sync::atomic::AtomicU64, thread};
use std::sync::atomic::Ordering::Relaxed;
#[cfg(not(loom))]
use std::{sync::Arc, sync::atomic::AtomicU64, thread};

// ANCHOR: handoff
/// Hands a value to a new thread and gets one back, with only `Relaxed` atomics.
/// Returns what the thread saw, and what the caller saw after joining it.
pub fn hand_off() -> (u64, u64) {
    let cell = Arc::new(AtomicU64::new(0));
    cell.store(1, Relaxed); // before `spawn`: the new thread sees it

    let worker = {
        let cell = Arc::clone(&cell);
        thread::spawn(move || {
            let seen = cell.load(Relaxed);
            cell.store(2, Relaxed); // before the thread ends: `join` makes it visible
            seen
        })
    };

    let seen_by_thread = worker.join().unwrap();
    let seen_after_join = cell.load(Relaxed);
    (seen_by_thread, seen_after_join)
}
// ANCHOR_END: handoff

fn main() {
    let (seen_by_thread, seen_after_join) = hand_off();
    assert_eq!((seen_by_thread, seen_after_join), (1, 2));
    println!("the thread saw {seen_by_thread}; after join, main saw {seen_after_join}");
}
