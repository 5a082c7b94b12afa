//! Chapter 16, listing 7: crossing between plain threads and tasks, in both directions.
use rayon::prelude::*;
use tokio::sync::{mpsc, oneshot};

// ANCHOR: rayon
/// CPU-heavy work does not belong on the runtime's threads. Hand it to rayon, and wait for the
/// answer on a `oneshot` channel: its `send` is not async, so a rayon job can call it.
async fn sum_of_squares_on_rayon(n: u64) -> u64 {
    let (tx, rx) = oneshot::channel();
    rayon::spawn(move || {
        let sum = (1..=n).into_par_iter().map(|i| i * i).sum();
        let _ = tx.send(sum); // the task may have stopped waiting; that is fine
    });
    // While rayon computes, this task waits without holding a runtime thread.
    // The job always sends: a panic inside a `rayon::spawn` job would abort the whole process
    // before the sender could be dropped unsent (chapter 15's bridge catches it and sends it back).
    rx.await.expect("the job sent its answer")
}
// ANCHOR_END: rayon

// ANCHOR: feed
/// A blocking thread feeds a task. `blocking_send` waits like `send(..).await`, but by
/// blocking its thread, which is fine on a thread that is not one of the runtime's.
async fn blocking_thread_feeds_a_task() -> u32 {
    let (tx, mut rx) = mpsc::channel(4);
    let feeder = tokio::task::spawn_blocking(move || {
        for i in 1..=100 {
            tx.blocking_send(i).expect("the task stopped receiving");
        }
    });
    let mut total = 0;
    while let Some(i) = rx.recv().await {
        total += i;
    }
    feeder.await.unwrap();
    total
}
// ANCHOR_END: feed

// ANCHOR: mistake
/// Wrong: `blocking_recv` on a runtime thread. Tokio refuses with a panic rather than block
/// a thread that other tasks need, even though a message is ready.
async fn blocking_recv_inside_a_task() -> bool {
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    tx.send(1).await.unwrap();
    let task = tokio::spawn(async move { rx.blocking_recv() });
    task.await.unwrap_err().is_panic()
}
// ANCHOR_END: mistake

#[tokio::main]
async fn main() {
    let sum = sum_of_squares_on_rayon(100).await;
    assert_eq!(sum, 338_350);
    println!("rayon computed {sum} for the task");

    let total = blocking_thread_feeds_a_task().await;
    assert_eq!(total, 5050);
    println!("a blocking thread sent 1..=100 to a task, which added them up: {total}");

    assert!(blocking_recv_inside_a_task().await);
    println!("blocking_recv inside a task panicked instead of blocking");
}
