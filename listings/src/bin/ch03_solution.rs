//! Chapter 3 exercise, solved: count words on several threads and merge their partial counts.
use std::collections::HashMap;
use std::sync::mpsc;
use std::thread;

// ANCHOR: solution
/// Counts the words of `text` (case-insensitively) on `threads` threads.
fn word_counts(text: &str, threads: usize) -> HashMap<String, usize> {
    let lines: Vec<&str> = text.lines().collect();
    let per_thread = lines.len().div_ceil(threads.max(1)).max(1);

    let (tx, rx) = mpsc::channel();
    let mut handles = Vec::new();
    for part in lines.chunks(per_thread) {
        // A spawned thread cannot borrow `text`: copy its part, once, into a String it owns.
        let (part, tx) = (part.join("\n"), tx.clone());
        handles.push(thread::spawn(move || {
            let mut counts = HashMap::new();
            for word in part.split_whitespace() {
                *counts.entry(word.to_lowercase()).or_insert(0) += 1;
            }
            tx.send(counts).unwrap(); // one message: the whole partial map, moved
        }));
    }
    drop(tx);

    let mut total = HashMap::new();
    for partial in rx {
        for (word, n) in partial {
            *total.entry(word).or_insert(0) += n;
        }
    }
    for handle in handles {
        handle.join().expect("a counting thread panicked");
    }
    total
}
// ANCHOR_END: solution

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
