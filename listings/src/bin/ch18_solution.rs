//! Chapter 18 exercise, solved: fetch everything, at most `limit` at a time, results in order.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::sleep;

/// Stands for a network call that takes 10 ms.
async fn fetch(id: u64) -> u64 {
    sleep(Duration::from_millis(10)).await;
    id * id
}

// ANCHOR: solution
/// Fetches every id, with at most `limit` fetches in flight, and returns the results in the
/// order of `ids`.
pub async fn fetch_all(ids: Vec<u64>, limit: usize) -> Vec<u64> {
    let permits = Arc::new(Semaphore::new(limit));
    let handles: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let permits = Arc::clone(&permits);
            tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.unwrap();
                fetch(id).await
            })
        })
        .collect();
    // Awaiting the handles in spawn order gives the results in input order.
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.unwrap());
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
