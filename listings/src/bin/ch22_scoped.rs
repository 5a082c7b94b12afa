//! Chapter 22, listing 3: the same split with `std` only: scoped threads, bounded by depth.
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// How many threads `scoped_sum` started, counted by the threads themselves.
static SPAWNED: AtomicUsize = AtomicUsize::new(0);

// ANCHOR: scoped
/// Adds up `data` on at most `2^depth` threads (the caller's included).
pub fn scoped_sum(data: &[i64], depth: u32) -> i64 {
    if depth == 0 || data.len() < 2 {
        return data.iter().sum();
    }
    let (left, right) = data.split_at(data.len() / 2);
    thread::scope(|s| {
        let left = s.spawn(|| {
            SPAWNED.fetch_add(1, Ordering::Relaxed);
            scoped_sum(left, depth - 1)
        });
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
    let spawned = SPAWNED.swap(0, Ordering::Relaxed);
    println!("{cores} cores: depth {depth}, threads spawned: {spawned}");
    // ANCHOR_END: depth

    // Each depth: the same sum, and the threads that really ran.
    for depth in 0..=4 {
        assert_eq!(scoped_sum(&data, depth), 500_000_500_000);
        let spawned = SPAWNED.swap(0, Ordering::Relaxed);
        println!("depth {depth}: threads spawned: {spawned}");
    }
}
