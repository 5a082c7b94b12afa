//! Loom checks the handover of `ch27_publish` in every interleaving, and every value each load
//! may legally return under the C++/Rust memory model.
//!
//! Run: `RUSTFLAGS="--cfg loom" cargo test -p listings --release --test loom_ordering`
//! (or `bash .ci/loom.sh`). Without `--cfg loom` this file is empty.
#![cfg(loom)]

#[allow(dead_code)]
#[path = "../src/bin/ch27_publish.rs"]
mod publish;

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};

// ANCHOR: passes
#[test]
fn release_acquire_always_delivers_the_data() {
    loom::model(|| {
        if let Some(value) = publish::send_and_peek(Release, Acquire) {
            assert_eq!(value, 42);
        }
    });
}
// ANCHOR_END: passes

// ANCHOR: fails
#[test]
fn relaxed_flag_lets_the_receiver_see_stale_data() {
    // A model whose assertion fails in some execution makes `loom::model` panic. We expect
    // that: this test passes only if loom finds the execution where the flag is up, the data
    // is still 0, and the assertion fails.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        loom::model(|| {
            if let Some(value) = publish::send_and_peek(Relaxed, Relaxed) {
                assert_eq!(value, 42, "stale data behind a raised flag");
            }
        });
    }));
    let payload = outcome.expect_err("loom should have found the stale read");
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("");
    assert!(
        message.contains("stale data behind a raised flag"),
        "{message}"
    );
}
// ANCHOR_END: fails
