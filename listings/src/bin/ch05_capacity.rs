//! Chapter 5, listing 1: a bounded channel holds exactly `capacity` messages, and a rendezvous
//! channel holds none. `try_send` shows it without blocking anybody.
use std::sync::mpsc::{self, TrySendError};

fn main() {
    // ANCHOR: capacity
    let (tx, rx) = mpsc::sync_channel(3);
    for i in 1..=3 {
        tx.try_send(i).expect("there is room for three");
    }
    // Full: `send` would block here; `try_send` hands the message back instead.
    assert_eq!(tx.try_send(4), Err(TrySendError::Full(4)));
    println!("capacity 3: three messages fit, the fourth does not");

    assert_eq!(rx.recv(), Ok(1)); // taking one out makes room for one
    tx.try_send(4).expect("a slot was freed");
    assert_eq!(rx.try_iter().collect::<Vec<_>>(), [2, 3, 4]);
    println!("one recv made room for one more");
    // ANCHOR_END: capacity

    // ANCHOR: rendezvous
    let (tx, rx) = mpsc::sync_channel(0);
    // No room at all: a message can only pass to a receiver that is waiting for it right now.
    assert_eq!(tx.try_send("hello"), Err(TrySendError::Full("hello")));
    drop(rx);
    assert_eq!(
        tx.try_send("hello"),
        Err(TrySendError::Disconnected("hello"))
    );
    println!("capacity 0: nothing fits without a waiting receiver");
    // ANCHOR_END: rendezvous
}
