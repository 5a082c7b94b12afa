//! Chapter 15, listing 3: what a task's handle gives back when the task panics or is aborted,
//! what `abort` cannot stop, and what dropping a handle does.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::time::sleep;

#[tokio::main]
async fn main() {
    // ANCHOR: panic
    let bad = tokio::spawn(async {
        let readings: Vec<u32> = Vec::new();
        readings[0] // panics inside the task
    });
    let err = bad.await.unwrap_err();
    assert!(err.is_panic());
    let payload = err.into_panic();
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("(not a string)");
    println!("the task panicked: {message}");
    // ANCHOR_END: panic

    // ANCHOR: abort
    let (tx, rx) = oneshot::channel::<()>();
    let slow = tokio::spawn(async move {
        let _tx = tx; // dropped when this future is dropped
        sleep(Duration::from_secs(3600)).await;
    });
    slow.abort();
    let err = slow.await.unwrap_err();
    assert!(err.is_cancelled());
    // Aborting drops the task's future, and with it everything the future owned.
    assert!(rx.await.is_err(), "the sender was dropped, not used");
    println!("the slow task was cancelled");
    // ANCHOR_END: abort

    // ANCHOR: abort_late
    // Too late: the task has already finished, and its result stands.
    let quick = tokio::spawn(async { 7 });
    while !quick.is_finished() {
        tokio::task::yield_now().await;
    }
    quick.abort();
    assert_eq!(quick.await.unwrap(), 7);
    println!("aborting a finished task: Ok(7)");

    // Too busy: a task that never reaches an `.await` cannot be stopped midway.
    let stop = Arc::new(AtomicBool::new(false));
    let (started_tx, started_rx) = oneshot::channel();
    let busy = tokio::spawn({
        let stop = Arc::clone(&stop);
        async move {
            started_tx.send(()).unwrap();
            while !stop.load(Ordering::Relaxed) {
                std::hint::spin_loop(); // computing, with no `.await`
            }
            "busy task finished"
        }
    });
    started_rx.await.unwrap(); // it is running now, on a worker thread
    busy.abort();
    stop.store(true, Ordering::Relaxed);
    assert_eq!(busy.await.unwrap(), "busy task finished");
    println!("aborting a running task that never yields: Ok");

    // Not a future at all: `abort` has no effect on a `spawn_blocking` closure that started.
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (started_tx, started_rx) = oneshot::channel();
    let blocking = tokio::task::spawn_blocking(move || {
        started_tx.send(()).unwrap();
        release_rx.recv().unwrap(); // blocks this thread until released
        "blocking closure finished"
    });
    started_rx.await.unwrap();
    blocking.abort();
    release_tx.send(()).unwrap();
    assert_eq!(blocking.await.unwrap(), "blocking closure finished");
    println!("aborting a spawn_blocking closure: Ok");
    // ANCHOR_END: abort_late

    // ANCHOR: detach
    // Dropping a JoinHandle detaches the task: it keeps running.
    let (tx, rx) = oneshot::channel();
    drop(tokio::spawn(async move {
        sleep(Duration::from_millis(1)).await;
        tx.send("the detached task finished anyway").unwrap();
    }));
    println!("{}", rx.await.unwrap());
    // ANCHOR_END: detach
}
