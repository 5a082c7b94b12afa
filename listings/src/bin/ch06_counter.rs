//! Chapter 6, listing 1: a shared counter with no lock, and `Relaxed` is enough.
//!
//! The same file is a loom model: `listings/tests/loom_ch06.rs` includes it as a module, and
//! under `--cfg loom` the `use` lines below swap in loom's `Arc`, atomics and threads.
#![cfg_attr(loom, allow(dead_code))]
#[cfg(loom)]
use loom::{sync::Arc, sync::atomic::AtomicU64, thread};
use std::sync::atomic::Ordering;
#[cfg(not(loom))]
use std::{sync::Arc, sync::atomic::AtomicU64, thread};

// ANCHOR: counter
/// Starts `threads` threads that each add 1 to a shared counter `per_thread` times.
pub fn count(threads: u64, per_thread: u64) -> u64 {
    let counter = Arc::new(AtomicU64::new(0));

    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..per_thread {
                    // One indivisible read-modify-write, whatever the ordering.
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    for handle in handles {
        handle.join().unwrap(); // join makes every increment visible to this thread
    }
    counter.load(Ordering::Relaxed)
}

fn main() {
    let total = count(5, 100_000);
    println!("final count: {total}");
    assert_eq!(total, 500_000);
}
// ANCHOR_END: counter
