//! Chapter 6, "Atomics and memory ordering": record the largest value any thread has seen, with
//! a `compare_exchange_weak` loop.
//!
//! Graded by loom. A lost update needs one thread to act between another's read and its write,
//! which a test run rarely hits on a busy machine and never proves absent. So the tests run
//! `record_max` itself under loom's model checker: `mod sync` below hands the function loom's
//! atomics when compiled for `cargo test`, and `loom::model` runs the test in every interleaving
//! of its two threads. A read followed by a store, or an exchange that gives up after one
//! failure, loses the larger value in one of them, and the test names it.
use std::thread;

/// The atomics `record_max` uses: std's in the program, loom's in the tests, so that the tests
/// check every interleaving of the code you write, not just the ones a run happens to hit.
mod sync {
    #[cfg(test)]
    pub use loom::sync::atomic::{AtomicU64, Ordering};
    #[cfg(not(test))]
    pub use std::sync::atomic::{AtomicU64, Ordering};
}
use sync::{AtomicU64, Ordering};

// ANCHOR: exercise
/// Raises `max` to `value` if `value` is larger, and returns the previous maximum.
fn record_max(max: &AtomicU64, value: u64) -> u64 {
    // ANCHOR: todo("raise {max:?} to {value}")
    // Write what `AtomicU64::fetch_max` does, with a `compare_exchange_weak` loop.
    // Read the current value; while it is below `value`, try to exchange it for `value`; if
    // another thread got in between, retry with the value it wrote.
    let mut current = max.load(Ordering::Relaxed);
    while current < value {
        match max.compare_exchange_weak(current, value, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(previous) => return previous,
            Err(actual) => current = actual, // changed under us (or a spurious failure): retry
        }
    }
    current // already at least `value`: nothing to write
    // ANCHOR_END: todo
}
// ANCHOR_END: exercise

fn main() {
    // A cheap, deterministic stream of "latencies" per thread.
    let samples = |t: u64| (0..10_000_u64).map(move |i| (i * 7_919 + t * 104_729) % 1_000_003);
    let max = AtomicU64::new(0);
    thread::scope(|s| {
        for t in 0..4 {
            let max = &max;
            s.spawn(move || samples(t).for_each(|v| _ = record_max(max, v)));
        }
    });
    let expected = (0..4).flat_map(samples).max().unwrap();
    assert_eq!(max.load(Ordering::Relaxed), expected);
    println!("the maximum is {expected}");
}

#[cfg(test)]
mod tests {
    use super::record_max;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicU64, Ordering};

    const SEE: &str = "see chapter 6, 'Conditional updates: `compare_exchange` and `try_update`'";

    #[test]
    fn returns_the_previous_maximum() {
        loom::model(|| {
            let max = AtomicU64::new(5);
            assert_eq!(
                record_max(&max, 9),
                5,
                "raising 5 to 9 returns 5, the previous maximum ({SEE})"
            );
            assert_eq!(record_max(&max, 7), 9, "a smaller value leaves 9 ({SEE})");
            assert_eq!(max.load(Ordering::Relaxed), 9);
        });
    }

    #[test]
    fn two_threads_never_lose_the_larger_value() {
        loom::model(|| {
            let max = Arc::new(AtomicU64::new(0));
            let threads = [1, 2].map(|value| {
                let max = Arc::clone(&max);
                loom::thread::spawn(move || record_max(&max, value))
            });
            let [saw_by_1, saw_by_2] = threads.map(|t| t.join().unwrap());
            assert_eq!(
                max.load(Ordering::Relaxed),
                2,
                "in one interleaving the larger value was lost: a read and a later write are \
                 two steps, and another thread can write in between ({SEE})"
            );
            // One of the two went first and saw 0; the other saw the first one's value.
            assert!(
                (saw_by_1, saw_by_2) == (0, 1) || (saw_by_1, saw_by_2) == (2, 0),
                "recording 1 and 2 returned {saw_by_1} and {saw_by_2}: each call returns the \
                 maximum it replaced, or the larger one it found ({SEE})"
            );
        });
    }
}
