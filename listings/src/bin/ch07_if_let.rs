//! Chapter 7, listing 3: how long a read guard made in an `if let` condition lives.
//! The output depends on the edition: the listing tests compile this file as edition 2021 and
//! as edition 2024 and check both.
use std::collections::HashMap;
use std::sync::{RwLock, TryLockError};

fn main() {
    // ANCHOR: if_let
    let map = RwLock::new(HashMap::from([(1, 10)]));
    // Would `write()` block right now? `try_write` answers without blocking.
    let write_would_block = || matches!(map.try_write(), Err(TryLockError::WouldBlock));

    if let Some(value) = map.read().unwrap().get(&1) {
        // The read guard is a temporary of the condition: it lives through the body.
        println!(
            "hit {value}; in the body, write() would block: {}",
            write_would_block()
        );
    }

    if let Some(value) = map.read().unwrap().get(&2) {
        println!("unexpected hit {value}");
    } else {
        // Edition 2024 drops the guard before `else`; edition 2021 keeps it to the end.
        println!(
            "miss; in else, write() would block: {}",
            write_would_block()
        );
    }

    // After the whole `if let`, the guard is gone in every edition.
    println!(
        "after the if let, write() would block: {}",
        write_would_block()
    );
    // ANCHOR_END: if_let
}
