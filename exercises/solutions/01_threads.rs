//! Chapter 1, "Spawning and joining threads": add up `1..=n` on several threads.
//!
//! Graded by plain tests: the sum does not depend on how the threads interleave, so one run per
//! case decides it. The cases cover what a split gets wrong: a remainder (`n` not a multiple of
//! the thread count), more threads than numbers, and `n = 0`.
use std::num::NonZeroUsize;
use std::thread;

// ANCHOR: exercise
/// Adds up `1..=n`, giving each of `threads` threads its own part of the range.
fn parallel_sum(n: u64, threads: usize) -> u64 {
    // ANCHOR: todo("parallel_sum({n}, {threads})")
    // Split `1..=n` into `threads` parts.
    // The parts must not overlap and must together cover the range (mind the remainder). Spawn
    // one thread per part that returns the sum of its part, then join every handle and add up
    // what they return.
    let threads = threads.max(1) as u64;
    // Ceiling division, so the parts cover the whole range.
    let part = n.div_ceil(threads);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let first = t * part + 1;
            let last = ((t + 1) * part).min(n);
            // Ranges are Copy: `move` hands each thread its own bounds.
            thread::spawn(move || (first..=last).sum::<u64>())
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
    // ANCHOR_END: todo
}
// ANCHOR_END: exercise

fn main() {
    let threads = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let n = 1_000_000;
    assert_eq!(parallel_sum(n, threads), n * (n + 1) / 2);
    println!(
        "1 + 2 + ... + {n} on {threads} threads: {}",
        n * (n + 1) / 2
    );
}

#[cfg(test)]
mod tests {
    use super::parallel_sum;

    const SEE: &str = "each number of 1..=n must be added exactly once: the parts must cover the \
                       range with no gap and no overlap, whatever the remainder (see chapter 1, \
                       'Exercise')";

    #[test]
    fn the_parts_cover_the_range_exactly_once() {
        for n in [1, 2, 3, 10, 11, 97, 1000, 1001] {
            for threads in [1, 2, 3, 4, 7, 8] {
                assert_eq!(
                    parallel_sum(n, threads),
                    n * (n + 1) / 2,
                    "parallel_sum({n}, {threads}): {SEE}"
                );
            }
        }
    }

    #[test]
    fn more_threads_than_numbers() {
        for (n, threads) in [(0, 4), (1, 2), (3, 8), (5, 16)] {
            assert_eq!(
                parallel_sum(n, threads),
                n * (n + 1) / 2,
                "parallel_sum({n}, {threads}): the extra threads get empty parts; {SEE}"
            );
        }
    }
}
