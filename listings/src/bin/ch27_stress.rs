//! Chapter 27, listing 3: a stress run repeats a small concurrent scenario many times.
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

// ANCHOR: stress
/// Runs `scenario(threads)` for up to `rounds` rounds, with 2, 3 and 4 threads in turn, and
/// returns the first round (counting from 1) that broke the invariant the scenario checks
/// (`false` = broken), or `None` if every round kept it.
fn first_broken_round(rounds: usize, scenario: impl Fn(u64) -> bool) -> Option<usize> {
    (1..=rounds).find(|round| !scenario(2 + (*round % 3) as u64))
}

/// Every thread adds 1, `PER_THREAD` times. The invariant: no increment is lost.
fn counter_scenario(threads: u64, increment: fn(&AtomicU64)) -> bool {
    const PER_THREAD: u64 = 100_000;
    let counter = AtomicU64::new(0);
    // Without this, each thread may be done before the next one has even started.
    let start = Barrier::new(threads as usize);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                start.wait();
                (0..PER_THREAD).for_each(|_| increment(&counter));
            });
        }
    });
    counter.into_inner() == threads * PER_THREAD
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
    // First show that this harness, on this machine, catches the known bug at all.
    let most = 500;
    let found = first_broken_round(most, |threads| counter_scenario(threads, load_then_store))
        .unwrap_or_else(|| panic!("{most} rounds never lost an increment: the harness is blind"));
    println!("load_then_store: lost increments in round {found}");

    // Only then does a clean run of the correct version mean something.
    let rounds = 30;
    let broken = first_broken_round(rounds, |threads| counter_scenario(threads, fetch_add));
    assert_eq!(broken, None, "fetch_add lost increments");
    println!("fetch_add: no lost increment in {rounds} rounds");
    // ANCHOR_END: run
}
