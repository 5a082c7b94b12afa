//! Chapter 23, listing 4: an actor serialises messages, not the conversations made of them.
use std::sync::Barrier;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

#[derive(Debug, PartialEq)]
struct Insufficient {
    balance: i64,
}

// ANCHOR: commands
enum Command {
    Balance {
        reply: Sender<i64>,
    },
    /// Takes the money, trusting the caller to have checked the balance first.
    Withdraw {
        amount: i64,
    },
    /// Checks and takes in one step: the check and the act are one message.
    WithdrawIfCovered {
        amount: i64,
        reply: Sender<Result<i64, Insufficient>>,
    },
}
// ANCHOR_END: commands

// ANCHOR: compound
/// The actor's handler for `WithdrawIfCovered`: no other command can run between the check
/// and the withdrawal, because the actor runs one command at a time.
fn withdraw_if_covered(balance: &mut i64, amount: i64) -> Result<i64, Insufficient> {
    if *balance >= amount {
        *balance -= amount;
        Ok(*balance)
    } else {
        Err(Insufficient { balance: *balance })
    }
}
// ANCHOR_END: compound

fn run(mailbox: Receiver<Command>, mut balance: i64) -> i64 {
    while let Ok(command) = mailbox.recv() {
        match command {
            Command::Balance { reply } => {
                let _ = reply.send(balance);
            }
            Command::Withdraw { amount } => balance -= amount,
            Command::WithdrawIfCovered { amount, reply } => {
                let _ = reply.send(withdraw_if_covered(&mut balance, amount));
            }
        }
    }
    balance
}

#[derive(Clone)]
struct AccountHandle {
    mailbox: Sender<Command>,
}

impl AccountHandle {
    fn spawn(balance: i64) -> (AccountHandle, thread::JoinHandle<i64>) {
        let (mailbox, inbox) = mpsc::channel();
        let actor = thread::spawn(move || run(inbox, balance));
        (AccountHandle { mailbox }, actor)
    }

    fn send(&self, command: Command) {
        self.mailbox
            .send(command)
            .expect("the account actor panicked");
    }

    fn balance(&self) -> i64 {
        let (reply, answer) = mpsc::channel();
        self.send(Command::Balance { reply });
        answer.recv().expect("the account actor panicked")
    }

    fn withdraw(&self, amount: i64) {
        self.send(Command::Withdraw { amount });
    }

    fn withdraw_if_covered(&self, amount: i64) -> Result<i64, Insufficient> {
        let (reply, answer) = mpsc::channel();
        self.send(Command::WithdrawIfCovered { amount, reply });
        answer.recv().expect("the account actor panicked")
    }
}

// ANCHOR: racy
/// Two messages: read the balance, then withdraw if it was enough.
fn check_then_withdraw(account: &AccountHandle, amount: i64, both_checked: &Barrier) -> bool {
    // Message 1: read the balance.
    let balance = account.balance();
    // The barrier forces the unlucky interleaving that a busy machine produces now and
    // then: both clients have read the balance before either withdraws.
    both_checked.wait();
    if balance >= amount {
        // Message 2, based on a balance that may be stale by now.
        account.withdraw(amount);
        true
    } else {
        false
    }
}
// ANCHOR_END: racy

/// Runs two clients that each want 80 from an account holding 100.
fn two_clients(withdraw: impl Fn(&AccountHandle, &Barrier) -> bool + Sync) -> (usize, i64) {
    let (account, actor) = AccountHandle::spawn(100);
    let both_checked = Barrier::new(2);
    let successes = thread::scope(|s| {
        let clients: Vec<_> = (0..2)
            .map(|_| s.spawn(|| withdraw(&account, &both_checked)))
            .collect();
        let results = clients.into_iter().map(|c| c.join().unwrap());
        results.filter(|&ok| ok).count()
    });
    drop(account);
    (successes, actor.join().unwrap())
}

fn main() {
    // ANCHOR: main
    let (successes, balance) =
        two_clients(|account, barrier| check_then_withdraw(account, 80, barrier));
    println!("check, then withdraw: {successes} withdrawals, final balance {balance}");
    assert_eq!(
        (successes, balance),
        (2, -60),
        "both clients saw 100 and took 80"
    );

    let (successes, balance) = two_clients(|account, barrier| {
        barrier.wait(); // the same start, for a fair comparison
        account.withdraw_if_covered(80).is_ok()
    });
    println!("one compound message: {successes} withdrawal, final balance {balance}");
    assert_eq!((successes, balance), (1, 20));
    // ANCHOR_END: main
}
