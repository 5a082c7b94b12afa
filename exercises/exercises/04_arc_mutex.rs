//! Chapter 4, "Shared state with Arc and Mutex": count words on several threads into one
//! shared map, holding the lock only to merge.
//!
//! Graded by plain tests that look inside the critical section. The shared map is a `Totals`:
//! a `Mutex` around the map that also counts how often it is locked and how many words are
//! added under the lock. A right answer locks once per thread and adds each of that thread's
//! distinct words once; locking per word, or counting with the lock held, shows up in those
//! numbers on every run, whatever the interleaving. The counts must also equal the sequential
//! ones, for several chunk sizes and over 20 runs each.
// TODO: You need `std::collections::HashMap`.
use std::sync::Arc;
use std::thread;

use shared::Totals;

// ANCHOR: exercise
/// Counts the words of `lines` into `totals`, on one thread per chunk of `chunk` lines.
fn count_into(totals: &Arc<Totals>, lines: Vec<String>, chunk: usize) {
    let mut handles: Vec<thread::JoinHandle<()>> = Vec::new();
    let mut lines = lines.into_iter();
    loop {
        // Move the next `chunk` lines out: each String changes owner, no text is copied.
        let part: Vec<String> = lines.by_ref().take(chunk.max(1)).collect();
        if part.is_empty() {
            break;
        }
        let totals = Arc::clone(totals);
        handles.push(thread::spawn(move || {
            // TODO: Count this part's words on a map of the thread's own.
            // Do it WITHOUT the lock; then `totals.lock()` once and `add` each word with its
            // count.
            todo!("count {} lines, then merge into {totals:?}", part.len())
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
}
// ANCHOR_END: exercise

/// The shared counts: a `HashMap` behind one `Mutex`, which also counts how often it is locked
/// and how many words are added under the lock.
mod shared {
    use std::collections::HashMap;
    use std::sync::{Mutex, MutexGuard};

    #[derive(Debug, Default)]
    pub struct Totals(Mutex<Inner>);

    #[derive(Debug, Default)]
    struct Inner {
        counts: HashMap<String, usize>,
        locks: usize,
        adds: usize,
    }

    /// The lock on the totals: while it lives, no other thread can lock them.
    #[allow(dead_code, reason = "the starter leaves every use of it to the reader")]
    pub struct Guard<'a>(MutexGuard<'a, Inner>);

    impl Totals {
        #[allow(dead_code, reason = "the starter leaves every call to the reader")]
        pub fn lock(&self) -> Guard<'_> {
            let mut inner = self.0.lock().unwrap();
            inner.locks += 1;
            Guard(inner)
        }

        /// The counts, how many times the totals were locked, and how many `add`s they got.
        pub fn into_parts(self) -> (HashMap<String, usize>, usize, usize) {
            let inner = self.0.into_inner().unwrap();
            (inner.counts, inner.locks, inner.adds)
        }
    }

    impl Guard<'_> {
        #[allow(dead_code, reason = "the starter leaves every call to the reader")]
        /// Adds `n` to the count of `word`.
        pub fn add(&mut self, word: &str, n: usize) {
            self.0.adds += 1;
            *self.0.counts.entry(word.to_owned()).or_default() += n;
        }
    }
}

fn main() {
    let text = "the cat sat on the mat\nthe dog sat\non the log\nand that was that";
    let totals = Arc::new(Totals::default());
    count_into(&totals, text.lines().map(String::from).collect(), 2);
    let (counts, locks, _) = Arc::into_inner(totals).unwrap().into_parts();
    assert_eq!(counts["the"], 4);
    println!("{} distinct words, {locks} locks", counts.len());
}

#[cfg(test)]
mod tests {
    use super::{Totals, count_into};
    use std::collections::{HashMap, HashSet};
    use std::sync::Arc;

    const TEXT: &str = "the cat sat on the mat\nthe dog sat\non the log\nand that was that\n\
                        the end\nthe cat came back\nand sat on the mat again";

    /// Runs `count_into` and returns the counts, the number of locks and the number of adds.
    fn run(chunk: usize) -> (HashMap<String, usize>, usize, usize) {
        let totals = Arc::new(Totals::default());
        count_into(&totals, TEXT.lines().map(String::from).collect(), chunk);
        let totals = Arc::into_inner(totals)
            .expect("every thread must be joined before `count_into` returns");
        totals.into_parts()
    }

    #[test]
    fn counts_equal_the_sequential_count() {
        let mut expected = HashMap::<String, usize>::new();
        for word in TEXT.split_whitespace() {
            *expected.entry(word.to_owned()).or_default() += 1;
        }
        for chunk in [1, 2, 3, 100] {
            for _ in 0..20 {
                assert_eq!(
                    run(chunk).0,
                    expected,
                    "chunk {chunk}: each thread must add its counts to the totals, not replace \
                     them (see chapter 4, 'The tool: `Arc` and `Mutex`')"
                );
            }
        }
    }

    #[test]
    fn each_thread_locks_once_to_merge() {
        let lines: Vec<&str> = TEXT.lines().collect();
        for chunk in [1, 2, 3, 100] {
            let threads = lines.len().div_ceil(chunk);
            let distinct: usize = lines
                .chunks(chunk)
                .map(|part| {
                    let words: HashSet<&str> =
                        part.iter().flat_map(|l| l.split_whitespace()).collect();
                    words.len()
                })
                .sum();
            let (_, locks, adds) = run(chunk);
            assert_eq!(
                locks, threads,
                "chunk {chunk}: {threads} threads locked the totals {locks} times; lock once per \
                 thread, to merge its finished counts, not once per word (see chapter 4, 'What \
                 can go wrong': long critical sections)"
            );
            assert_eq!(
                adds, distinct,
                "chunk {chunk}: {adds} adds under the lock, for parts with {distinct} distinct \
                 words between them; count on the thread's own map first, then add each of its \
                 words once (see chapter 4, 'What can go wrong': long critical sections)"
            );
        }
    }
}
