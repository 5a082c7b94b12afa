//! Chapter 23, "Actors": the loop of a hit-counter actor whose "add" is one message.
//!
//! Graded by plain tests under a watchdog. Four callers start together at a `Barrier` and add 1
//! to the same counter 250 times each, 20 runs over: the replies must be exactly 1 to 1 000,
//! whatever the interleaving, which holds only if reading, adding and replying are one step of
//! the actor. A caller that leaves before its answer arrives must not stop the actor: the test
//! asks for a snapshot after one, and fails with a message after 5 s instead of hanging.
use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

/// What callers send to the actor.
#[allow(
    dead_code,
    reason = "the starter leaves every read of the fields to the reader"
)]
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

// ANCHOR: exercise
/// The actor's loop: serve commands until every sender is gone, then return the counters.
/// A caller that dropped its receiver must not stop the actor.
fn run(mailbox: Receiver<Command>) -> BTreeMap<String, u64> {
    // ANCHOR: todo("serve the commands arriving on {mailbox:?}")
    // Keep the counters in a `BTreeMap` that only this loop touches.
    // For each command: `Add` adds `delta` to its counter and replies with the new value (one
    // step, so no other caller's `Add` comes in between); `Snapshot` replies with a clone of
    // the map. A reply whose caller has left fails to send: ignore that error. When the
    // mailbox closes, return the counters.
    let mut counters = BTreeMap::new();
    for command in mailbox {
        match command {
            Command::Add { key, delta, reply } => {
                let value = counters.entry(key).or_insert(0);
                *value += delta;
                // Read, add and reply in one step: nobody else's Add can come in between.
                let _ = reply.send(*value);
            }
            Command::Snapshot { reply } => {
                let _ = reply.send(counters.clone());
            }
        }
    }
    counters
    // ANCHOR_END: todo
}
// ANCHOR_END: exercise

/// The caller's side of `Add`: send the command, wait for the new value.
fn add(mailbox: &Sender<Command>, key: &str, delta: u64) -> u64 {
    let (reply, answer) = mpsc::channel();
    let key = key.to_owned();
    mailbox.send(Command::Add { key, delta, reply }).unwrap();
    answer.recv().expect("the actor stopped before it replied")
}

fn main() {
    let (mailbox, inbox) = mpsc::channel();
    let actor = thread::spawn(move || run(inbox));
    let seen: Vec<u64> = thread::scope(|s| {
        let clients: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
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
    assert_eq!(seen.iter().max(), Some(&1_000));
    let (reply, answer) = mpsc::channel();
    mailbox.send(Command::Snapshot { reply }).unwrap();
    let snapshot = answer.recv().unwrap();
    drop(mailbox);
    assert_eq!(actor.join().unwrap(), snapshot);
    println!("hits: {}", snapshot["hits"]);
}

#[cfg(test)]
mod tests {
    use super::{Command, add, run};
    use std::collections::BTreeMap;
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::sync::{Arc, Barrier};
    use std::thread;
    use std::time::Duration;

    const ONE_STEP: &str = "see chapter 23, 'What actors do not prevent': the add and the reply \
                            are one command";
    const GONE: &str = "see chapter 23, 'What can go wrong: a caller that has left'";

    /// Runs `f` on a thread of its own; fails with `hang` if it has not returned within 5 s.
    fn within<T: Send + 'static>(hang: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (done_tx, done_rx) = mpsc::channel();
        let runner = thread::spawn(move || {
            let value = f();
            let _ = done_tx.send(());
            value
        });
        match done_rx.recv_timeout(Duration::from_secs(5)) {
            Err(RecvTimeoutError::Timeout) => panic!("no answer after 5 s: {hang}"),
            _ => runner
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        }
    }

    fn snapshot(mailbox: &mpsc::Sender<Command>) -> BTreeMap<String, u64> {
        let (reply, answer) = mpsc::channel();
        mailbox
            .send(Command::Snapshot { reply })
            .unwrap_or_else(|_| panic!("the actor stopped ({GONE})"));
        answer
            .recv()
            .unwrap_or_else(|_| panic!("the actor stopped without answering a snapshot ({GONE})"))
    }

    #[test]
    fn concurrent_adds_each_get_their_own_new_value() {
        within(ONE_STEP, || {
            for run_no in 0..20 {
                let (mailbox, inbox) = mpsc::channel();
                let actor = thread::spawn(move || run(inbox));
                let start = Arc::new(Barrier::new(4));
                let mut seen: Vec<u64> = thread::scope(|s| {
                    let clients: Vec<_> = (0..4)
                        .map(|_| {
                            let (mailbox, start) = (mailbox.clone(), Arc::clone(&start));
                            s.spawn(move || {
                                start.wait();
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
                seen.sort_unstable();
                assert!(
                    seen == (1..=1_000).collect::<Vec<u64>>(),
                    "run {run_no}: 1 000 adds of 1 must reply 1 to 1 000, each exactly once, but \
                     the replies went from {:?} to {:?}; reply with the value after your add \
                     ({ONE_STEP})",
                    seen.first(),
                    seen.last()
                );
                drop(mailbox);
                let counters = actor.join().unwrap();
                assert_eq!(
                    counters.get("hits"),
                    Some(&1_000),
                    "run {run_no}: when the mailbox closes, `run` returns the counters \
                     ({ONE_STEP})"
                );
            }
        });
    }

    #[test]
    fn deltas_add_up_per_key_and_snapshot_sees_them() {
        within(ONE_STEP, || {
            let (mailbox, inbox) = mpsc::channel();
            let actor = thread::spawn(move || run(inbox));
            assert_eq!(
                add(&mailbox, "a", 5),
                5,
                "a missing counter starts at 0 ({ONE_STEP})"
            );
            assert_eq!(add(&mailbox, "b", 2), 2, "each key has its own counter");
            assert_eq!(add(&mailbox, "a", 3), 8, "5 + 3 is 8 ({ONE_STEP})");
            let expected = BTreeMap::from([("a".to_owned(), 8), ("b".to_owned(), 2)]);
            assert_eq!(
                snapshot(&mailbox),
                expected,
                "a snapshot copies every counter"
            );
            drop(mailbox);
            assert_eq!(actor.join().unwrap(), expected);
        });
    }

    #[test]
    fn a_caller_that_left_does_not_stop_the_actor() {
        within(GONE, || {
            let (mailbox, inbox) = mpsc::channel();
            let actor = thread::spawn(move || run(inbox));
            let (reply, answer) = mpsc::channel();
            drop(answer); // this caller walks away before its answer arrives
            mailbox
                .send(Command::Add {
                    key: "misses".to_owned(),
                    delta: 7,
                    reply,
                })
                .unwrap();
            let (reply, answer) = mpsc::channel();
            drop(answer); // and so does this one
            mailbox.send(Command::Snapshot { reply }).unwrap();
            assert_eq!(
                snapshot(&mailbox).get("misses"),
                Some(&7),
                "the add of a caller that left still counts ({GONE})"
            );
            assert_eq!(add(&mailbox, "misses", 1), 8);
            drop(mailbox);
            assert!(
                actor.join().is_ok(),
                "the actor panicked: a failed reply must not stop it ({GONE})"
            );
        });
    }
}
