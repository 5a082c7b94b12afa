//! Chapter 16, listing 1: several producers, one consumer, a bounded tokio channel.
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::sleep;

// ANCHOR: producer
async fn producer(tx: mpsc::Sender<String>, id: u32) {
    for i in 1..=5 {
        // `send` waits while the channel is full: the consumer sets the pace.
        if tx
            .send(format!("producer {id}: message {i}"))
            .await
            .is_err()
        {
            println!("producer {id}: the receiver is gone, stopping");
            return;
        }
        sleep(Duration::from_millis(1)).await;
    }
}
// ANCHOR_END: producer

// ANCHOR: main
#[tokio::main]
async fn main() {
    let (tx, mut rx) = mpsc::channel(4);
    for id in 1..=3 {
        tokio::spawn(producer(tx.clone(), id));
    }
    // Drop our own sender: the channel closes when the last producer's clone is dropped.
    drop(tx);

    let mut received = BTreeMap::new();
    while let Some(message) = rx.recv().await {
        println!("received {message}");
        *received.entry(message).or_insert(0) += 1;
    }
    // `recv` returned None: every sender is gone and the buffer is empty.
    assert_eq!(received.len(), 15);
    assert!(
        received.values().all(|&n| n == 1),
        "a message arrived twice"
    );
    println!("all 15 messages arrived exactly once");
}
// ANCHOR_END: main
