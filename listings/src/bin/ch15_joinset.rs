//! Chapter 15, listing 2: a `JoinSet` hands back results in the order the tasks finish.
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::sleep;

// ANCHOR: joinset
/// Spawns five tasks, task `id` sleeping `6 - id` ms, and returns their ids in the order
/// they finished.
pub async fn completion_order() -> Vec<u64> {
    let mut set = JoinSet::new();
    for id in 1..=5 {
        set.spawn(async move {
            sleep(Duration::from_millis(6 - id)).await;
            id
        });
    }
    let mut order = Vec::new();
    while let Some(result) = set.join_next().await {
        order.push(result.expect("task panicked"));
    }
    order
}
// ANCHOR_END: joinset

#[tokio::main]
async fn main() {
    let order = completion_order().await;
    println!("completion order: {order:?}");
    // Which finishes first is up to the clock; that every task reports once is not.
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(sorted, [1, 2, 3, 4, 5]);
}
