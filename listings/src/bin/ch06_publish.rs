//! Chapter 6, listing 2: publish data with a `Release` store, receive it with an `Acquire` load.
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

// ANCHOR: publish
/// A one-shot mailbox: the producer fills `data`, then raises `ready`.
struct Mailbox {
    data: [AtomicU64; 4],
    ready: AtomicBool,
}

fn main() {
    let mailbox = Mailbox {
        data: Default::default(),
        ready: AtomicBool::new(false),
    };

    thread::scope(|s| {
        s.spawn(|| {
            for (i, slot) in mailbox.data.iter().enumerate() {
                slot.store(10 * (i as u64 + 1), Ordering::Relaxed);
            }
            // Release: every write above happens-before any Acquire load that sees `true`.
            mailbox.ready.store(true, Ordering::Release);
        });

        s.spawn(|| {
            // Acquire: once we see `true`, we also see everything written before the store.
            while !mailbox.ready.load(Ordering::Acquire) {
                thread::yield_now(); // let the producer run, even on a single core
            }
            let got: Vec<u64> = mailbox
                .data
                .iter()
                .map(|d| d.load(Ordering::Relaxed))
                .collect();
            println!("consumer got {got:?}");
            assert_eq!(got, [10, 20, 30, 40]);
        });
    });
}
// ANCHOR_END: publish
