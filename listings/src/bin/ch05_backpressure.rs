//! Chapter 5, listing 2: with capacity k the producer is never more than k + 1 items ahead of
//! the consumer. Two counters measure "ahead", and both threads assert the bound.
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

const ITEMS: usize = 100;

// ANCHOR: pipeline
/// Runs a producer and a slower consumer over `sync_channel(capacity)`.
/// Returns the largest lead that each side observed.
fn run(capacity: usize) -> (usize, usize) {
    let (tx, rx) = mpsc::sync_channel(capacity);
    // `sent` counts sends that have returned; `received` counts items the consumer is done with.
    let sent = Arc::new(AtomicUsize::new(0));
    let received = Arc::new(AtomicUsize::new(0));

    let producer = thread::spawn({
        let (sent, received) = (Arc::clone(&sent), Arc::clone(&received));
        move || {
            let mut max_lead = 0;
            for item in 0..ITEMS {
                tx.send(item).unwrap(); // blocks while the channel is full
                let n = sent.fetch_add(1, SeqCst) + 1;
                let r = received.load(SeqCst);
                assert!(
                    n <= r + capacity + 1,
                    "sent {n}, received {r}, capacity {capacity}"
                );
                max_lead = max_lead.max(n - r);
            }
            max_lead
        }
    });

    let consumer = thread::spawn(move || {
        let mut max_lead = 0;
        for (i, item) in rx.iter().enumerate() {
            assert_eq!(item, i, "one producer: first in, first out");
            thread::sleep(Duration::from_micros(20)); // work on the item in hand
            let taken = i + 1; // exact: this thread is the one taking items out
            let s = sent.load(SeqCst);
            assert!(
                s <= taken + capacity,
                "sent {s}, taken {taken}, capacity {capacity}"
            );
            max_lead = max_lead.max(s.saturating_sub(taken));
            received.fetch_add(1, SeqCst); // done with this item
        }
        max_lead
    });

    let producer_lead = producer.join().expect("the producer's bound failed");
    let consumer_lead = consumer.join().expect("the consumer's bound failed");
    (producer_lead, consumer_lead)
}
// ANCHOR_END: pipeline

fn main() {
    // ANCHOR: main
    for capacity in [0, 1, 4] {
        let (producer_lead, consumer_lead) = run(capacity);
        println!(
            "capacity {capacity}: {ITEMS} items in order, producer never more than {} ahead",
            capacity + 1
        );
        // How close a run came to the bounds depends on scheduling, so it goes to stderr.
        eprintln!(
            "capacity {capacity}: largest leads seen: {producer_lead} by the producer, {consumer_lead} by the consumer"
        );
    }
    // ANCHOR_END: main
}
