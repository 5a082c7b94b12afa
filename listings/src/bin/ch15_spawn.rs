//! Chapter 15, listing 1: spawn tasks, then await their handles in the order they were spawned.
use std::time::Duration;
use tokio::time::sleep;

// ANCHOR: task
async fn task_with_id(id: u64, delay: Duration) -> u64 {
    println!("task {id} starting");
    sleep(delay).await;
    println!("task {id} done");
    id * 2
}
// ANCHOR_END: task

// ANCHOR: main
/// Spawns five tasks, task 1 sleeping longest and task 5 shortest, and awaits their handles
/// one by one.
pub async fn spawn_and_collect() -> Vec<u64> {
    let handles: Vec<_> = (1..=5)
        .map(|id| tokio::spawn(task_with_id(id, Duration::from_millis(6 - id))))
        .collect();

    // Awaiting the handles one by one gives results in *spawn* order, whichever finished first.
    let mut results = Vec::new();
    for handle in handles {
        results.push(handle.await.expect("task panicked"));
    }
    results
}

#[tokio::main]
async fn main() {
    let results = spawn_and_collect().await;
    println!("results in spawn order: {results:?}");
    assert_eq!(results, [2, 4, 6, 8, 10]);
}
// ANCHOR_END: main
