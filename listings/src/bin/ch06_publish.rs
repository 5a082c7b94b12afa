//! Chapter 6, listing 4: publish data with a `Release` store, receive it with an `Acquire` load.
//!
//! The same file is a loom model: `listings/tests/loom_ch06.rs` includes it as a module, and
//! under `--cfg loom` the `use` lines below swap in loom's atomics.
#![cfg_attr(loom, allow(dead_code))]
#[cfg(loom)]
use loom::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::atomic::Ordering;
#[cfg(not(loom))]
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::thread;

// ANCHOR: publish
/// A one-shot mailbox: the producer fills `data`, then raises `ready`.
#[derive(Default)]
pub struct Mailbox {
    data: [AtomicU64; 4],
    ready: AtomicBool,
}

impl Mailbox {
    pub fn fill(&self) {
        for (i, slot) in self.data.iter().enumerate() {
            slot.store(10 * (i as u64 + 1), Ordering::Relaxed);
        }
        // Release: every write above happens before any Acquire load that reads this `true`.
        self.ready.store(true, Ordering::Release);
    }

    /// The four values, if the flag is up yet.
    pub fn try_read(&self) -> Option<[u64; 4]> {
        // Acquire: having read `true`, we also see everything written before it was stored.
        if self.ready.load(Ordering::Acquire) {
            Some(
                self.data
                    .each_ref()
                    .map(|slot| slot.load(Ordering::Relaxed)),
            )
        } else {
            None
        }
    }
}
// ANCHOR_END: publish

fn main() {
    // ANCHOR: main
    let mailbox = Mailbox::default();
    thread::scope(|s| {
        s.spawn(|| mailbox.fill());
        s.spawn(|| {
            let got = loop {
                if let Some(got) = mailbox.try_read() {
                    break got;
                }
                thread::yield_now(); // a hint that another thread may run now; no promise
            };
            println!("consumer got {got:?}");
            assert_eq!(got, [10, 20, 30, 40]);
        });
    });
    // ANCHOR_END: main
}
