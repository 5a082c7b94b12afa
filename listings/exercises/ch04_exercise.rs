//! Chapter 4 exercise: count words on several threads into one shared map, holding the lock
//! as briefly as possible. Run it with `cargo run -p listings --example ch04_exercise`: it
//! panics at the `todo!()` until you fill it in. The solution is
//! `listings/src/bin/ch04_solution.rs`.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;

// ANCHOR: exercise
/// Counts how often each word occurs in `lines`, using one thread per chunk of `chunk` lines.
fn word_counts(lines: Vec<String>, chunk: usize) -> HashMap<String, usize> {
    let totals = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
    let mut handles: Vec<thread::JoinHandle<()>> = Vec::new();
    let mut lines = lines.into_iter();
    loop {
        // Move the next `chunk` lines out: each String changes owner, no text is copied.
        let part: Vec<String> = lines.by_ref().take(chunk.max(1)).collect();
        if part.is_empty() {
            break;
        }
        let totals = Arc::clone(&totals);
        handles.push(thread::spawn(move || {
            // Count this part's words WITHOUT holding the lock, then lock `totals`
            // once and add them in.
            todo!("count {} lines, then merge into {totals:?}", part.len())
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    // Every thread has been joined, so this is the last `Arc`: take the map out.
    Arc::into_inner(totals).unwrap().into_inner().unwrap()
}

fn main() {
    let text = "the cat sat on the mat\nthe dog sat\non the log\nand that was that";
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let counts = word_counts(lines, 2);
    assert_eq!(counts["the"], 4);
    assert_eq!(counts["sat"], 2);
    assert_eq!(counts["that"], 2);
    assert_eq!(
        counts.values().sum::<usize>(),
        text.split_whitespace().count()
    );
    println!("all counts match");
}
// ANCHOR_END: exercise
