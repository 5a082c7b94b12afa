//! Chapter 3, listing 1: several producers share one channel by cloning the sender.
use std::collections::HashMap;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

const PRODUCERS: u32 = 3;
const PER_PRODUCER: u32 = 4;

fn main() {
    // ANCHOR: clone
    let (tx, rx) = mpsc::channel();
    let mut producers = Vec::new();
    for id in 1..=PRODUCERS {
        let tx = tx.clone(); // each producer gets a sender of its own
        producers.push(thread::spawn(move || {
            for seq in 1..=PER_PRODUCER {
                tx.send((id, seq)).unwrap();
                thread::sleep(Duration::from_millis(1)); // lets the others get a turn
            }
        }));
    }
    // The original sender: without this drop, the loop below never ends.
    drop(tx);
    // ANCHOR_END: clone

    // ANCHOR: receive
    // Receive while the producers run, then join them.
    let mut last_seq: HashMap<u32, u32> = HashMap::new();
    let mut total = 0;
    for (id, seq) in rx {
        println!("producer {id}: message {seq}");
        // Each producer's own messages arrive in the order it sent them.
        let previous = last_seq.insert(id, seq).unwrap_or(0);
        assert_eq!(seq, previous + 1, "producer {id} out of order");
        total += 1;
    }
    for producer in producers {
        producer.join().expect("a producer panicked");
    }
    // ANCHOR_END: receive

    // ANCHOR: check
    assert_eq!(total, PRODUCERS * PER_PRODUCER);
    assert!(last_seq.values().all(|&seq| seq == PER_PRODUCER));
    println!("received {total} messages from {PRODUCERS} producers");
    // ANCHOR_END: check
}
