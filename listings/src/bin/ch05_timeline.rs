//! Chapter 5, timeline: a producer and a slower consumer over `sync_channel(2)`, one line of
//! output per item on each side, for `cargo xtask diagrams` to draw.
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

const CAPACITY: usize = 2;
const ITEMS: usize = 8;

fn main() {
    // ANCHOR: timeline
    let (tx, rx) = mpsc::sync_channel(CAPACITY);
    // Items the consumer is done with.
    let received = Arc::new(AtomicUsize::new(0));

    let producer = thread::spawn({
        let received = Arc::clone(&received);
        move || {
            for item in 0..ITEMS {
                tx.send(item).unwrap(); // blocks while two items wait in the channel
                println!("producer: sent {item}"); // printed after `send` returned
                let ahead = item + 1 - received.load(SeqCst);
                assert!(ahead <= CAPACITY + 1, "producer {ahead} items ahead");
            }
        } // `tx` is dropped here: the consumer's loop ends after the last item
    });

    // The consumer: main itself.
    for (i, item) in rx.iter().enumerate() {
        assert_eq!(item, i, "first in, first out");
        println!("consumer: received {item}"); // printed after `recv` returned
        thread::sleep(Duration::from_millis(2)); // the slow part: handling the item
        received.fetch_add(1, SeqCst); // done with it
    }
    producer.join().unwrap();
    // ANCHOR_END: timeline
    assert_eq!(received.load(SeqCst), ITEMS);
    println!(
        "{ITEMS} items in order, the producer never more than {} ahead",
        CAPACITY + 1
    );
}
