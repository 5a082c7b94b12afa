//! Chapter 21, listing 3: the same split with `std` only: scoped threads, bounded by depth.
use std::num::NonZeroUsize;
use std::thread;

// ANCHOR: scoped
/// Adds up `data` on at most `2^depth` threads (the caller's included).
fn scoped_sum(data: &[i64], depth: u32) -> i64 {
    if depth == 0 || data.len() < 2 {
        return data.iter().sum();
    }
    let (left, right) = data.split_at(data.len() / 2);
    thread::scope(|s| {
        let left = s.spawn(|| scoped_sum(left, depth - 1));
        // This thread does the other half itself instead of waiting idly.
        let right = scoped_sum(right, depth - 1);
        left.join().unwrap() + right
    })
}
// ANCHOR_END: scoped

fn main() {
    // ANCHOR: depth
    let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    // Enough levels for one piece per core: 2 cores -> depth 1 -> 1 extra thread.
    let depth = cores.next_power_of_two().trailing_zeros();
    let data: Vec<i64> = (1..=1_000_000).collect();
    assert_eq!(scoped_sum(&data, depth), data.iter().sum::<i64>());
    for depth in 0..=4 {
        assert_eq!(scoped_sum(&data, depth), 500_000_500_000);
    }
    println!(
        "{cores} cores: depth {depth}, threads spawned: {}",
        (1 << depth) - 1
    );
    // ANCHOR_END: depth
}
