//! Chapter 23, listing 2: an actor that unwraps its reply dies when a caller walks away.
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

enum Command {
    Deposit { amount: u64 },
    Balance { reply: Sender<u64> },
}

// ANCHOR: fragile
fn run(mailbox: Receiver<Command>) -> u64 {
    let mut balance = 0;
    while let Ok(command) = mailbox.recv() {
        match command {
            Command::Deposit { amount } => balance += amount,
            // Panics if the caller has dropped its receiver.
            Command::Balance { reply } => reply.send(balance).unwrap(),
        }
    }
    balance
}
// ANCHOR_END: fragile

fn main() {
    // ANCHOR: main
    let (mailbox, inbox) = mpsc::channel();
    let actor = thread::spawn(move || run(inbox));

    mailbox.send(Command::Deposit { amount: 10 }).unwrap();

    // A caller that gives up before the answer comes (a timeout, a cancelled request):
    // here it drops its receiver before even sending, so the outcome is certain.
    let (reply, answer) = mpsc::channel();
    drop(answer);
    mailbox.send(Command::Balance { reply }).unwrap();

    // The actor panicked on `unwrap`, and its state died with it.
    let outcome = actor.join();
    println!("actor thread panicked: {}", outcome.is_err());
    assert!(outcome.is_err());

    // Every other client now finds the mailbox closed.
    let refused = mailbox.send(Command::Deposit { amount: 5 }).is_err();
    println!("later deposit refused: {refused}");
    assert!(refused);
    // ANCHOR_END: main
}
