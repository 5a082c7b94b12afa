//! Chapter 6 exercise: record the largest value any thread has seen, with compare_exchange.
//! Run it with `cargo run -p listings --example ch06_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch06_solution.rs`.
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

// ANCHOR: exercise
/// Raises `max` to `value` if `value` is larger, and returns the previous maximum.
/// (This is what `AtomicU64::fetch_max` does; write it with a `compare_exchange_weak` loop.)
fn record_max(max: &AtomicU64, value: u64) -> u64 {
    todo!("raise {max:?} to {value}")
}

/// A cheap, deterministic stream of "latencies" for thread `t`.
fn samples(t: u64) -> impl Iterator<Item = u64> {
    (0..10_000_u64).map(move |i| (i * 7_919 + t * 104_729) % 1_000_003)
}

fn main() {
    let max = AtomicU64::new(0);
    thread::scope(|s| {
        for t in 0..4 {
            let max = &max;
            s.spawn(move || samples(t).for_each(|v| _ = record_max(max, v)));
        }
    });
    let expected = (0..4).flat_map(samples).max().unwrap();
    assert_eq!(max.load(Ordering::Relaxed), expected);
    assert_eq!(
        record_max(&max, 0),
        expected,
        "returns the previous maximum"
    );
    println!("the maximum is {expected}");
}
// ANCHOR_END: exercise
