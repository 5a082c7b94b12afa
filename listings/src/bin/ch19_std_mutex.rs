//! Chapter 19, listing 1: `std::sync::Mutex` in async code, never held across an `.await`.
use std::sync::{Arc, Mutex};
use tokio::task::JoinSet;

// ANCHOR: counter
/// Shared state behind a std mutex, with only synchronous methods: a guard taken inside
/// them cannot live across an `.await`, because there is no `.await` in them.
#[derive(Default)]
struct Stats {
    inner: Mutex<StatsInner>,
}

#[derive(Default)]
struct StatsInner {
    requests: u64,
    bytes: u64,
}

impl Stats {
    fn record(&self, bytes: u64) {
        let mut inner = self.inner.lock().unwrap();
        inner.requests += 1;
        inner.bytes += bytes;
    } // the guard is dropped here, long before the caller's next `.await`

    fn totals(&self) -> (u64, u64) {
        let inner = self.inner.lock().unwrap();
        (inner.requests, inner.bytes)
    }
}
// ANCHOR_END: counter

// ANCHOR: main
#[tokio::main]
async fn main() {
    let stats = Arc::new(Stats::default());
    let mut tasks = JoinSet::new();
    for _ in 0..100 {
        let stats = Arc::clone(&stats);
        tasks.spawn(async move {
            for bytes in 1..=100 {
                stats.record(bytes);
                tokio::task::yield_now().await; // stands for the task's real async work
            }
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap();
    }
    let (requests, bytes) = stats.totals();
    println!("{requests} requests, {bytes} bytes");
    assert_eq!(requests, 100 * 100);
    assert_eq!(bytes, 100 * 5050);
}
// ANCHOR_END: main
