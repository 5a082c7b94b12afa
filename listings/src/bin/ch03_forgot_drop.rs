//! Chapter 3, listing 2: a sender left alive in `main` keeps the channel open.
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::thread;
use std::time::Duration;

fn main() {
    // ANCHOR: forgot
    let (tx, rx) = mpsc::channel();
    let producers: Vec<_> = (1..=2)
        .map(|id| {
            let tx = tx.clone();
            thread::spawn(move || tx.send(id).unwrap())
        })
        .collect();
    // Oops: no `drop(tx)` here.
    for producer in producers {
        producer.join().unwrap(); // both producers are done, and their senders dropped
    }

    let mut received: Vec<i32> = rx.try_iter().collect();
    received.sort();
    assert_eq!(received, [1, 2]);
    // Every producer has finished, yet the channel is not closed: `main` still holds `tx`.
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    // `for m in rx` would block here forever. With a time limit we can watch it wait:
    let waited = rx.recv_timeout(Duration::from_millis(20));
    assert_eq!(waited, Err(RecvTimeoutError::Timeout));
    println!("both producers finished, but the channel is still open");

    drop(tx);
    assert_eq!(rx.recv(), Err(mpsc::RecvError));
    println!("after drop(tx) the channel is closed");
    // ANCHOR_END: forgot
}
