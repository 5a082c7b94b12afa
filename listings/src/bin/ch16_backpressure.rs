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
/// A producer sends the messages 0 to 9 as fast as it can into a channel of `capacity`; the
/// consumer takes `per_message` over each. Returns when each message went in, counted from
/// the start.
pub async fn pace(capacity: usize, per_message: Duration) -> Vec<Duration> {
    let start = Instant::now();
    let (tx, mut rx) = mpsc::channel(capacity);
    let producer = tokio::spawn(async move {
        let mut sent_at = Vec::new();
        for i in 0..10 {
            tx.send(i).await.unwrap(); // waits while the channel is full
            sent_at.push(start.elapsed());
        }
        sent_at
    });

    let mut expected = 0;
    while let Some(value) = rx.recv().await {
        assert_eq!(
            value, expected,
            "messages arrive in the order they were sent"
        );
        expected += 1;
        sleep(per_message).await; // the slow part
    }
    assert_eq!(expected, 10, "every message arrived");
    producer.await.unwrap()
}
// ANCHOR_END: pace

#[tokio::main]
async fn main() {
    try_send_on_a_full_channel().await;
    // ANCHOR: main
    let sent_at = pace(2, Duration::from_millis(1)).await;
    // Message 9 found room only once the consumer had taken message 7, which it did after
    // seven of its 1 ms steps (a sleep never ends early).
    assert!(sent_at[9] >= Duration::from_millis(7), "{sent_at:?}");
    println!("all 10 received; the last send waited for 7 of the consumer's steps");
    // ANCHOR_END: main
}
