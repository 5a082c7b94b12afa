//! Loom models of chapter 7's listings: the same code the chapter shows, checked in every
//! interleaving of a small case. (The exercise's cache is checked by loom in its own tests,
//! `exercises/solutions/07_rwlock.rs`.)
//!
//! Run: `RUSTFLAGS="--cfg loom" cargo test -p listings --test loom_ch07` (or `bash .ci/loom.sh`).
//! Without `--cfg loom` this file is empty.
#![cfg(loom)]

#[path = "../src/bin/ch07_consistent.rs"]
mod consistent;

use loom::sync::{Arc, RwLock};
use loom::thread;

/// Runs `f` as a loom model, with at most 3 preemptions per execution unless
/// `LOOM_MAX_PREEMPTIONS` says otherwise.
fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound.get_or_insert(3);
    builder.check(f);
}

#[test]
fn consistent_reader_never_sees_a_torn_update() {
    model(|| {
        let shared = Arc::new(RwLock::new(consistent::Snapshot::default()));
        let writer = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || consistent::update(&shared))
        };
        let snap = consistent::read(&shared);
        assert!(snap.is_consistent(), "torn read: {snap:?}");
        writer.join().unwrap();
        let last = consistent::read(&shared);
        assert!(last.is_consistent() && last.version == 1, "{last:?}");
    });
}
