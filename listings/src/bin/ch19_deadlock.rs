//! Chapter 19, listing 4: an async mutex deadlocks just like a blocking one.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Barrier, Mutex};
use tokio::task::JoinSet;
use tokio::time::timeout;

// ANCHOR: deadlock
/// Two tasks take two locks in opposite orders. Returns whether both finished within `limit`.
pub async fn opposite_order(limit: Duration) -> bool {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    // The barrier makes sure each task holds its first lock before either asks for its second.
    let both_hold_one = Arc::new(Barrier::new(2));
    let mut tasks = JoinSet::new();
    for (first, second) in [(a.clone(), b.clone()), (b, a)] {
        let barrier = Arc::clone(&both_hold_one);
        tasks.spawn(async move {
            let mut x = first.lock().await;
            barrier.wait().await;
            let mut y = second.lock().await; // waits forever for the other task
            *x += 1;
            *y += 1;
        });
    }
    // On timeout the JoinSet is dropped, which aborts both tasks and releases their locks.
    timeout(limit, tasks.join_all()).await.is_ok()
}
// ANCHOR_END: deadlock

#[tokio::main]
async fn main() {
    let finished = opposite_order(Duration::from_millis(20)).await;
    assert!(!finished);
    println!("deadlock: neither task finished within 20 ms");
}
