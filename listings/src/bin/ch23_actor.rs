//! Chapter 23, listing 1: an actor owns its state; everyone else sends it commands.
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, JoinHandle};

// ANCHOR: command
/// What a client can ask the account actor to do. A command that needs an answer carries
/// the sending half of a reply channel; the actor answers on it once.
enum Command {
    Deposit { amount: u64 },
    Balance { reply: Sender<u64> },
}
// ANCHOR_END: command

// ANCHOR: actor
/// The actor: the state, and the mailbox it is the only reader of.
struct Account {
    balance: u64,
    mailbox: Receiver<Command>,
}

impl Account {
    /// Handles commands one at a time until every handle is gone, then returns the state.
    fn run(mut self) -> u64 {
        // `recv` fails once every Sender (every handle) has been dropped: that is our stop.
        while let Ok(command) = self.mailbox.recv() {
            match command {
                Command::Deposit { amount } => self.balance += amount,
                Command::Balance { reply } => {
                    // The caller may have given up and dropped its receiver. That is its
                    // business, not a reason for the actor to die: ignore the error.
                    let _ = reply.send(self.balance);
                }
            }
        }
        self.balance
    }
}
// ANCHOR_END: actor

// ANCHOR: handle
/// The only way to reach the actor. Cloning a handle clones the mailbox's Sender.
#[derive(Clone)]
struct AccountHandle {
    mailbox: Sender<Command>,
}

impl AccountHandle {
    /// Starts the actor on its own thread. Joining the thread returns the final balance.
    fn spawn(balance: u64) -> (AccountHandle, JoinHandle<u64>) {
        let (mailbox, inbox) = mpsc::channel();
        let actor = Account {
            balance,
            mailbox: inbox,
        };
        let thread = thread::spawn(move || actor.run());
        (AccountHandle { mailbox }, thread)
    }

    fn deposit(&self, amount: u64) {
        // While a handle exists the mailbox is open, so the actor only stops early by
        // panicking. That is a bug; pass it on.
        self.mailbox
            .send(Command::Deposit { amount })
            .expect("the account actor panicked");
    }

    fn balance(&self) -> u64 {
        let (reply, answer) = mpsc::channel();
        self.mailbox
            .send(Command::Balance { reply })
            .expect("the account actor panicked");
        answer.recv().expect("the account actor panicked")
    }
}
// ANCHOR_END: handle

fn main() {
    // ANCHOR: main
    let (account, actor) = AccountHandle::spawn(0);

    let clients: Vec<_> = (0..4)
        .map(|_| {
            let account = account.clone();
            thread::spawn(move || {
                for _ in 0..1_000 {
                    account.deposit(1);
                }
                account.balance() // somewhere between 1_000 and 4_000
            })
        })
        .collect();
    for client in clients {
        let seen = client.join().unwrap();
        assert!((1_000..=4_000).contains(&seen));
    }

    println!("balance seen by main: {}", account.balance());
    drop(account); // the last handle: the mailbox closes and the actor returns
    let final_balance = actor.join().unwrap();
    println!("final balance: {final_balance}");
    assert_eq!(final_balance, 4_000);
    // ANCHOR_END: main
}
