//! Chapter 15, listing 3: what a task's handle gives back when the task panics or is aborted,
//! and what dropping a handle (or a `JoinSet`) does.
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
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

    // ANCHOR: drop
    // Dropping a JoinHandle detaches the task: it keeps running.
    let (tx, rx) = oneshot::channel();
    drop(tokio::spawn(async move {
        sleep(Duration::from_millis(1)).await;
        tx.send("the detached task finished anyway").unwrap();
    }));
    println!("{}", rx.await.unwrap());

    // Dropping a JoinSet aborts every task still in it.
    let (tx, rx) = oneshot::channel::<()>();
    let mut set = JoinSet::new();
    set.spawn(async move {
        let _tx = tx;
        sleep(Duration::from_secs(3600)).await;
    });
    drop(set);
    assert!(rx.await.is_err());
    println!("dropping the JoinSet cancelled its task");
    // ANCHOR_END: drop
}
