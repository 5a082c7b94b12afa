//! Chapter 23, listing 5: two actors whose bounded mailboxes form a cycle can deadlock, with
//! no lock anywhere in the program.
use crossbeam::channel::{self, Receiver, SendTimeoutError, Sender};
use std::thread;
use std::time::Duration;

/// The listing's watchdog: far longer than a send waits when the peer is making progress.
const WATCHDOG: Duration = Duration::from_secs(1);

// ANCHOR: actor
enum Message {
    /// Something happened that the peer must hear about, three times over.
    Event,
    Notification,
}
const NOTIFICATIONS: usize = 3;

#[derive(Debug, PartialEq)]
enum Outcome {
    Finished,
    StuckSending,
    PeerGone,
}

/// An actor that handles one event, which makes it notify its peer, and the peer's
/// notifications in return.
fn actor(mailbox: Receiver<Message>, peer: Sender<Message>) -> Outcome {
    let (mut events, mut notifications) = (0, 0);
    while events < 1 || notifications < NOTIFICATIONS {
        match mailbox.recv() {
            Ok(Message::Event) => {
                events += 1;
                for _ in 0..NOTIFICATIONS {
                    // `send` would wait for room in the peer's mailbox for ever; the time-out
                    // is the listing's watchdog, which turns a deadlock into an answer.
                    match peer.send_timeout(Message::Notification, WATCHDOG) {
                        Ok(()) => {}
                        Err(SendTimeoutError::Timeout(_)) => return Outcome::StuckSending,
                        Err(SendTimeoutError::Disconnected(_)) => return Outcome::PeerGone,
                    }
                }
            }
            Ok(Message::Notification) => notifications += 1,
            Err(_) => return Outcome::PeerGone,
        }
    }
    Outcome::Finished
}
// ANCHOR_END: actor

// ANCHOR: pair
/// Starts actors A and B, each with one event waiting in its mailbox. A's mailbox holds
/// `to_a` messages (`None`: unbounded), B's holds one.
fn pair(to_a: Option<usize>) -> [Outcome; 2] {
    let (a_tx, a_rx) = match to_a {
        Some(capacity) => channel::bounded(capacity),
        None => channel::unbounded(),
    };
    let (b_tx, b_rx) = channel::bounded(1);
    a_tx.send(Message::Event).unwrap();
    b_tx.send(Message::Event).unwrap();
    let a = thread::spawn(move || actor(a_rx, b_tx));
    let b = thread::spawn(move || actor(b_rx, a_tx));
    [a.join().unwrap(), b.join().unwrap()]
}
// ANCHOR_END: pair

fn main() {
    // ANCHOR: main
    // Both mailboxes hold one message. Each actor takes its event and must send three
    // notifications before it reads its mailbox again: each waits for the other to read.
    let outcomes = pair(Some(1));
    assert!(outcomes.contains(&Outcome::StuckSending), "{outcomes:?}");
    assert!(!outcomes.contains(&Outcome::Finished), "{outcomes:?}");
    println!("bounded both ways: deadlock, an actor stuck sending to its peer");

    // Break the cycle: B's sends to A never wait, so B always gets back to reading.
    let outcomes = pair(None);
    assert_eq!(outcomes, [Outcome::Finished, Outcome::Finished]);
    println!("unbounded from B to A: both actors finished");
    // ANCHOR_END: main
}
