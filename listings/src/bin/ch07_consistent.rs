//! Chapter 7, listing 2: readers never see a write half-done.
//!
//! The same file is a loom model: `listings/tests/loom_ch07.rs` includes it as a module, and
//! under `--cfg loom` the `use` lines below swap in loom's `RwLock`.
#![cfg_attr(loom, allow(dead_code))]
#[cfg(loom)]
use loom::sync::RwLock;
#[cfg(not(loom))]
use std::sync::RwLock;
use std::thread;

const WRITERS: u64 = 2;
const UPDATES: u64 = 2_000;
const READERS: usize = 3;
const READS: usize = 5_000;

// ANCHOR: snapshot
/// A reading from several sensors. Invariant: every field equals `version`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Snapshot {
    pub version: u64,
    fields: [u64; 8],
}

impl Snapshot {
    pub fn is_consistent(&self) -> bool {
        self.fields.iter().all(|&f| f == self.version)
    }
}

/// Moves the snapshot to its next version, field by field, under one write guard.
pub fn update(shared: &RwLock<Snapshot>) {
    let mut snap = shared.write().unwrap();
    snap.version += 1;
    // Field by field: in between, the invariant is broken. Nobody can see it.
    for i in 0..snap.fields.len() {
        snap.fields[i] = snap.version;
    }
}

/// A copy of the snapshot; the read guard is dropped at the end of the statement.
pub fn read(shared: &RwLock<Snapshot>) -> Snapshot {
    *shared.read().unwrap()
}
// ANCHOR_END: snapshot

fn main() {
    // ANCHOR: check
    let shared = RwLock::new(Snapshot::default());

    thread::scope(|s| {
        for _ in 0..WRITERS {
            s.spawn(|| {
                for _ in 0..UPDATES {
                    update(&shared);
                }
            });
        }
        for _ in 0..READERS {
            s.spawn(|| {
                let mut last = 0;
                for _ in 0..READS {
                    let snap = read(&shared);
                    assert!(snap.is_consistent(), "torn read: {snap:?}");
                    assert!(
                        snap.version >= last,
                        "went back from {last} to {}",
                        snap.version
                    );
                    last = snap.version;
                }
            });
        }
    });

    let last = read(&shared);
    assert!(last.is_consistent());
    assert_eq!(last.version, WRITERS * UPDATES);
    println!("{} reads, every one consistent", READERS * READS);
    println!("final version {}", last.version);
    // ANCHOR_END: check
}
