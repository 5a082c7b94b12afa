//! Chapter 7: read-write locks.
//!
//! The loom models in `listings/tests/loom_ch07.rs` check the torn-read and compute-once claims
//! in every interleaving of a small case; the runs here check the full-size listings.

use crate::support::{self, listing};
use std::process::Command;

#[test]
fn readers_share_the_lock_and_writers_wait_for_them() {
    let run = listing!("ch07_readers");
    assert_eq!(
        run.lines(),
        [
            "a second reader sees 2 prices",
            "a writer has to wait for the readers",
            "after the write there are 3 prices",
        ]
    );
}

#[test]
fn torn_read_demonstration_every_read_is_consistent() {
    let run = listing!("ch07_consistent");
    assert_eq!(
        run.lines(),
        ["15000 reads, every one consistent", "final version 4000"]
    );
}

/// What `ch07_if_let` prints when compiled as `edition`.
fn if_let_output(edition: &str) -> [String; 3] {
    let in_else = edition == "2021"; // only edition 2021 keeps the guard through `else`
    [
        "hit 10; in the body, write() would block: true".to_string(),
        format!("miss; in else, write() would block: {in_else}"),
        "after the if let, write() would block: false".to_string(),
    ]
}

/// The edition the workspace builds the listings with, from the root `Cargo.toml`.
fn workspace_edition() -> &'static str {
    let manifest = include_str!("../../../Cargo.toml");
    let line = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("edition = \""))
        .expect("the workspace sets an edition");
    line.split('"').nth(1).unwrap()
}

#[test]
fn if_let_read_guard_lives_through_the_body_and_in_edition_2021_through_else() {
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin/ch07_if_let.rs");
    for edition in ["2021", "2024"] {
        let exe = format!("{}/ch07_if_let_{edition}", env!("CARGO_TARGET_TMPDIR"));
        let status = Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
            .args(["--edition", edition, "-o", &exe, source])
            .status()
            .expect("rustc runs");
        assert!(
            status.success(),
            "ch07_if_let does not compile as {edition}"
        );
        let run = support::run(&exe);
        assert_eq!(run.lines(), if_let_output(edition), "edition {edition}");
    }
    // The binary cargo built, with the workspace's edition, agrees.
    let run = listing!("ch07_if_let");
    assert_eq!(run.lines(), if_let_output(workspace_edition()));
}
