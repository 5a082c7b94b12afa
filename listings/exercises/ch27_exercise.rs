//! Chapter 27 exercise: an invariant checker for a log of messages from many producers.
//! Run it with `cargo run -p listings --example ch27_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch27_solution.rs`.
use std::sync::mpsc;
use std::thread;

#[derive(Debug, PartialEq)]
enum Violation {
    /// A message arrived a second time.
    Duplicate { producer: usize, seq: u32 },
    /// A message arrived before an earlier message of the same producer.
    OutOfOrder {
        producer: usize,
        expected: u32,
        got: u32,
    },
    /// A producer's messages stopped short: `from` onwards never arrived.
    Missing { producer: usize, from: u32 },
}

// ANCHOR: exercise
/// Checks a log of `(producer, seq)` messages in arrival order, where each of `producers`
/// producers sent `0..per_producer` in order. Returns the first invariant that is broken.
fn check_log(log: &[(usize, u32)], producers: usize, per_producer: u32) -> Result<(), Violation> {
    // Keep, for each producer, the sequence number you expect next. A smaller one is a
    // duplicate, a larger one is out of order; at the end, anything short is missing.
    todo!(
        "check {} messages from {producers} producers of {per_producer}",
        log.len()
    )
}
// ANCHOR_END: exercise

fn main() {
    // A real log, from three producers sharing a channel: it must pass.
    let (tx, rx) = mpsc::channel();
    for producer in 0..3 {
        let tx = tx.clone();
        thread::spawn(move || (0..100).for_each(|seq| tx.send((producer, seq)).unwrap()));
    }
    drop(tx);
    let log: Vec<(usize, u32)> = rx.iter().collect();
    assert_eq!(check_log(&log, 3, 100), Ok(()));

    // Broken logs, one per invariant, each made by hand from a good one.
    let good = [(0, 0), (1, 0), (0, 1), (1, 1)];
    assert_eq!(check_log(&good, 2, 2), Ok(()));
    let duplicated = [(0, 0), (1, 0), (0, 0), (0, 1), (1, 1)];
    assert_eq!(
        check_log(&duplicated, 2, 2),
        Err(Violation::Duplicate {
            producer: 0,
            seq: 0
        })
    );
    let swapped = [(0, 1), (1, 0), (0, 0), (1, 1)];
    assert_eq!(
        check_log(&swapped, 2, 2),
        Err(Violation::OutOfOrder {
            producer: 0,
            expected: 0,
            got: 1
        })
    );
    let lost = [(0, 0), (1, 0), (0, 1)];
    assert_eq!(
        check_log(&lost, 2, 2),
        Err(Violation::Missing {
            producer: 1,
            from: 1
        })
    );
    println!("the real log passes; each broken log is caught with the right violation");
}
