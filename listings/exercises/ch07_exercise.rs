//! Chapter 7 exercise: a cache that many threads read and that computes each missing entry once.
//! Run it with `cargo run -p listings --example ch07_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch07_solution.rs`.
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

// ANCHOR: exercise
struct Cache {
    map: RwLock<HashMap<u64, u64>>,
    computed: AtomicUsize, // how many times `expensive` ran
}

impl Cache {
    #[allow(dead_code)] // until your `get` calls it
    fn expensive(&self, key: u64) -> u64 {
        self.computed.fetch_add(1, Ordering::Relaxed);
        (1..=key).sum()
    }

    /// Returns the cached value for `key`, computing and inserting it if missing.
    /// Hits take only the read lock. `expensive` runs at most once per key, ever.
    fn get(&self, key: u64) -> u64 {
        todo!("look up {key} in {:?}", self.map)
    }
}

fn main() {
    let cache = Cache {
        map: RwLock::new(HashMap::new()),
        computed: AtomicUsize::new(0),
    };
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for key in (0..100).chain(0..100) {
                    assert_eq!(cache.get(key), key * (key + 1) / 2);
                }
            });
        }
    });
    assert_eq!(
        cache.computed.load(Ordering::Relaxed),
        100,
        "each key computed once"
    );
    println!("800 lookups, 100 computations");
}
// ANCHOR_END: exercise
