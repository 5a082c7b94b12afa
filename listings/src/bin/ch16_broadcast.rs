//! Chapter 16, listing 4: broadcast delivers every message to every receiver, unless a
//! receiver falls more than the capacity behind; with no receiver at all, `send` fails.
use tokio::sync::broadcast::{self, error::RecvError};

#[tokio::main]
async fn main() {
    // ANCHOR: broadcast
    let (tx, mut fast) = broadcast::channel::<u32>(4);
    let mut slow = tx.subscribe();

    for i in 0..10 {
        tx.send(i).unwrap();
        // `fast` keeps up: it reads each message right after it is sent.
        assert_eq!(fast.recv().await, Ok(i));
    }
    println!("fast receiver: got all 10");

    // `slow` read nothing while 10 messages went by a channel that keeps 4.
    let mut got = Vec::new();
    while got.len() < 4 {
        match slow.recv().await {
            Ok(i) => got.push(i),
            Err(RecvError::Lagged(missed)) => println!("slow receiver: lagged, missed {missed}"),
            Err(RecvError::Closed) => unreachable!("the sender is still alive"),
        }
    }
    assert_eq!(got, [6, 7, 8, 9]);
    println!("slow receiver: then got {got:?}");

    drop(tx);
    assert_eq!(slow.recv().await, Err(RecvError::Closed));
    println!("after the sender is dropped: Closed");
    // ANCHOR_END: broadcast

    // ANCHOR: nobody
    let (tx, rx) = broadcast::channel::<&str>(4);
    drop(rx);
    // Nobody is subscribed: the message would reach no one, and `send` says so.
    let result = tx.send("news");
    assert!(result.is_err());
    println!("no receivers: send returned {result:?}");

    let mut late = tx.subscribe();
    tx.send("more news").unwrap();
    // A receiver sees only what is sent after it subscribed.
    assert_eq!(late.recv().await, Ok("more news"));
    println!("a later subscriber got only what came after it");
    // ANCHOR_END: nobody
}
