//! Chapter 16, listing 2: a bounded channel makes a fast producer wait for a slow consumer.
use std::time::Duration;
use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::time::{Instant, sleep};

// ANCHOR: full
async fn try_send_on_a_full_channel() {
    let (tx, _rx) = mpsc::channel::<u32>(2);
    tx.send(1).await.unwrap();
    tx.send(2).await.unwrap();
    assert_eq!(tx.capacity(), 0);
    match tx.try_send(3) {
        Err(TrySendError::Full(value)) => println!("channel full: try_send gave {value} back"),
        other => panic!("expected Full, got {other:?}"),
    }
}
// ANCHOR_END: full

// ANCHOR: pace
/// What `pace` observed.
#[derive(Debug)]
pub struct Report {
    /// How long after the start the producer had sent its last message.
    pub producer_done: Duration,
    /// The most messages ever seen waiting in the channel.
    pub max_queued: usize,
    pub received: Vec<u32>,
}

/// A producer sends 10 messages as fast as it can into a channel of `capacity`; the consumer
/// takes `per_message` to handle each.
pub async fn pace(capacity: usize, per_message: Duration) -> Report {
    let start = Instant::now();
    let (tx, mut rx) = mpsc::channel(capacity);
    let producer = tokio::spawn(async move {
        for i in 0..10 {
            tx.send(i).await.unwrap();
        }
        start.elapsed()
    });

    let mut received = Vec::new();
    let mut max_queued = 0;
    while let Some(value) = rx.recv().await {
        max_queued = max_queued.max(rx.len());
        received.push(value);
        sleep(per_message).await;
    }
    let producer_done = producer.await.unwrap();
    Report {
        producer_done,
        max_queued,
        received,
    }
}
// ANCHOR_END: pace

#[tokio::main]
async fn main() {
    try_send_on_a_full_channel().await;
    // ANCHOR: main
    let report = pace(2, Duration::from_millis(1)).await;
    assert_eq!(report.received, (0..10).collect::<Vec<_>>());
    assert!(report.max_queued <= 2, "{report:?}");
    println!("all 10 received; never more than 2 queued");
    // ANCHOR_END: main
}
