//! Chapter 24 exercise: a sharded counter that threads use without knowing their index.
//! Run it with `cargo run -p listings --example ch24_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch24_solution.rs`.
// The starter leaves some imports for you to use.
#![allow(unused)]
use crossbeam::utils::CachePadded;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::thread;

// ANCHOR: exercise
/// A counter with a fixed number of shards, each on its own cache line, that any number
/// of threads can increment.
struct Counter {
    shards: Vec<CachePadded<AtomicU64>>,
}

impl Counter {
    fn new(shards: usize) -> Counter {
        let shards = (0..shards.max(1)).map(|_| CachePadded::new(AtomicU64::new(0)));
        Counter {
            shards: shards.collect(),
        }
    }

    /// Adds 1 to this thread's shard. Hint: number each thread the first time it gets
    /// here (a `thread_local!` initialised from a global `AtomicUsize`), and use that
    /// number modulo the number of shards.
    fn increment(&self) {
        todo!("add 1 to the shard of {:?}", thread::current().id())
    }

    /// The sum of the shards.
    fn total(&self) -> u64 {
        todo!("add up {} shards", self.shards.len())
    }
}
// ANCHOR_END: exercise

fn main() {
    let counter = Counter::new(4);
    // Eight threads on four shards: some threads share a shard.
    thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..50_000 {
                    counter.increment();
                }
            });
        }
    });
    counter.increment(); // main counts too
    assert_eq!(counter.total(), 8 * 50_000 + 1);
    println!("8 threads on 4 shards: 400001 increments, none lost");
}
