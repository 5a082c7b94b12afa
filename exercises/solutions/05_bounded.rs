//! Chapter 5, "Bounded channels and backpressure": shed load with `try_send` instead of waiting
//! for a slow consumer.
//!
//! Graded by plain tests under a watchdog. The tests decide how fast the consumer is: their
//! `consume` holds up the consumer thread until the producer has offered every item, so a full
//! channel must be full and the number of items that get through is known to within one,
//! whatever the scheduling. A producer that waits instead of dropping never finishes offering,
//! so it hangs, and the watchdog fails after 5 s with a message. Every run must also account for
//! each item exactly once, keep the order, and drop nothing when the channel has room for all.
// ANCHOR: hide
// You need `std::sync::mpsc` and its `TrySendError`.
use std::sync::mpsc::{self, TrySendError};
// ANCHOR_END: hide
use std::thread;
use std::time::Duration;

// ANCHOR: exercise
/// Offers `items` to a consumer thread through `sync_channel(capacity)`. The consumer calls
/// `consume` on each item it receives, then keeps it. An item that finds the channel full is
/// dropped instead of waited for. Returns the items the consumer kept, in the order it received
/// them, and the number dropped.
fn offer_all(
    items: impl Iterator<Item = u32>,
    capacity: usize,
    consume: impl Fn(u32) + Send + 'static,
) -> (Vec<u32>, u32) {
    // ANCHOR: todo("offer {} items through sync_channel({capacity}) to {}", items.count(), std::any::type_name_of_val(&consume))
    // Make a `sync_channel(capacity)` and a consumer thread.
    // The consumer calls `consume` on each item it receives and collects the items into a `Vec`.
    // Offer each item with `try_send`: on `Full`, count it as dropped and go on, never wait.
    // Then close the channel, join the consumer, and return what it kept with the drop count.
    let (tx, rx) = mpsc::sync_channel(capacity);
    let consumer = thread::spawn(move || {
        let mut kept = Vec::new();
        for item in rx {
            consume(item);
            kept.push(item);
        }
        kept
    });

    let mut dropped = 0;
    for item in items {
        match tx.try_send(item) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => dropped += 1, // shed it, never wait
            Err(TrySendError::Disconnected(_)) => panic!("the consumer is gone"),
        }
    }
    drop(tx); // the consumer's loop ends when the last sender is gone
    let kept = consumer.join().expect("the consumer panicked");
    (kept, dropped)
    // ANCHOR_END: todo
}
// ANCHOR_END: exercise

fn main() {
    for capacity in [0, 1, 8] {
        // A consumer that takes 50 µs per item cannot keep up with the producer.
        let (kept, dropped) = offer_all(0..1000, capacity, |_| {
            thread::sleep(Duration::from_micros(50));
        });
        assert_eq!(kept.len() as u32 + dropped, 1000);
        assert!(kept.is_sorted());
        println!(
            "capacity {capacity}: {} kept, {dropped} dropped",
            kept.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::offer_all;
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::thread;
    use std::time::Duration;

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

    const WAITED: &str = "the producer waited for a full channel, or the consumer's loop never \
                          ended: offer with `try_send`, which never waits, and drop the sender \
                          when done (see chapter 5, 'What can go wrong')";

    /// `0..n`, and a `consume` that holds up the consumer on its first item until the producer
    /// has taken the last one: until then the consumer receives at most one item.
    fn held_up_until_offered(n: u32) -> (impl Iterator<Item = u32>, impl Fn(u32) + Send) {
        let (offered_tx, offered_rx) = mpsc::channel::<()>();
        let mut offered_tx = Some(offered_tx);
        let items = (0..=n).map_while(move |i| {
            if i == n {
                drop(offered_tx.take()); // every item offered: let the consumer go
                None
            } else {
                Some(i)
            }
        });
        let consume = move |_| {
            let _ = offered_rx.recv(); // returns once the producer is done
        };
        (items, consume)
    }

    #[test]
    fn a_full_channel_drops_what_does_not_fit() {
        for _ in 0..20 {
            for capacity in [0, 1, 4] {
                let n = 50;
                let (kept, dropped) = within(WAITED, move || {
                    let (items, consume) = held_up_until_offered(n);
                    offer_all(items, capacity, consume)
                });
                // The channel holds `capacity` items; the consumer may have taken one more out
                // before it was held up.
                let fits = capacity as u32;
                assert!(
                    kept.len() as u32 == fits || kept.len() as u32 == fits + 1,
                    "capacity {capacity}, a consumer that receives one item and then waits for \
                     the producer: kept {} items, not {fits} or {}; a channel of capacity \
                     {capacity} holds {capacity} (see chapter 5, 'The tool: `sync_channel(k)`')",
                    kept.len(),
                    fits + 1,
                );
                assert!(
                    kept[..capacity] == (0..fits).collect::<Vec<_>>()[..] && kept.is_sorted(),
                    "capacity {capacity}: kept {kept:?}; the first {capacity} items always fit, \
                     and the items that get through keep their order (see chapter 5, 'The \
                     tool: `sync_channel(k)`')"
                );
                assert_eq!(
                    kept.len() as u32 + dropped,
                    n,
                    "capacity {capacity}: {} kept and {dropped} dropped of {n}; every item that \
                     finds the channel full must be counted as dropped (see chapter 5, 'What \
                     can go wrong')",
                    kept.len(),
                );
            }
        }
    }

    #[test]
    fn a_channel_with_room_for_everything_drops_nothing() {
        for capacity in [100, 200] {
            let (kept, dropped) = within(WAITED, move || {
                let (items, consume) = held_up_until_offered(100);
                offer_all(items, capacity, consume)
            });
            assert_eq!(
                (kept, dropped),
                ((0..100).collect(), 0),
                "capacity {capacity}, 100 items: all of them fit, however slow the consumer \
                 (see chapter 5, 'The tool: `sync_channel(k)`')"
            );
        }
    }

    #[test]
    fn a_fast_consumer_still_accounts_for_every_item() {
        for capacity in [0, 1, 8] {
            let (kept, dropped) = within(WAITED, move || offer_all(0..1000, capacity, |_| {}));
            assert!(
                kept.is_sorted_by(|a, b| a < b),
                "capacity {capacity}: the items that got through must keep their order (see \
                 chapter 5, 'The tool: `sync_channel(k)`')"
            );
            assert_eq!(
                kept.len() as u32 + dropped,
                1000,
                "capacity {capacity}: every item is either kept or counted as dropped (see \
                 chapter 5, 'What can go wrong')"
            );
        }
    }
}
