//! Chapter 3, "Many producers, one consumer": count words on several threads and merge their
//! partial counts as they arrive.
//!
//! Graded by plain tests under a watchdog: the result must equal the sequential count for every
//! number of threads, and the function must return. Both hangs this chapter shows are caught: a
//! sender left alive keeps the receiving loop waiting, and joining the producers before
//! receiving deadlocks on the bounded channel. The watchdog fails after 5 s and says which
//! section to re-read.
use std::collections::HashMap;
// TODO: You need `std::sync::mpsc` and `std::thread`.

// ANCHOR: exercise
/// Counts the words of `text` (case-insensitively) on `threads` threads.
fn word_counts(text: &str, threads: usize) -> HashMap<String, usize> {
    // TODO: Split the lines of `text` into at most `threads` parts.
    // A spawned thread cannot borrow `text`, so copy each part (once) into a String it owns.
    // Each thread counts its part into a HashMap (lower-casing every word) and sends the map on
    // a clone of the sender of `mpsc::sync_channel(1)`, which holds one waiting map at most.
    // Merge the maps as they arrive, then join the threads. What must happen to the original
    // sender first?
    todo!("word_counts({} bytes, {threads})", text.len())
}
// ANCHOR_END: exercise

fn main() {
    let text = "the cat sat on the mat\nThe dog sat\non the log";
    let counts = word_counts(text, 2);
    assert_eq!(counts["the"], 4);
    println!("{counts:?}");
}

#[cfg(test)]
mod tests {
    use super::word_counts;
    use std::collections::HashMap;
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::thread;
    use std::time::Duration;

    /// Runs `f` on a thread of its own; fails with `hang` if it has not returned within 5 s.
    fn within<T: Send + 'static>(hang: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (done_tx, done_rx) = mpsc::channel();
        let runner = thread::spawn(move || {
            let value = f();
            let _ = done_tx.send(());
            value
        });
        match done_rx.recv_timeout(Duration::from_secs(5)) {
            Err(RecvTimeoutError::Timeout) => panic!("no answer after 5 s: {hang}"),
            _ => runner
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        }
    }

    fn sequential_counts(text: &str) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for word in text.split_whitespace() {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
        counts
    }

    const OPEN_SENDER: &str = "a `for` loop over the receiver ends only when every sender is \
                               dropped, the original one too (see chapter 3, 'The loop that \
                               never ends')";
    const JOIN_FIRST: &str = "with a bounded channel, a producer finishes only once someone \
                              receives its map: receive first, join after (see chapter 3, 'Join \
                              first, receive later? Only by luck')";

    #[test]
    fn parallel_counts_equal_the_sequential_count() {
        let text: String = (0..500)
            .map(|i| format!("The channel sends message {} to the receiver\n", i % 7))
            .collect();
        let expected = sequential_counts(&text);
        for threads in [1, 2, 3, 8] {
            let text = text.clone();
            let counts = within(&format!("{OPEN_SENDER}; or: {JOIN_FIRST}"), move || {
                word_counts(&text, threads)
            });
            assert_eq!(
                counts, expected,
                "word_counts(text, {threads}): every partial map must be added into the total, \
                 each word lower-cased (see chapter 3, 'The tool: cloning the `Sender`')"
            );
        }
    }

    #[test]
    fn fewer_lines_than_threads() {
        let text = "One line\nand another ONE";
        let counts = within(JOIN_FIRST, move || {
            std::panic::catch_unwind(|| word_counts(text, 8)).unwrap_or_else(|_| {
                panic!(
                    "word_counts(text, 8) panicked with 2 lines for 8 threads: split the lines \
                     into at most `threads` parts, none of them empty (see chapter 3, 'Exercise')"
                )
            })
        });
        assert_eq!(counts, sequential_counts(text));
    }

    #[test]
    fn an_empty_text_spawns_nothing_and_still_returns() {
        let counts = within(OPEN_SENDER, || word_counts("", 4));
        assert!(counts.is_empty());
    }
}
