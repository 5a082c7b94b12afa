//! Chapter 18 exercise, solved: collect messages into batches, by size or by time.
use std::time::Duration;
use tokio::select;
use tokio::sync::mpsc;
use tokio::time::sleep;

// ANCHOR: solution
/// Waits for a first message (`None` if the channel is closed and empty), then collects more
/// until the batch holds `max` messages or `window` has passed since the first one arrived.
pub async fn recv_batch<T>(
    rx: &mut mpsc::Receiver<T>,
    max: usize,
    window: Duration,
) -> Option<Vec<T>> {
    let mut batch = vec![rx.recv().await?];
    // One deadline for the whole batch: created once, pinned, and polled by reference, so
    // each turn of the loop does not restart it.
    let deadline = sleep(window);
    tokio::pin!(deadline);
    while batch.len() < max {
        select! {
            _ = &mut deadline => break,
            // `recv` is cancel safe: when the deadline wins, no message is lost.
            message = rx.recv() => match message {
                Some(message) => batch.push(message),
                None => break,
            },
        }
    }
    Some(batch)
}
// ANCHOR_END: solution

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
