//! Chapter 15: dropping a `JoinSet` only asks its tasks to stop, `shutdown().await` waits
//! until they have, and dropping the runtime (returning from `main`) drops every task left.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::runtime::Builder;
use tokio::task::{JoinSet, yield_now};
use tokio::time::sleep;

// ANCHOR: counter
/// Owned by a task's future; counts how many such futures have been dropped.
struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// Spawns `n` tasks into `set` that would sleep for an hour.
fn spawn_sleepers(set: &mut JoinSet<()>, dropped: &Arc<AtomicUsize>, n: usize) {
    for _ in 0..n {
        let counter = DropCounter(Arc::clone(dropped));
        set.spawn(async move {
            let _counter = counter;
            sleep(Duration::from_secs(3600)).await;
        });
    }
}
// ANCHOR_END: counter

async fn join_set_drop_and_shutdown() {
    // ANCHOR: drop
    let dropped = Arc::new(AtomicUsize::new(0));
    let mut set = JoinSet::new();
    spawn_sleepers(&mut set, &dropped, 3);
    yield_now().await; // let the three tasks start sleeping
    drop(set);
    // The drop asked each task to stop, and returned. Nothing has stopped yet.
    assert_eq!(dropped.load(Ordering::Relaxed), 0);
    println!("right after drop(set): 0 of 3 futures dropped");
    // The runtime drops each future when it next gets to that task.
    while dropped.load(Ordering::Relaxed) < 3 {
        yield_now().await;
    }
    println!("after the body yielded: 3 of 3");
    // ANCHOR_END: drop

    // ANCHOR: shutdown
    let dropped = Arc::new(AtomicUsize::new(0));
    let mut set = JoinSet::new();
    spawn_sleepers(&mut set, &dropped, 3);
    yield_now().await;
    set.shutdown().await; // abort every task, and wait until each has stopped
    assert_eq!(dropped.load(Ordering::Relaxed), 3);
    println!("right after shutdown().await: 3 of 3 futures dropped");
    // ANCHOR_END: shutdown
}

fn main() {
    // One thread, so nothing runs behind the body's back: what it sees between two
    // `.await`s is exact.
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(join_set_drop_and_shutdown());

    // ANCHOR: runtime_drop
    let dropped = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicBool::new(false));
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let counter = DropCounter(Arc::clone(&dropped));
        let finished = Arc::clone(&finished);
        // Detached: nobody keeps the handle, nobody waits for the task.
        tokio::spawn(async move {
            let _counter = counter;
            sleep(Duration::from_secs(3600)).await;
            finished.store(true, Ordering::Relaxed);
        });
    }); // the body returns at once
    drop(runtime); // what returning from a `#[tokio::main]` function does
    assert_eq!(dropped.load(Ordering::Relaxed), 1);
    assert!(!finished.load(Ordering::Relaxed));
    println!("dropping the runtime dropped the detached task, unfinished");
    // ANCHOR_END: runtime_drop
}
