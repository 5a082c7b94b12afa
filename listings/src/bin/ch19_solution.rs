//! Chapter 19 exercise, solved: fetch everything, at most `limit` at a time, results in order.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::sleep;

/// Stands for a network call that takes 10 ms.
async fn fetch(id: u64) -> u64 {
    sleep(Duration::from_millis(10)).await;
    id * id
}

// ANCHOR: solution
/// Fetches every id, with at most `limit` fetches in flight, and returns the results in the
/// order of `ids`. If the caller stops waiting (drops this future), no fetch goes on.
pub async fn fetch_all(ids: Vec<u64>, limit: usize) -> Vec<u64> {
    let permits = Arc::new(Semaphore::new(limit));
    // Dropping a JoinSet aborts every task still in it.
    let mut tasks = JoinSet::new();
    for (index, id) in ids.iter().copied().enumerate() {
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.unwrap();
            (index, fetch(id).await)
        });
    }
    // Results come in the order the fetches finish; the index puts each in its place.
    let mut results = vec![0; ids.len()];
    while let Some(joined) = tasks.join_next().await {
        let (index, value) = joined.expect("a fetch panicked");
        results[index] = value;
    }
    results
}
// ANCHOR_END: solution

#[tokio::main]
async fn main() {
    assert_eq!(fetch(3).await, 9);
    let results = fetch_all((1..=10).collect(), 3).await;
    assert_eq!(results, (1..=10).map(|i| i * i).collect::<Vec<_>>());
    println!("results: {results:?}");
}
