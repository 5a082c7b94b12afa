//! Chapter 5 exercise, solved: shed load with `try_send` instead of blocking.
use std::sync::mpsc::{self, TrySendError};
use std::thread;
use std::time::Duration;

// ANCHOR: solution
/// Offers `0..n` to a slow consumer through a channel of `capacity`. An item that finds the
/// channel full is dropped instead of waited for. Returns what the consumer got, and how many
/// items were dropped.
fn offer_all(n: u32, capacity: usize) -> (Vec<u32>, u32) {
    let (tx, rx) = mpsc::sync_channel(capacity);
    let consumer = thread::spawn(move || {
        let mut got = Vec::new();
        for item in rx {
            got.push(item);
            thread::sleep(Duration::from_micros(50)); // slower than the producer
        }
        got
    });

    let mut dropped = 0;
    for item in 0..n {
        match tx.try_send(item) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => dropped += 1, // shed it, never wait
            Err(TrySendError::Disconnected(_)) => panic!("the consumer is gone"),
        }
    }
    drop(tx);
    let delivered = consumer.join().expect("the consumer panicked");
    (delivered, dropped)
}
// ANCHOR_END: solution

fn main() {
    for capacity in [0, 1, 8] {
        let (delivered, dropped) = offer_all(1000, capacity);
        // Every item is either delivered or counted as dropped, never both, never neither.
        assert_eq!(delivered.len() as u32 + dropped, 1000);
        // What gets through keeps its order.
        assert!(delivered.windows(2).all(|w| w[0] < w[1]));
    }
    // With room for everything, nothing can be dropped, however slow the consumer is.
    let (delivered, dropped) = offer_all(100, 100);
    assert_eq!((delivered, dropped), ((0..100).collect(), 0));
    println!("every item was delivered or counted as dropped");
}
