//! Chapter 19 exercise: fetch everything, at most `limit` at a time, results in order.
//! Run it with `cargo run -p listings --example ch19_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch19_solution.rs`.
use std::time::Duration;
use tokio::time::sleep;

// ANCHOR: exercise
/// Stands for a network call that takes 10 ms.
async fn fetch(id: u64) -> u64 {
    sleep(Duration::from_millis(10)).await;
    id * id
}

/// Fetches every id, with at most `limit` fetches in flight, and returns the results in the
/// order of `ids`. If the caller stops waiting (drops this future), no fetch goes on.
pub async fn fetch_all(ids: Vec<u64>, limit: usize) -> Vec<u64> {
    // Spawn one task per id; each holds a permit of a `tokio::sync::Semaphore` with `limit`
    // permits while it calls `fetch`. Spawn them into a `tokio::task::JoinSet`, which aborts
    // its tasks when it is dropped. Then put the results back in input order.
    todo!("{} ids, {limit} at a time", ids.len())
}

#[tokio::main]
async fn main() {
    assert_eq!(fetch(3).await, 9);
    let results = fetch_all((1..=10).collect(), 3).await;
    assert_eq!(results, (1..=10).map(|i| i * i).collect::<Vec<_>>());
    println!("results: {results:?}");
}
// ANCHOR_END: exercise
