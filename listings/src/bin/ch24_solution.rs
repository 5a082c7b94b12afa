//! Chapter 24 exercise, solved: a sharded counter that threads use without knowing their index.
use crossbeam::utils::CachePadded;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::thread;

// ANCHOR: solution
/// The next number to hand to a thread that increments for the first time.
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// This thread's number: taken from NEXT_SLOT on first use, then fixed for its life.
    static SLOT: usize = NEXT_SLOT.fetch_add(1, Relaxed);
}

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

    /// Adds 1 to this thread's shard.
    fn increment(&self) {
        let slot = SLOT.with(|slot| *slot);
        // More threads than shards means some share one: it must still be a fetch_add.
        self.shards[slot % self.shards.len()].fetch_add(1, Relaxed);
    }

    /// The sum of the shards.
    fn total(&self) -> u64 {
        self.shards.iter().map(|shard| shard.load(Relaxed)).sum()
    }
}
// ANCHOR_END: solution

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
