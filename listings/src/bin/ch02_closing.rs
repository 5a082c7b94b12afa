//! Chapter 2, listing 2: what `recv` and `try_recv` return while the channel is open,
//! and after every `Sender` is gone.
use std::sync::mpsc::{self, RecvError, RecvTimeoutError, TryRecvError};
use std::time::Duration;

fn main() {
    // ANCHOR: closing
    let (tx, rx) = mpsc::channel();

    // Open and empty: `try_recv` does not wait, it reports that nothing is there yet.
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    // `recv_timeout` waits, but only so long.
    let waited = rx.recv_timeout(Duration::from_millis(5));
    assert_eq!(waited, Err(RecvTimeoutError::Timeout));
    println!("open and empty: try_recv says Empty, recv_timeout says Timeout");

    tx.send("first").unwrap();
    tx.send("second").unwrap();
    drop(tx); // the only sender: the channel is now closed

    // Closing does not throw away what is already in the channel.
    assert_eq!(rx.recv(), Ok("first"));
    assert_eq!(rx.recv(), Ok("second"));
    println!("closed, yet both messages were delivered");

    // Closed and empty: `recv` returns an error at once instead of blocking forever.
    assert_eq!(rx.recv(), Err(RecvError));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    println!("closed and empty: recv says RecvError, try_recv says Disconnected");
    // ANCHOR_END: closing
}
