//! Chapter 23 exercise: a hit-counter actor whose "add" is one message.
//! Run it with `cargo run -p listings --example ch23_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch23_solution.rs`.
// The starter never reads the commands' fields; your `run` will.
#![allow(dead_code)]
use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

// ANCHOR: exercise
enum Command {
    /// Adds `delta` to the counter named `key` (missing counters start at 0) and replies
    /// with the counter's new value.
    Add {
        key: String,
        delta: u64,
        reply: Sender<u64>,
    },
    /// Replies with a copy of every counter.
    Snapshot {
        reply: Sender<BTreeMap<String, u64>>,
    },
}

/// The actor's loop: serve commands until every sender is gone, then return the counters.
/// A caller that dropped its receiver must not stop the actor.
fn run(mailbox: Receiver<Command>) -> BTreeMap<String, u64> {
    todo!("serve the commands arriving on {mailbox:?}")
}
// ANCHOR_END: exercise

fn add(mailbox: &Sender<Command>, key: &str, delta: u64) -> u64 {
    let (reply, answer) = mpsc::channel();
    let key = key.to_owned();
    mailbox.send(Command::Add { key, delta, reply }).unwrap();
    answer.recv().unwrap()
}

fn main() {
    let (mailbox, inbox) = mpsc::channel();
    let actor = thread::spawn(move || run(inbox));

    // Four threads add 1 to "hits" 250 times each and keep every value the actor replied.
    let mut seen: Vec<u64> = thread::scope(|s| {
        let clients: Vec<_> = (0..4)
            .map(|_| {
                let mailbox = mailbox.clone();
                s.spawn(move || {
                    (0..250)
                        .map(|_| add(&mailbox, "hits", 1))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        clients
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect()
    });
    // Each add was one message, so no two callers saw the same new value.
    seen.sort_unstable();
    assert_eq!(seen, (1..=1_000).collect::<Vec<u64>>());

    // A caller that walks away before its answer arrives.
    let (reply, answer) = mpsc::channel();
    drop(answer);
    let key = "misses".to_owned();
    mailbox
        .send(Command::Add {
            key,
            delta: 7,
            reply,
        })
        .unwrap();

    let (reply, answer) = mpsc::channel();
    mailbox.send(Command::Snapshot { reply }).unwrap();
    let counters = answer
        .recv()
        .expect("the actor survived the caller that walked away");
    assert_eq!(counters["hits"], 1_000);
    assert_eq!(counters["misses"], 7);

    drop(mailbox);
    assert_eq!(actor.join().unwrap(), counters);
    println!("hits: 1000, misses: 7, every reply distinct");
}
