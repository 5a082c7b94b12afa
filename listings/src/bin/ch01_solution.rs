//! Chapter 1 exercise, solved: add up 1..=n on as many threads as the machine has cores.
use std::num::NonZeroUsize;
use std::thread;

// ANCHOR: solution
/// Adds up `1..=n`, splitting the range into one part per thread.
fn parallel_sum(n: u64, threads: usize) -> u64 {
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
}
// ANCHOR_END: solution

fn main() {
    let threads = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let n = 10_000_000;
    assert_eq!(parallel_sum(n, threads), n * (n + 1) / 2);
    assert_eq!(parallel_sum(10, 4), 55);
    assert_eq!(parallel_sum(3, 8), 6, "more threads than numbers");
    println!("all sums match");
}
