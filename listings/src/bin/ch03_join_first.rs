//! Chapter 3, listing 3: joining the producers before receiving deadlocks on a bounded channel.
//! A time limit detects the deadlock, and receiving (the fix) ends it.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

const PRODUCERS: usize = 3;
const PER_PRODUCER: usize = 3;
const CAPACITY: usize = 2;

fn main() {
    // ANCHOR: setup
    // Room for 2 messages; 9 will be sent.
    let (tx, rx) = mpsc::sync_channel(CAPACITY);
    // Each producer reports here when it has sent everything: a `join` with a time limit.
    let (done_tx, done_rx) = mpsc::channel();
    let sends_completed = Arc::new(AtomicUsize::new(0));

    let mut producers = Vec::new();
    for id in 0..PRODUCERS {
        let (tx, done_tx) = (tx.clone(), done_tx.clone());
        let sends_completed = Arc::clone(&sends_completed);
        producers.push(thread::spawn(move || {
            for seq in 0..PER_PRODUCER {
                tx.send(id * PER_PRODUCER + seq).unwrap(); // blocks while the channel is full
                sends_completed.fetch_add(1, Ordering::SeqCst);
            }
            done_tx.send(id).unwrap();
        }));
    }
    drop((tx, done_tx));
    // ANCHOR_END: setup

    // ANCHOR: wait
    // A common first attempt: wait for every producer before receiving anything.
    match done_rx.recv_timeout(Duration::from_millis(100)) {
        Err(RecvTimeoutError::Timeout) => println!("no producer finished within 100 ms: deadlock"),
        Ok(id) => unreachable!("producer {id} cannot have sent 3 messages into 2 slots"),
        Err(RecvTimeoutError::Disconnected) => unreachable!("the producers hold `done_tx`"),
    }
    // Nobody receives, so no more than CAPACITY sends can complete. On a busy machine the
    // producers may not have made them all yet: wait until they have, then count again.
    while sends_completed.load(Ordering::SeqCst) < CAPACITY {
        thread::sleep(Duration::from_millis(1));
    }
    let completed = sends_completed.load(Ordering::SeqCst);
    assert_eq!(completed, CAPACITY);
    println!("sends completed: {completed}, exactly the capacity");
    assert!(producers.iter().all(|p| !p.is_finished()));
    // ANCHOR_END: wait

    // ANCHOR: fix
    // The fix: receive while the producers run, and join them afterwards.
    let mut received: Vec<usize> = rx.iter().collect();
    for producer in producers {
        producer.join().unwrap();
    }
    received.sort_unstable();
    assert_eq!(received, (0..PRODUCERS * PER_PRODUCER).collect::<Vec<_>>());
    println!(
        "receiving first: all {} messages arrived once",
        received.len()
    );
    // ANCHOR_END: fix
}
