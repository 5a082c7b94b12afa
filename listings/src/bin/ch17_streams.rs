//! Chapter 17, listing 5: streams. `futures::StreamExt` for the combinators,
//! `tokio_stream` for wrappers around tokio's types and for time-aware batching.
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

// ANCHOR: basics
async fn basics() -> Vec<usize> {
    use futures::stream::{self, StreamExt};

    stream::iter(["one", "three", "four", "eleven"])
        .filter(|word| std::future::ready(word.len() > 3)) // keep the long words
        .then(|word| async move {
            tokio::task::yield_now().await; // an async step for each item
            word.len()
        })
        .collect()
        .await
}
// ANCHOR_END: basics

// ANCHOR: batches
/// Items from a channel, in batches of up to `max`: a batch goes out when it is full, or
/// when `wait` has passed since its first item, whichever comes first.
pub async fn batches(max: usize, wait: Duration) -> Vec<(Vec<u32>, Duration)> {
    use tokio_stream::StreamExt;
    use tokio_stream::wrappers::ReceiverStream;

    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        for i in 0..7 {
            tx.send(i).await.unwrap(); // seven items at once...
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        for i in 7..9 {
            tx.send(i).await.unwrap(); // ...and two more, 100 ms later
        }
    });
    let start = Instant::now();
    let batched = ReceiverStream::new(rx).chunks_timeout(max, wait);
    tokio::pin!(batched); // chunks_timeout holds a timer, so it must be pinned to be polled
    let mut out = Vec::new();
    while let Some(batch) = batched.next().await {
        out.push((batch, start.elapsed()));
    }
    out
}
// ANCHOR_END: batches

// The paused clock (chapter 15): time jumps ahead whenever every task waits, so the times
// below are exact.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    let lengths = basics().await;
    println!("lengths of the long words: {lengths:?}");
    assert_eq!(lengths, [5, 4, 6]);

    for (batch, at) in batches(3, Duration::from_millis(50)).await {
        println!("batch {batch:?} after {} ms", at.as_millis());
    }
    // ANCHOR_END: main
}
