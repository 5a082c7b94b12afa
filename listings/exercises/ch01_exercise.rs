//! Chapter 1 exercise: add up 1..=n on as many threads as the machine has cores.
//! Run it with `cargo run -p listings --example ch01_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch01_solution.rs`.
use std::num::NonZeroUsize;
use std::thread;

// ANCHOR: exercise
/// Adds up `1..=n`, splitting the range into one part per thread.
fn parallel_sum(n: u64, threads: usize) -> u64 {
    // 1. Split 1..=n into `threads` disjoint parts that cover it (mind the remainder).
    // 2. Spawn one thread per part; each returns the sum of its part.
    // 3. Join every handle and add up what they return.
    todo!("parallel_sum({n}, {threads})")
}

fn main() {
    let threads = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let n = 10_000_000;
    assert_eq!(parallel_sum(n, threads), n * (n + 1) / 2);
    assert_eq!(parallel_sum(10, 4), 55);
    assert_eq!(parallel_sum(3, 8), 6, "more threads than numbers");
    println!("all sums match");
}
// ANCHOR_END: exercise
