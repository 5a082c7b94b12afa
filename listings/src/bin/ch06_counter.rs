//! Chapter 6, listing 1: a shared counter with no lock, and `Relaxed` is enough.
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

const THREADS: u64 = 5;
const PER_THREAD: u64 = 100_000;

fn main() {
    // ANCHOR: counter
    let counter = Arc::new(AtomicU64::new(0));

    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..PER_THREAD {
                    // One indivisible read-modify-write, whatever the ordering.
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    for handle in handles {
        handle.join().unwrap(); // join makes every increment visible to this thread
    }

    let total = counter.load(Ordering::Relaxed);
    println!("final count: {total}");
    assert_eq!(total, THREADS * PER_THREAD);
    // ANCHOR_END: counter
}
