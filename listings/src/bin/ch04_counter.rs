//! Chapter 4, listing 1: many threads, one counter, behind `Arc<Mutex<_>>`.
use std::sync::{Arc, Mutex};
use std::thread;

const THREADS: u64 = 5;
// Enough increments that the threads overlap, so that a lost update would show.
const PER_THREAD: u64 = 100_000;

fn main() {
    // ANCHOR: counter
    // One counter, owned jointly by every thread through an `Arc`.
    let counter = Arc::new(Mutex::new(0_u64));

    let handles: Vec<_> = (1..=THREADS)
        .map(|id| {
            let counter = Arc::clone(&counter); // a new handle to the same counter
            thread::spawn(move || {
                for _ in 0..PER_THREAD {
                    // `lock` returns a guard; the guard is a temporary here, so the
                    // mutex is unlocked again at the end of this statement.
                    *counter.lock().unwrap() += 1;
                }
                // Copy the value out under the lock, then print without it.
                let seen = *counter.lock().unwrap();
                println!("thread {id} done, the count was {seen}");
            })
        })
        .collect();

    for handle in handles {
        handle.join().unwrap();
    }

    let total = *counter.lock().unwrap();
    println!("final count: {total}");
    assert_eq!(total, THREADS * PER_THREAD);
    // ANCHOR_END: counter
}
