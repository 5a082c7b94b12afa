//! Chapter 27, "Testing concurrent code": an invariant checker for a log of messages from
//! many producers.
//!
//! Graded by plain tests, the way the chapter says a checker must be tested: by feeding it the
//! failures it must catch. The checker itself is sequential, so one run per log decides it. Real
//! logs, from producers that start together at a `Barrier` and share a channel, 20 runs over,
//! must pass; then every way of breaking a log (a message repeated, two messages of a producer
//! swapped, the last messages lost), applied at many places of a real log, must be reported as
//! the violation it is, at the place where it first shows.
use std::sync::mpsc;
use std::thread;

/// The first broken invariant of a log.
#[derive(Debug, PartialEq)]
#[allow(dead_code, reason = "the starter builds no violation")]
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
    // ANCHOR: todo("check {} messages from {producers} producers of {per_producer}", log.len())
    // Keep, for each producer, the sequence number you expect next. A smaller one is a
    // duplicate, a larger one is out of order; at the end, anything short is missing.
    let mut expected = vec![0_u32; producers];
    for &(producer, seq) in log {
        let next = &mut expected[producer];
        if seq < *next {
            return Err(Violation::Duplicate { producer, seq });
        }
        if seq > *next {
            return Err(Violation::OutOfOrder {
                producer,
                expected: *next,
                got: seq,
            });
        }
        *next += 1;
    }
    match expected.iter().position(|&next| next < per_producer) {
        Some(producer) => Err(Violation::Missing {
            producer,
            from: expected[producer],
        }),
        None => Ok(()),
    }
    // ANCHOR_END: todo
}
// ANCHOR_END: exercise

/// A real log: `producers` threads share a channel and each sends `0..per_producer` in order.
fn real_log(producers: usize, per_producer: u32) -> Vec<(usize, u32)> {
    let (tx, rx) = mpsc::channel();
    let start = std::sync::Arc::new(std::sync::Barrier::new(producers));
    for producer in 0..producers {
        let (tx, start) = (tx.clone(), std::sync::Arc::clone(&start));
        thread::spawn(move || {
            start.wait();
            (0..per_producer).for_each(|seq| tx.send((producer, seq)).unwrap())
        });
    }
    drop(tx);
    rx.iter().collect()
}

fn main() {
    let log = real_log(3, 100);
    assert_eq!(check_log(&log, 3, 100), Ok(()));
    let lost = [(0, 0), (1, 0), (0, 1)];
    assert_eq!(
        check_log(&lost, 2, 2),
        Err(Violation::Missing {
            producer: 1,
            from: 1
        })
    );
    println!("the real log passes; the broken one is caught");
}

#[cfg(test)]
mod tests {
    use super::{Violation, check_log, real_log};

    const INVARIANTS: &str = "see chapter 27, 'Assert invariants, not output'";

    #[test]
    fn real_logs_pass() {
        for run in 0..20 {
            for (producers, per) in [(1, 50), (3, 100), (4, 200)] {
                let log = real_log(producers, per);
                assert_eq!(
                    check_log(&log, producers, per),
                    Ok(()),
                    "run {run}: a real log of {producers} producers sending 0..{per} each breaks \
                     no invariant; messages of different producers may interleave in any order \
                     ({INVARIANTS})"
                );
            }
        }
        assert_eq!(
            check_log(&[], 3, 0),
            Ok(()),
            "nothing sent, nothing missing"
        );
    }

    #[test]
    fn a_repeated_message_is_a_duplicate() {
        let log = real_log(3, 40);
        for at in (0..log.len()).step_by(7) {
            let (producer, seq) = log[at];
            let mut broken = log.clone();
            broken.insert(at + 1, (producer, seq)); // sent once, arrived twice
            assert_eq!(
                check_log(&broken, 3, 40),
                Err(Violation::Duplicate { producer, seq }),
                "message {seq} of producer {producer} arrived twice: a sequence number smaller \
                 than the one expected next is a duplicate ({INVARIANTS})"
            );
        }
    }

    #[test]
    fn two_swapped_messages_are_out_of_order() {
        let log = real_log(3, 40);
        for at in (0..log.len()).step_by(5) {
            let (producer, seq) = log[at];
            if seq + 1 == 40 {
                continue;
            }
            let later = log.iter().position(|&m| m == (producer, seq + 1)).unwrap();
            let mut broken = log.clone();
            broken.swap(at, later);
            assert_eq!(
                check_log(&broken, 3, 40),
                Err(Violation::OutOfOrder {
                    producer,
                    expected: seq,
                    got: seq + 1
                }),
                "producer {producer}'s message {} arrived before {seq}: a sequence number larger \
                 than the one expected next is out of order, and the first violation is the one \
                 to report ({INVARIANTS})",
                seq + 1
            );
        }
    }

    #[test]
    fn messages_lost_at_the_end_are_missing() {
        for producers in [1, 2, 4] {
            let log = real_log(producers, 30);
            for lost in 0..producers {
                for keep in [0, 1, 29] {
                    let broken: Vec<_> = log
                        .iter()
                        .copied()
                        .filter(|&(p, seq)| p != lost || seq < keep)
                        .collect();
                    assert_eq!(
                        check_log(&broken, producers, 30),
                        Err(Violation::Missing {
                            producer: lost,
                            from: keep
                        }),
                        "producer {lost} of {producers} sent 0..30 but only 0..{keep} arrived: \
                         a log that ends short of `per_producer` is missing messages \
                         ({INVARIANTS})"
                    );
                }
            }
        }
    }
}
