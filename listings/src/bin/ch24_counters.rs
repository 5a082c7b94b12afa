//! Chapter 24, listing 2: four ways for many threads to count, all of them exact.
use crossbeam::utils::CachePadded;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

// ANCHOR: counters
/// A counter that `threads` threads increment at once. `thread` is the caller's index,
/// in `0..threads`; only the sharded counter uses it.
trait Counter: Sync {
    fn increment(&self, thread: usize);
    /// The total. Exact once every incrementing thread has been joined.
    fn total(&self) -> u64;
}

/// Every increment takes the lock.
struct MutexCounter(Mutex<u64>);

impl Counter for MutexCounter {
    fn increment(&self, _: usize) {
        *self.0.lock().unwrap() += 1;
    }
    fn total(&self) -> u64 {
        *self.0.lock().unwrap()
    }
}

/// Every increment is one atomic read-modify-write on the same cache line.
struct AtomicCounter(AtomicU64);

impl Counter for AtomicCounter {
    fn increment(&self, _: usize) {
        // Relaxed: the count is read after `join`, which already synchronizes.
        self.0.fetch_add(1, Relaxed);
    }
    fn total(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

/// One atomic per thread, each on a cache line of its own; the total adds them up.
struct ShardedCounter {
    shards: Vec<CachePadded<AtomicU64>>,
}

impl ShardedCounter {
    fn new(threads: usize) -> ShardedCounter {
        let shards = (0..threads).map(|_| CachePadded::new(AtomicU64::new(0)));
        ShardedCounter {
            shards: shards.collect(),
        }
    }
}

impl Counter for ShardedCounter {
    fn increment(&self, thread: usize) {
        self.shards[thread].fetch_add(1, Relaxed);
    }
    fn total(&self) -> u64 {
        self.shards.iter().map(|shard| shard.load(Relaxed)).sum()
    }
}
// ANCHOR_END: counters

// ANCHOR: run
/// `threads` threads increment `counter` `per_thread` times each; returns the total.
fn count(counter: &impl Counter, threads: usize, per_thread: u64) -> u64 {
    thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                for _ in 0..per_thread {
                    counter.increment(t);
                }
            });
        }
    });
    counter.total()
}

/// The fourth way: count in a local variable, and touch shared memory once per thread.
fn count_locally(threads: usize, per_thread: u64) -> u64 {
    let total = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut local = 0;
                for _ in 0..per_thread {
                    local += 1;
                }
                total.fetch_add(local, Relaxed);
            });
        }
    });
    total.into_inner()
}
// ANCHOR_END: run

fn main() {
    // ANCHOR: main
    let per_thread = 100_000;
    for threads in [1, 2, 4] {
        let expected = threads as u64 * per_thread;
        let mutex = MutexCounter(Mutex::new(0));
        assert_eq!(count(&mutex, threads, per_thread), expected);
        let atomic = AtomicCounter(AtomicU64::new(0));
        assert_eq!(count(&atomic, threads, per_thread), expected);
        let sharded = ShardedCounter::new(threads);
        assert_eq!(count(&sharded, threads, per_thread), expected);
        assert_eq!(count_locally(threads, per_thread), expected);
        println!("{threads} threads: all four counters reached {expected}");
    }
    // ANCHOR_END: main
}
