//! Chapter 6 exercise, solved: record the largest value any thread has seen.
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

// ANCHOR: solution
/// Raises `max` to `value` if `value` is larger, and returns the previous maximum.
fn record_max(max: &AtomicU64, value: u64) -> u64 {
    let mut current = max.load(Ordering::Relaxed);
    while current < value {
        match max.compare_exchange_weak(current, value, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(previous) => return previous,
            Err(actual) => current = actual, // changed under us (or a spurious failure): retry
        }
    }
    current // already at least `value`: nothing to write
}
// ANCHOR_END: solution

/// A cheap, deterministic stream of "latencies" for thread `t`.
fn samples(t: u64) -> impl Iterator<Item = u64> {
    (0..10_000_u64).map(move |i| (i * 7_919 + t * 104_729) % 1_000_003)
}

fn main() {
    let max = AtomicU64::new(0);
    let reference = AtomicU64::new(0);
    thread::scope(|s| {
        for t in 0..4 {
            let (max, reference) = (&max, &reference);
            s.spawn(move || {
                for v in samples(t) {
                    record_max(max, v);
                    reference.fetch_max(v, Ordering::Relaxed);
                }
            });
        }
    });
    let expected = (0..4).flat_map(samples).max().unwrap();
    assert_eq!(max.load(Ordering::Relaxed), expected);
    assert_eq!(
        reference.load(Ordering::Relaxed),
        expected,
        "agrees with fetch_max"
    );
    assert_eq!(
        record_max(&max, 0),
        expected,
        "returns the previous maximum"
    );
    assert_eq!(record_max(&max, expected + 1), expected);
    assert_eq!(max.load(Ordering::Relaxed), expected + 1);
    println!("the maximum is {expected}");
}
