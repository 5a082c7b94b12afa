//! Chapter 15, listing 2: a `JoinSet` hands back results in the order the tasks finish.
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};

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

// ANCHOR: paused
// The clock stands still until every task is waiting on a timer, then jumps to the next one.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let order = completion_order().await;
    let elapsed = start.elapsed();
    println!("completion order: {order:?}, after {elapsed:?}");
    assert_eq!(order, [5, 4, 3, 2, 1]);
    // The tasks waited together: the set took as long as its slowest task, to the tick.
    assert_eq!(elapsed, Duration::from_millis(5));
}
// ANCHOR_END: paused
