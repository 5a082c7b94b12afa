//! Chapter 6, listing 6: `AcqRel` on a read-modify-write, and the same with a `fence(Acquire)`.
//! The last worker to count itself out adds up everyone's results.
//!
//! The same file is a loom model: `listings/tests/loom_ch06.rs` includes it as a module, and
//! under `--cfg loom` the `use` lines below swap in loom's atomics and `fence`.
#![cfg_attr(loom, allow(dead_code))]
#[cfg(loom)]
use loom::sync::atomic::{AtomicU64, AtomicUsize, fence};
use std::sync::atomic::Ordering;
#[cfg(not(loom))]
use std::sync::atomic::{AtomicU64, AtomicUsize, fence};
use std::thread;

// ANCHOR: tally
/// Each worker stores its result, then counts itself out; the last one out adds them all up.
pub struct Tally {
    results: Vec<AtomicU64>,
    remaining: AtomicUsize,
}

impl Tally {
    pub fn new(workers: usize) -> Self {
        Tally {
            results: (0..workers).map(|_| AtomicU64::new(0)).collect(),
            remaining: AtomicUsize::new(workers),
        }
    }

    /// Records worker `i`'s result. The last worker to call this gets the sum of all results.
    pub fn finish(&self, i: usize, result: u64) -> Option<u64> {
        self.results[i].store(result, Ordering::Relaxed);
        // Release: my result is published to whoever counts out after me.
        // Acquire: if I am the last, I see the results of all who counted out before me.
        if self.remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
            Some(self.results.iter().map(|r| r.load(Ordering::Relaxed)).sum())
        } else {
            None
        }
    }
    // ANCHOR_END: tally

    // ANCHOR: fence
    /// The same, paying for the acquire only in the last worker, as `Arc`'s `drop` does.
    pub fn finish_with_fence(&self, i: usize, result: u64) -> Option<u64> {
        self.results[i].store(result, Ordering::Relaxed);
        if self.remaining.fetch_sub(1, Ordering::Release) == 1 {
            // Pairs with every worker's Release above: their results are visible below.
            fence(Ordering::Acquire);
            Some(self.results.iter().map(|r| r.load(Ordering::Relaxed)).sum())
        } else {
            None
        }
    }
    // ANCHOR_END: fence
}

fn main() {
    // ANCHOR: main
    const WORKERS: u64 = 4;
    for with_fence in [false, true] {
        let tally = Tally::new(WORKERS as usize);
        let sums: Vec<u64> = thread::scope(|s| {
            let handles: Vec<_> = (0..WORKERS)
                .map(|i| {
                    let tally = &tally;
                    s.spawn(move || {
                        let result = (i + 1) * 10; // this worker's share of the work
                        if with_fence {
                            tally.finish_with_fence(i as usize, result)
                        } else {
                            tally.finish(i as usize, result)
                        }
                    })
                })
                .collect();
            // Exactly one worker is the last one out and gets the sum.
            handles
                .into_iter()
                .filter_map(|h| h.join().unwrap())
                .collect()
        });
        assert_eq!(sums, [10 + 20 + 30 + 40]);
        let how = if with_fence {
            "Release + fence(Acquire)"
        } else {
            "AcqRel"
        };
        println!(
            "{how}: the last of {WORKERS} workers out added up {}",
            sums[0]
        );
    }
    // ANCHOR_END: main
}
