//! Chapter 18 exercise: collect messages into batches, by size or by time.
//! Run it with `cargo run -p listings --example ch18_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch18_solution.rs`.
use std::time::Duration;
use tokio::sync::mpsc;

// ANCHOR: exercise
/// Waits for a first message (`None` if the channel is closed and empty), then collects more
/// until the batch holds `max` messages or `window` has passed since the first one arrived.
pub async fn recv_batch<T>(
    rx: &mut mpsc::Receiver<T>,
    max: usize,
    window: Duration,
) -> Option<Vec<T>> {
    // Hint: create the deadline (`tokio::time::sleep`) once, pin it with `tokio::pin!`,
    // and race `&mut deadline` against `rx.recv()` in a `select!` inside a loop.
    todo!(
        "batches of up to {max} from {} queued, {window:?} window",
        rx.len()
    )
}

#[tokio::main]
async fn main() {
    let (tx, mut rx) = mpsc::channel(16);
    for i in 1..=5 {
        tx.send(i).await.unwrap();
    }
    drop(tx);
    let window = Duration::from_millis(5);
    let mut batches = Vec::new();
    while let Some(batch) = recv_batch(&mut rx, 2, window).await {
        batches.push(batch);
    }
    println!("batches: {batches:?}");
    assert_eq!(batches, [vec![1, 2], vec![3, 4], vec![5]]);
}
// ANCHOR_END: exercise
