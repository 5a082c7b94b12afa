//! Chapter 3 exercise: count words on several threads and merge their partial counts.
//! Run it with `cargo run -p listings --example ch03_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch03_solution.rs`.
use std::collections::HashMap;

// ANCHOR: exercise
/// Counts the words of `text` (case-insensitively) on `threads` threads.
fn word_counts(text: &str, threads: usize) -> HashMap<String, usize> {
    // 1. Split the lines of `text` into `threads` parts. A spawned thread cannot borrow `text`,
    //    so copy each part (once) into something the thread owns, such as a String.
    // 2. Spawn one thread per part, each with a clone of the sender: it counts its part into a
    //    HashMap (lower-casing every word) and sends the map.
    // 3. Merge the maps as they arrive, then join the threads. What must happen to `tx` first?
    // You need `std::sync::mpsc` and `std::thread`.
    todo!("word_counts({} bytes, {threads})", text.len())
}

fn sequential_counts(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn main() {
    let text: String = (0..500)
        .map(|i| format!("The channel sends message {} to The receiver\n", i % 7))
        .collect();
    for threads in [1, 2, 3, 8] {
        assert_eq!(word_counts(&text, threads), sequential_counts(&text));
    }
    assert_eq!(word_counts(&text, 4)["the"], 1000);
    assert!(word_counts("", 4).is_empty());
    println!("parallel counts match the sequential ones");
}
// ANCHOR_END: exercise
