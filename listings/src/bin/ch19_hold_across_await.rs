//! Chapter 19, listing 2: holding a lock across an `.await` serialises every task that needs it.
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};

// ANCHOR: held
/// A common first attempt: lock, then do slow async work while still holding the guard.
pub async fn hold_across_work(workers: u32, rounds: u32, work: Duration) -> (u32, Duration) {
    let start = Instant::now();
    let counter = Arc::new(tokio::sync::Mutex::new(0));
    let mut tasks = JoinSet::new();
    for _ in 0..workers {
        let counter = Arc::clone(&counter);
        tasks.spawn(async move {
            for _ in 0..rounds {
                let mut guard = counter.lock().await;
                *guard += 1;
                sleep(work).await; // every other worker waits for this too
            }
        });
    }
    tasks.join_all().await;
    let total = *counter.lock().await;
    (total, start.elapsed())
}
// ANCHOR_END: held

// ANCHOR: released
/// The same work with the lock held only for the update, so a std mutex will do. The guard
/// lives in a block that ends before the `.await`.
pub async fn release_before_work(workers: u32, rounds: u32, work: Duration) -> (u32, Duration) {
    let start = Instant::now();
    let counter = Arc::new(std::sync::Mutex::new(0));
    let mut tasks = JoinSet::new();
    for _ in 0..workers {
        let counter = Arc::clone(&counter);
        tasks.spawn(async move {
            for _ in 0..rounds {
                {
                    let mut guard = counter.lock().unwrap();
                    *guard += 1;
                } // the guard is dropped here, before the `.await`
                sleep(work).await;
            }
        });
    }
    tasks.join_all().await;
    let total = *counter.lock().unwrap();
    (total, start.elapsed())
}
// ANCHOR_END: released

#[tokio::main]
async fn main() {
    let work = Duration::from_millis(1);
    let (held, _) = hold_across_work(3, 5, work).await;
    let (released, _) = release_before_work(3, 5, work).await;
    assert_eq!(held, 15);
    assert_eq!(released, 15);
    println!("both versions counted to 15");
}
