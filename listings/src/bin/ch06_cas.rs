//! Chapter 6, listing 7: read-modify-write with a condition: `compare_exchange` and `try_update`.
//!
//! The same file is a loom model: `listings/tests/loom_ch06.rs` includes it as a module, and
//! under `--cfg loom` the `use` lines below swap in loom's `AtomicU32`.
#![cfg_attr(loom, allow(dead_code))]
#[cfg(loom)]
use loom::sync::atomic::AtomicU32;
use std::sync::Barrier;
#[cfg(not(loom))]
use std::sync::atomic::AtomicU32;
use std::sync::atomic::Ordering;
use std::thread;

// ANCHOR: cas
/// Hands out at most `limit` permits; returns the permit number, or `None` when they are gone.
pub fn take_permit(issued: &AtomicU32, limit: u32) -> Option<u32> {
    let mut current = issued.load(Ordering::Relaxed);
    loop {
        if current == limit {
            return None;
        }
        // Only succeeds if nobody changed `issued` since we read it.
        match issued.compare_exchange_weak(
            current,
            current + 1,
            Ordering::Relaxed,
            Ordering::Relaxed,
        ) {
            Ok(_) => return Some(current),
            Err(actual) => current = actual, // somebody beat us: retry with the new value
        }
    }
}

/// The same, with `try_update` writing the loop for us.
pub fn take_permit_with_try_update(issued: &AtomicU32, limit: u32) -> Option<u32> {
    issued
        .try_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
            (n < limit).then_some(n + 1)
        })
        .ok()
}
// ANCHOR_END: cas

fn main() {
    // ANCHOR: race
    const LIMIT: u32 = 1_000;
    const THREADS: usize = 4;
    for take in [take_permit, take_permit_with_try_update] {
        let issued = AtomicU32::new(0);
        let start = Barrier::new(THREADS);
        // Four threads each try 500 times, 2000 attempts for 1000 permits.
        let mut permits: Vec<u32> = thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    s.spawn(|| {
                        start.wait(); // line up, so that the attempts can overlap
                        (0..500)
                            .filter_map(|_| take(&issued, LIMIT))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        permits.sort_unstable();
        // Every permit handed out exactly once, and never more than the limit.
        assert_eq!(permits, (0..LIMIT).collect::<Vec<_>>());
        assert_eq!(issued.load(Ordering::Relaxed), LIMIT);
    }
    println!("{LIMIT} permits, each handed out exactly once, by both versions");
    // ANCHOR_END: race
}
