//! Chapter 7, "Read-write locks": a cache that many threads read, which computes each missing
//! entry once.
//!
//! Graded by loom. Two threads that miss the same key at the same moment compute it twice only
//! in some interleavings, and a test run rarely hits them: without the second check under the
//! write lock, a version of this cache passed 19 of 20 runs of a stress test. So the tests run
//! `get` itself under loom's model checker: `mod sync` below hands the cache loom's `RwLock` and
//! `AtomicUsize` when compiled for `cargo test`, and `loom::model` runs each test in every
//! interleaving of its threads. Loom also reports a thread that waits for a lock it can never
//! get (a `write()` while this thread still reads, for one), and the test names the section.
use std::collections::HashMap;
use std::thread;

/// The locks and atomics the cache uses: std's in the program, loom's in the tests, so that the
/// tests check every interleaving of the code you write, not just the ones a run happens to hit.
mod sync {
    #[cfg(test)]
    pub use loom::sync::{RwLock, atomic::AtomicUsize};
    #[cfg(not(test))]
    pub use std::sync::{RwLock, atomic::AtomicUsize};
}
use std::sync::atomic::Ordering;
use sync::{AtomicUsize, RwLock};

#[derive(Default)]
struct Cache {
    #[allow(dead_code, reason = "the starter leaves every use of it to the reader")]
    map: RwLock<HashMap<u64, u64>>,
    computed: AtomicUsize, // how many times `expensive` ran
}

// ANCHOR: exercise
impl Cache {
    /// Stands for a slow computation; counts how many times it runs.
    #[allow(dead_code, reason = "the starter leaves every call to the reader")]
    fn expensive(&self, key: u64) -> u64 {
        self.computed.fetch_add(1, Ordering::Relaxed);
        (1..=key).sum()
    }

    /// Returns the cached value for `key`, computing and inserting it if missing.
    /// Hits take only the read lock. `expensive` runs at most once per key, ever.
    fn get(&self, key: u64) -> u64 {
        // ANCHOR: todo("look up {key} in the cache")
        // Look `key` up under the read lock, and return a hit.
        // On a miss, drop the read guard, take the write lock, and compute the value only if
        // the key is still missing: another thread may have inserted it in between.

        // The common case: a hit, under the shared lock. The guard is a temporary of this
        // `let`, so it is gone before we ask for the write lock below.
        let hit = self.map.read().unwrap().get(&key).copied();
        if let Some(value) = hit {
            return value;
        }
        // A miss. Another thread may fill the entry between our read and our write lock,
        // so check again under the write lock before computing.
        let mut map = self.map.write().unwrap();
        *map.entry(key).or_insert_with(|| self.expensive(key))
        // ANCHOR_END: todo
    }
}
// ANCHOR_END: exercise

fn main() {
    let cache = Cache::default();
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for key in (0..100).chain(0..100) {
                    assert_eq!(cache.get(key), key * (key + 1) / 2);
                }
            });
        }
    });
    assert_eq!(cache.computed.load(Ordering::Relaxed), 100);
    println!("800 lookups, 100 computations");
}

#[cfg(test)]
mod tests {
    use super::Cache;
    use loom::sync::{Arc, mpsc};
    use std::cell::Cell;
    use std::panic;
    use std::sync::Once;
    use std::sync::atomic::Ordering;

    thread_local! {
        /// The section the running model's failure sends the reader to, until it is said once.
        static SEE: Cell<Option<&'static str>> = const { Cell::new(None) };
    }

    /// Runs `f` in every interleaving loom finds. If every thread is blocked for good in one of
    /// them, loom panics with "deadlock", and the process ends before a test can catch it; so a
    /// panic hook adds `see`, to name the section to re-read as the asserts do.
    fn model(see: &'static str, f: impl Fn() + Sync + Send + 'static) {
        static HOOK: Once = Once::new();
        HOOK.call_once(|| {
            let default = panic::take_hook();
            panic::set_hook(Box::new(move |info| {
                default(info);
                let deadlock = info
                    .payload_as_str()
                    .is_some_and(|p| p.starts_with("deadlock"));
                if let Some(see) = SEE.take().filter(|_| deadlock) {
                    eprintln!("in one interleaving, every thread waits for good: {see}");
                }
            }));
        });
        SEE.set(Some(see));
        loom::model(f);
        SEE.set(None);
    }

    const UPGRADE: &str = "a thread that calls `write()` while it still holds `read()` waits for \
                           itself forever: drop the read guard first (see chapter 7, 'What can \
                           go wrong')";

    #[test]
    fn a_miss_computes_and_a_hit_returns_the_cached_value() {
        model(UPGRADE, || {
            let cache = Cache::default();
            assert_eq!(cache.get(3), 6, "1 + 2 + 3 is 6");
            assert_eq!(cache.get(3), 6, "a hit returns what the miss stored");
            assert_eq!(cache.get(4), 10);
            assert_eq!(
                cache.computed.load(Ordering::Relaxed),
                2,
                "two keys, two computations: a hit must not compute again (see chapter 7, \
                 'Exercise')"
            );
        });
    }

    #[test]
    fn a_hit_takes_only_the_read_lock() {
        model(
            "a hit must be served under the read lock alone, so that readers never wait for \
             each other; here another thread holds a read guard until a lookup of a cached key \
             returns, and a lookup that takes `write()` waits for it forever (see chapter 7, \
             'The tool: `RwLock`'); or the lookup called `write()` while it still held \
             `read()`, and waits for itself (see chapter 7, 'What can go wrong')",
            || {
                let cache = Arc::new(Cache::default());
                assert_eq!(cache.get(3), 6);
                let (reading_tx, reading_rx) = mpsc::channel();
                let (done_tx, done_rx) = mpsc::channel();
                let reader = {
                    let cache = Arc::clone(&cache);
                    loom::thread::spawn(move || {
                        let reading = cache.map.read().unwrap();
                        reading_tx.send(()).unwrap();
                        done_rx.recv().unwrap(); // holds the read lock until the hit returns
                        drop(reading);
                    })
                };
                reading_rx.recv().unwrap();
                assert_eq!(cache.get(3), 6);
                done_tx.send(()).unwrap();
                reader.join().unwrap();
            },
        );
    }

    #[test]
    fn two_threads_missing_the_same_key_compute_it_once() {
        model(UPGRADE, || {
            let cache = Arc::new(Cache::default());
            let other = {
                let cache = Arc::clone(&cache);
                loom::thread::spawn(move || cache.get(3))
            };
            assert_eq!(cache.get(3), 6);
            assert_eq!(other.join().unwrap(), 6);
            assert_eq!(
                cache.computed.load(Ordering::Relaxed),
                1,
                "in one interleaving both threads missed under the read lock and both computed: \
                 check again under the write lock before computing (see chapter 7, 'Exercise')"
            );
        });
    }
}
