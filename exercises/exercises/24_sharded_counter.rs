//! Chapter 24, "Measuring concurrent performance": a sharded counter that threads use without
//! knowing their index.
//!
//! Graded by loom. The mistake that matters most, an increment written as a load and a store,
//! loses a count only when one thread acts between another thread's load and its store on the
//! same shard. An earlier version of these tests, 8 threads on 4 shards in a loop, caught it in
//! 19 of 20 runs on 2 busy cores, and no number of passing runs proves it absent. So the tests
//! run `increment` itself under loom: `mod sync` below hands the counter loom's atomics when
//! compiled for `cargo test`, and `loom::model` runs two threads on one shard in every
//! interleaving. A load and a store lose a count in one of them, on every run of the test.
//!
//! Loom's threads all run on the test's own thread, so they share its `thread_local!` number.
//! The numbering is checked around that: three real threads, each running a small loom model
//! of its own, take three different numbers, one of them past the last of two shards, which
//! must wrap around (a thread that panics fails the test with a message); one thread's
//! increments must all land in one shard (a counter that picks a new shard on every call has
//! the right total, but brings back the contention the shards exist to avoid); and the total
//! must add up every shard.
use crossbeam::utils::CachePadded;
use std::thread;

/// The atomics the shards are made of: std's in the program, loom's in the tests, so that the
/// tests check every interleaving of the `increment` you write.
mod sync {
    #[cfg(test)]
    pub use loom::sync::atomic::AtomicU64;
    #[cfg(not(test))]
    pub use std::sync::atomic::AtomicU64;
}
use sync::AtomicU64;

// ANCHOR: exercise
// TODO: Number each thread the first time it increments: a `thread_local!` initialised from
// a global `AtomicUsize` (a `static`). You need `AtomicUsize` and `Ordering::Relaxed`.

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
        // TODO: Add 1 to the shard given by this thread's number modulo the number of shards.
        todo!("add 1 to the shard of {:?}", thread::current().id())
    }

    /// The sum of the shards.
    fn total(&self) -> u64 {
        // TODO: Add up every shard.
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

#[cfg(test)]
mod tests {
    use super::Counter;
    use loom::sync::Arc;
    use std::panic;
    use std::sync::atomic::Ordering::Relaxed;
    use std::thread;

    const SHARDS: &str = "see chapter 24, 'Four counters'";

    /// Fails with a message if `increment` panics on this thread, on a counter of `shards`
    /// shards. (A panic inside a loom model with a second thread alive aborts the whole test
    /// run, so the tests with two threads call this first.)
    fn assert_increment_does_not_panic(shards: usize) {
        let run = panic::catch_unwind(|| {
            loom::model(move || Counter::new(shards).increment());
        });
        if let Err(payload) = run {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("");
            panic!(
                "`increment` panicked on a counter of {shards} shard(s): \"{message}\". If an \
                 index is out of bounds: a thread's number can be larger than the number of \
                 shards, so take it modulo the shard count ({SHARDS}; chapter 24, 'Exercise')"
            );
        }
    }

    #[test]
    fn two_threads_on_one_shard_lose_no_increment() {
        assert_increment_does_not_panic(1);
        loom::model(|| {
            // One shard: both threads add to it, whatever their numbers.
            let counter = Arc::new(Counter::new(1));
            let other = {
                let counter = Arc::clone(&counter);
                loom::thread::spawn(move || counter.increment())
            };
            counter.increment();
            other.join().unwrap();
            assert_eq!(
                counter.total(),
                2,
                "two threads incremented one shard once each, and in one interleaving a count \
                 was lost: both read the same value and wrote it back plus 1. Threads that share \
                 a shard must add with `fetch_add`, not a load and a store ({SHARDS})"
            );
        });
    }

    #[test]
    fn threads_numbered_past_the_last_shard_wrap_around() {
        // Three threads take three different numbers, so one of them is 2 or more: past the
        // last of 2 shards. Each runs its own loom model (loom's atomics live inside one).
        let threads: Vec<_> = (0..3)
            .map(|_| thread::spawn(|| assert_increment_does_not_panic(2)))
            .collect();
        for thread in threads {
            if let Err(payload) = thread.join() {
                panic::resume_unwind(payload);
            }
        }
    }

    #[test]
    fn a_thread_always_hits_the_same_shard() {
        for shards in [3, 4] {
            loom::model(move || {
                let counter = Counter::new(shards);
                for _ in 0..10 {
                    counter.increment();
                }
                let counts: Vec<u64> = counter.shards.iter().map(|s| s.load(Relaxed)).collect();
                assert_eq!(
                    counter.total(),
                    10,
                    "the total is the sum of every shard ({SHARDS})"
                );
                assert!(
                    counts.iter().filter(|&&c| c > 0).count() == 1,
                    "one thread's 10 increments landed in shards {counts:?}: a thread must keep \
                     its number for its whole life (a `thread_local!`), or threads share shards \
                     again and fight over their cache lines ({SHARDS})"
                );
            });
        }
    }

    #[test]
    fn the_total_adds_up_every_shard() {
        loom::model(|| {
            let counter = Counter::new(3);
            for (value, shard) in (1..).zip(&counter.shards) {
                shard.store(value, Relaxed);
            }
            counter.increment();
            assert_eq!(
                counter.total(),
                1 + 2 + 3 + 1,
                "shards holding 1, 2 and 3, plus one increment, add up to 7 ({SHARDS})"
            );
        });
    }
}
