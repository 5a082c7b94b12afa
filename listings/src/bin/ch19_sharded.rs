//! Chapter 19, listing 6: a map shared by many tasks, split into shards that each have their
//! own std mutex, so that tasks working on different keys rarely wait for each other.
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::{Arc, Mutex};
use tokio::task::JoinSet;

// ANCHOR: sharded
/// A key always lives in the same shard, so two operations wait for each other only when
/// their keys share a shard.
pub struct ShardedMap<K, V> {
    shards: Vec<Mutex<HashMap<K, V>>>,
    /// One hasher for the map's whole life: the shard of a key must never change.
    hasher: RandomState,
}

impl<K: Hash + Eq, V: Default> ShardedMap<K, V> {
    pub fn new(shards: usize) -> Self {
        ShardedMap {
            shards: (0..shards).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
        }
    }

    /// The shard that `key` lives in.
    pub fn shard_of(&self, key: &K) -> usize {
        (self.hasher.hash_one(key) % self.shards.len() as u64) as usize
    }

    /// Runs `f` on the value for `key` (a default one if it is new), under that shard's lock
    /// only. A synchronous method: the guard cannot be held across an `.await`.
    pub fn update<R>(&self, key: K, f: impl FnOnce(&mut V) -> R) -> R {
        let mut shard = self.shards[self.shard_of(&key)].lock().unwrap();
        f(shard.entry(key).or_default())
    }

    pub fn get(&self, key: &K) -> Option<V>
    where
        V: Clone,
    {
        let shard = self.shards[self.shard_of(key)].lock().unwrap();
        shard.get(key).cloned()
    }
}
// ANCHOR_END: sharded

// ANCHOR: main
/// `tasks` tasks each count `per_task` hits, spread over `keys` keys, in a map of 16 shards.
pub async fn count_hits(tasks: u64, per_task: u64, keys: u64) -> Arc<ShardedMap<u64, u64>> {
    let map = Arc::new(ShardedMap::new(16));
    let mut set = JoinSet::new();
    for task in 0..tasks {
        let map = Arc::clone(&map);
        set.spawn(async move {
            for i in 0..per_task {
                map.update((task + i) % keys, |hits| *hits += 1);
                tokio::task::yield_now().await; // stands for the task's real async work
            }
        });
    }
    set.join_all().await;
    map
}

#[tokio::main]
async fn main() {
    let map = count_hits(8, 1000, 100).await;
    // 8 tasks x 1000 hits over 100 keys: every key was hit exactly 80 times.
    for key in 0..100 {
        assert_eq!(map.get(&key), Some(80), "key {key}");
    }
    println!("8000 hits over 100 keys in 16 shards: every key counted 80 times");
}
// ANCHOR_END: main
