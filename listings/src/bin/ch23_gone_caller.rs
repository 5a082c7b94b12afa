//! Chapter 23, listing 3: a caller that drops its reply receiver does not hurt the actor.
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

enum Command {
    Deposit { amount: u64 },
    Balance { reply: Sender<u64> },
}

fn run(mailbox: Receiver<Command>) -> u64 {
    let mut balance = 0;
    let mut unanswered = 0;
    // ANCHOR: reply
    while let Ok(command) = mailbox.recv() {
        match command {
            Command::Deposit { amount } => balance += amount,
            Command::Balance { reply } => {
                if reply.send(balance).is_err() {
                    // Nobody is listening any more. Note it and serve the next command.
                    unanswered += 1;
                }
            }
        }
    }
    // ANCHOR_END: reply
    println!("replies nobody waited for: {unanswered}");
    balance
}

fn main() {
    // ANCHOR: main
    let (mailbox, inbox) = mpsc::channel();
    let actor = thread::spawn(move || run(inbox));

    mailbox.send(Command::Deposit { amount: 10 }).unwrap();

    // Three callers give up before their answer comes.
    for _ in 0..3 {
        let (reply, answer) = mpsc::channel();
        drop(answer);
        mailbox.send(Command::Balance { reply }).unwrap();
    }

    // The actor is still serving.
    mailbox.send(Command::Deposit { amount: 5 }).unwrap();
    let (reply, answer) = mpsc::channel();
    mailbox.send(Command::Balance { reply }).unwrap();
    let balance = answer.recv().expect("the actor is alive");
    println!("balance after the abandoned requests: {balance}");
    assert_eq!(balance, 15);

    drop(mailbox);
    assert_eq!(actor.join().unwrap(), 15);
    // ANCHOR_END: main
}
