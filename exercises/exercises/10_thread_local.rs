//! Chapter 10, "Thread-local storage": give every thread a small id of its own.
//!
//! Graded by plain tests over many runs under a start barrier. Twenty batches of eight threads
//! are released together, each thread asks for its id several times, and the ids must be the
//! same within a thread, distinct between threads, and handed out in order with no gaps: 0 to
//! the test's own thread, then 1 to 8 to the first batch, 9 to 16 to the second, and so on. The
//! counter is global, so a single test asks for ids (another test would take numbers too).
// TODO: You need `std::sync::atomic::{AtomicUsize, Ordering}`.
use std::thread;

// ANCHOR: exercise
// TODO: Declare a global `AtomicUsize` that hands out numbers, and a `thread_local!` id.
// The thread-local's lazy initialiser takes the next number: it runs once per thread, on the
// thread's first use.

/// A small number unique to the calling thread: 0 for the first thread that asks, 1 for the
/// second, and so on. A thread always gets the same number.
fn small_id() -> usize {
    // TODO: Read the calling thread's id from the thread-local.
    todo!("small_id for {:?}", thread::current().id())
}
// ANCHOR_END: exercise

fn main() {
    let main_id = small_id();
    let mut ids: Vec<usize> = thread::scope(|s| {
        let handles: Vec<_> = (0..8).map(|_| s.spawn(small_id)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    ids.sort_unstable();
    assert_eq!(ids, (1..=8).collect::<Vec<_>>());
    println!("main has id {main_id}; the 8 workers have ids {ids:?}");
}

#[cfg(test)]
mod tests {
    use super::small_id;
    use std::sync::Barrier;
    use std::thread;

    #[test]
    fn ids_are_stable_distinct_and_small() {
        let mine = small_id();
        assert_eq!(
            mine, 0,
            "the first thread that asks gets 0: start the global counter at 0 (see chapter 10, \
             'The tool: `thread_local!`')"
        );
        assert_eq!(
            small_id(),
            mine,
            "a second call on the same thread returned another id: take a number once per \
             thread, in the thread-local's lazy initialiser (see chapter 10, 'The tool: \
             `thread_local!`')"
        );
        for batch in 0..20 {
            let start = Barrier::new(8);
            let mut ids: Vec<usize> = thread::scope(|s| {
                let handles: Vec<_> = (0..8)
                    .map(|_| {
                        s.spawn(|| {
                            start.wait(); // all eight ask at once
                            let id = small_id();
                            for _ in 0..3 {
                                assert_eq!(
                                    small_id(),
                                    id,
                                    "one thread, two ids: take a number once per thread, in \
                                     the thread-local's lazy initialiser (see chapter 10, 'The \
                                     tool: `thread_local!`')"
                                );
                            }
                            id
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            ids.sort_unstable();
            let expected: Vec<usize> = (1 + 8 * batch..=8 + 8 * batch).collect();
            assert_eq!(
                ids, expected,
                "batch {batch} of 8 threads got these ids: they must be distinct, and follow on \
                 from the ids handed out before, so the counter they come from must be one for \
                 all threads, not one per thread (see chapter 10, 'The tool: `thread_local!`')"
            );
        }
    }
}
