//! Chapter 27, listing: publishing data through a flag, with Release/Acquire.
//!
//! The same file is the loom model: `listings/tests/loom_ordering.rs` includes it as a module
//! and, under `--cfg loom`, the `sync` lines below swap in loom's atomics and threads.
// ANCHOR: all
// ANCHOR: sync
#[cfg(loom)]
use loom::{
    sync::Arc,
    sync::atomic::{AtomicBool, AtomicU64},
    thread,
};
use std::sync::atomic::Ordering::{self, Acquire, Relaxed, Release};
#[cfg(not(loom))]
use std::{
    sync::Arc,
    sync::atomic::{AtomicBool, AtomicU64},
    thread,
};
// ANCHOR_END: sync

// ANCHOR: mailbox
/// One value, handed from one thread to another. `data` is only ever touched with Relaxed;
/// the `ready` flag's orderings are what make the handover safe, or not.
#[derive(Default)]
pub struct Mailbox {
    data: AtomicU64,
    ready: AtomicBool,
}

impl Mailbox {
    pub fn send(&self, value: u64, flag_store: Ordering) {
        self.data.store(value, Relaxed);
        self.ready.store(true, flag_store);
    }

    /// The value, if the sender has raised the flag yet.
    pub fn try_receive(&self, flag_load: Ordering) -> Option<u64> {
        if self.ready.load(flag_load) {
            Some(self.data.load(Relaxed))
        } else {
            None
        }
    }
}
// ANCHOR_END: mailbox

// ANCHOR: scenario
/// One sender, one receiver that looks once. Returns what the receiver saw.
/// Correct orderings: `(Release, Acquire)`. The claim to check: if the receiver sees the flag,
/// it sees 42.
pub fn send_and_peek(flag_store: Ordering, flag_load: Ordering) -> Option<u64> {
    let mailbox = Arc::new(Mailbox::default());
    let sender = {
        let mailbox = Arc::clone(&mailbox);
        thread::spawn(move || mailbox.send(42, flag_store))
    };
    let seen = mailbox.try_receive(flag_load);
    sender.join().unwrap();
    seen
}
// ANCHOR_END: scenario

#[cfg_attr(loom, allow(dead_code))]
fn main() {
    // ANCHOR: main
    // On real hardware: the receiver waits for the flag, then checks the data.
    for _ in 0..1_000 {
        let mailbox = Arc::new(Mailbox::default());
        let sender = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || mailbox.send(42, Release))
        };
        let value = loop {
            if let Some(value) = mailbox.try_receive(Acquire) {
                break value;
            }
            thread::yield_now(); // the sender always gets there: this loop ends
        };
        assert_eq!(value, 42, "the flag was up but the data was not there");
        sender.join().unwrap();
    }
    println!("1000 handovers, every one delivered 42");
    // ANCHOR_END: main
}
// ANCHOR_END: all
