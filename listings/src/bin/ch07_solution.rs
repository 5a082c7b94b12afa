//! Chapter 7 exercise, solved: read-mostly cache with double-checked insertion.
//!
//! The same file is a loom model: `listings/tests/loom_ch07.rs` includes it as a module, and
//! under `--cfg loom` the `use` lines below swap in loom's `RwLock` and `AtomicUsize`.
#![cfg_attr(loom, allow(dead_code))]
#[cfg(loom)]
use loom::sync::{RwLock, atomic::AtomicUsize};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
#[cfg(not(loom))]
use std::sync::{RwLock, atomic::AtomicUsize};
use std::thread;

#[derive(Default)]
pub struct Cache {
    map: RwLock<HashMap<u64, u64>>,
    computed: AtomicUsize, // how many times `expensive` ran
}

impl Cache {
    pub fn computed(&self) -> usize {
        self.computed.load(Ordering::Relaxed)
    }

    fn expensive(&self, key: u64) -> u64 {
        self.computed.fetch_add(1, Ordering::Relaxed);
        (1..=key).sum()
    }

    // ANCHOR: solution
    /// Returns the cached value for `key`, computing and inserting it if missing.
    /// Hits take only the read lock. `expensive` runs at most once per key, ever.
    pub fn get(&self, key: u64) -> u64 {
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
    }
    // ANCHOR_END: solution
}

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
    assert_eq!(cache.computed(), 100, "each key computed once");
    println!("800 lookups, 100 computations");
}
