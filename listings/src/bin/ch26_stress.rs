//! Chapter 26, listing 3: a stress run repeats a small concurrent scenario many times.
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

// ANCHOR: stress
/// Runs `scenario(threads)` for `rounds` rounds, with 2, 3 and 4 threads in turn, and returns
/// how many rounds broke the invariant the scenario checks (`false` = broken).
fn stress(rounds: usize, scenario: impl Fn(u64) -> bool) -> usize {
    (0..rounds)
        .filter(|round| !scenario(2 + (*round % 3) as u64))
        .count()
}

/// Every thread adds 1, `per_thread` times. The invariant: no increment is lost.
fn counter_scenario(threads: u64, increment: fn(&AtomicU64)) -> bool {
    let per_thread = 2_000;
    let counter = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| (0..per_thread).for_each(|_| increment(&counter)));
        }
    });
    counter.into_inner() == threads * per_thread
}

fn fetch_add(counter: &AtomicU64) {
    counter.fetch_add(1, Relaxed);
}

/// The bug: read, then write back. Another thread's increment in between is overwritten.
fn load_then_store(counter: &AtomicU64) {
    let seen = counter.load(Relaxed);
    counter.store(seen + 1, Relaxed);
}
// ANCHOR_END: stress

fn main() {
    // ANCHOR: run
    let rounds = 200;
    let broken = stress(rounds, |threads| counter_scenario(threads, fetch_add));
    assert_eq!(broken, 0, "fetch_add lost increments");
    println!("fetch_add: {broken} of {rounds} rounds lost increments");

    // The buggy version: how often the bug shows depends on the machine and its load.
    let broken = stress(rounds, |threads| counter_scenario(threads, load_then_store));
    println!("load_then_store: {broken} of {rounds} rounds lost increments");
    // ANCHOR_END: run
}
