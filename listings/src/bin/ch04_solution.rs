//! Chapter 4 exercise, solved: count words on several threads into one shared map, holding
//! the lock only to merge each thread's finished counts.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;

// ANCHOR: solution
/// Counts how often each word occurs in `lines`, using one thread per chunk of `chunk` lines.
fn word_counts(lines: Vec<String>, chunk: usize) -> HashMap<String, usize> {
    let totals = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
    let mut handles = Vec::new();
    let mut lines = lines.into_iter();
    loop {
        // Move the next `chunk` lines out: each String changes owner, no text is copied.
        let part: Vec<String> = lines.by_ref().take(chunk.max(1)).collect();
        if part.is_empty() {
            break;
        }
        let totals = Arc::clone(&totals);
        handles.push(thread::spawn(move || {
            // The slow part, on this thread's own map: no lock needed. Its keys borrow
            // from `part`, so a word is copied only when it goes into the shared map.
            let mut mine = HashMap::<&str, usize>::new();
            for word in part.iter().flat_map(|line| line.split_whitespace()) {
                *mine.entry(word).or_default() += 1;
            }
            // The critical section: one lock, a merge, and the guard drops at the `}`.
            let mut totals = totals.lock().unwrap();
            for (word, n) in mine {
                *totals.entry(word.to_owned()).or_default() += n;
            }
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    // Every thread has been joined, so this is the last `Arc`: take the map out.
    Arc::into_inner(totals).unwrap().into_inner().unwrap()
}
// ANCHOR_END: solution

fn main() {
    let text = "the cat sat on the mat\nthe dog sat\non the log\nand that was that";
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let counts = word_counts(lines.clone(), 2);
    assert_eq!(counts["the"], 4);
    assert_eq!(counts["sat"], 2);
    assert_eq!(counts["that"], 2);
    assert_eq!(
        counts.values().sum::<usize>(),
        text.split_whitespace().count()
    );

    // The same answer as one thread gets, whatever the chunk size.
    let sequential = word_counts(lines.clone(), usize::MAX);
    for chunk in [1, 3, 100] {
        assert_eq!(word_counts(lines.clone(), chunk), sequential);
    }
    assert!(word_counts(Vec::new(), 2).is_empty());
    println!("all counts match");
}
