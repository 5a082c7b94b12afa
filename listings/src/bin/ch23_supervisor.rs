//! Chapter 23, listing 6: a supervisor restarts an actor whose handler panicked, on the same
//! mailbox, so that its clients' handles keep working.
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

enum Command {
    Deposit { amount: u64 },
    Balance { reply: Sender<u64> },
}

// ANCHOR: serve
/// The actor's loop, on a mailbox it borrows. A deposit that would overflow the balance
/// panics: a bug in a handler, standing in for any bug.
fn serve(mailbox: &Receiver<Command>, mut balance: u64) {
    for command in mailbox {
        match command {
            Command::Deposit { amount } => {
                balance = balance.checked_add(amount).expect("balance overflow");
            }
            Command::Balance { reply } => {
                let _ = reply.send(balance);
            }
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: supervise
/// Runs the actor, and runs it again from `initial` each time a handler panics. Returns the
/// number of restarts once every handle is gone.
fn supervise(mailbox: Receiver<Command>, initial: u64) -> usize {
    let mut restarts = 0;
    // The mailbox lives here, outside the code that can panic, so it survives a crash.
    while panic::catch_unwind(AssertUnwindSafe(|| serve(&mailbox, initial))).is_err() {
        restarts += 1;
    }
    restarts
}
// ANCHOR_END: supervise

fn main() {
    // ANCHOR: main
    let (mailbox, inbox) = mpsc::channel();
    let supervisor = thread::spawn(move || supervise(inbox, 0));

    mailbox.send(Command::Deposit { amount: 10 }).unwrap();
    mailbox.send(Command::Deposit { amount: u64::MAX }).unwrap(); // the handler panics

    // The same handle still works: the restarted actor reads the same mailbox.
    mailbox.send(Command::Deposit { amount: 5 }).unwrap();
    let (reply, answer) = mpsc::channel();
    mailbox.send(Command::Balance { reply }).unwrap();
    let balance = answer.recv().expect("the actor was restarted");
    // The 10 died with the crashed actor's state: it restarted from `initial`.
    assert_eq!(balance, 5);
    println!("balance after the restart: {balance}");

    drop(mailbox);
    let restarts = supervisor.join().unwrap();
    assert_eq!(restarts, 1);
    println!("restarts: {restarts}");
    // ANCHOR_END: main
}
