//! Chapter 27, listing 1: test what must hold in every run, not what one run printed.
use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: invariants
    let producers = 4;
    let per_producer = 1_000_u32;
    let (tx, rx) = mpsc::channel();
    for id in 0..producers {
        let tx = tx.clone();
        thread::spawn(move || {
            for seq in 0..per_producer {
                tx.send((id, seq)).unwrap();
            }
        });
    }
    drop(tx); // the loop below ends when every producer has finished and dropped its sender

    // The arrival order differs from run to run. What may not differ:
    let mut next_seq = vec![0_u32; producers];
    let mut received = 0;
    for (id, seq) in rx {
        // 1. a channel keeps each producer's messages in the order they were sent,
        assert_eq!(
            seq, next_seq[id],
            "producer {id}: out of order or duplicated"
        );
        next_seq[id] += 1;
        received += 1;
    }
    // 2. and nothing is lost: every producer's last message arrived.
    assert!(
        next_seq.iter().all(|&n| n == per_producer),
        "lost: {next_seq:?}"
    );
    assert_eq!(received, producers as u32 * per_producer);
    println!(
        "{received} messages from {producers} producers: none lost, none repeated, each producer in order"
    );
    // ANCHOR_END: invariants
}
