//! Chapter 19, listing 5: a semaphore bounds how many tasks do something at once.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::sleep;

// ANCHOR: semaphore
/// Runs `tasks` tasks that each work for `work`, at most `limit` at a time. Returns the
/// largest number that were ever working at once.
pub async fn bounded(tasks: usize, limit: usize, work: Duration) -> usize {
    let permits = Arc::new(Semaphore::new(limit));
    let working = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let mut set = JoinSet::new();
    for _ in 0..tasks {
        let permits = Arc::clone(&permits);
        let (working, most) = (Arc::clone(&working), Arc::clone(&most));
        set.spawn(async move {
            // Waits (without blocking the thread) until one of the `limit` permits is free.
            let _permit = permits.acquire_owned().await.unwrap();
            let now = working.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            sleep(work).await;
            working.fetch_sub(1, Ordering::SeqCst);
            // `_permit` is dropped here, and the next waiting task gets it.
        });
    }
    set.join_all().await;
    most.load(Ordering::SeqCst)
}
// ANCHOR_END: semaphore

#[tokio::main]
async fn main() {
    let most = bounded(20, 3, Duration::from_millis(1)).await;
    assert!((1..=3).contains(&most), "{most} at once");
    println!("20 tasks, never more than 3 at once");
}
