//! Chapter 7, listing 2: readers never see a write half-done.
use std::sync::RwLock;
use std::thread;

const WRITERS: u64 = 2;
const UPDATES: u64 = 2_000;
const READERS: usize = 3;
const READS: usize = 5_000;

// ANCHOR: snapshot
/// A reading from several sensors. Invariant: every field equals `version`.
#[derive(Clone, Copy, Debug)]
struct Snapshot {
    version: u64,
    fields: [u64; 8],
}

impl Snapshot {
    fn is_consistent(&self) -> bool {
        self.fields.iter().all(|&f| f == self.version)
    }
}
// ANCHOR_END: snapshot

fn main() {
    // ANCHOR: check
    let shared = RwLock::new(Snapshot {
        version: 0,
        fields: [0; 8],
    });

    thread::scope(|s| {
        for _ in 0..WRITERS {
            s.spawn(|| {
                for _ in 0..UPDATES {
                    let mut snap = shared.write().unwrap();
                    snap.version += 1;
                    // Field by field: in between, the invariant is broken. Nobody can see it.
                    for i in 0..snap.fields.len() {
                        snap.fields[i] = snap.version;
                    }
                }
            });
        }
        for _ in 0..READERS {
            s.spawn(|| {
                let mut last = 0;
                for _ in 0..READS {
                    let snap = *shared.read().unwrap(); // copy out, drop the guard at once
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

    let last = *shared.read().unwrap();
    assert!(last.is_consistent());
    assert_eq!(last.version, WRITERS * UPDATES);
    println!("{} reads, every one consistent", READERS * READS);
    println!("final version {}", last.version);
    // ANCHOR_END: check
}
