//! Chapter 2, listing 3: once the receiver is gone, `send` fails and hands the message back.
use std::sync::mpsc::{self, SendError};
use std::thread;

fn main() {
    // ANCHOR: send_error
    let (tx, rx) = mpsc::channel::<String>();

    // This consumer wants two messages only. When its closure returns, `rx` is dropped.
    let consumer = thread::spawn(move || rx.iter().take(2).collect::<Vec<_>>());

    tx.send("first".to_string()).unwrap();
    tx.send("second".to_string()).unwrap();
    let taken = consumer.join().unwrap(); // after this, the receiver certainly is gone
    println!("the consumer took {taken:?} and left");

    match tx.send("third".to_string()) {
        Ok(()) => unreachable!("nobody can receive this"),
        // The error owns the message that could not be delivered.
        Err(SendError(message)) => println!("send failed and handed back {message:?}"),
    }
    // ANCHOR_END: send_error
    assert_eq!(taken, ["first", "second"]);
}
