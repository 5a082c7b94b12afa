//! Chapter 6, listing 3: a stop flag, and `Relaxed` is enough for it.
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

fn main() {
    // ANCHOR: stop
    let stop = AtomicBool::new(false);
    let working = AtomicBool::new(false);

    let rounds = thread::scope(|s| {
        let worker = s.spawn(|| {
            let mut rounds = 0_u64;
            // Relaxed: the flag carries no other data, it only has to arrive.
            while !stop.load(Ordering::Relaxed) {
                rounds += 1; // one unit of work
                working.store(true, Ordering::Relaxed); // "my loop is running"
            }
            rounds
        });

        // Stop the worker only once its loop runs, however late it was scheduled.
        while !working.load(Ordering::Relaxed) {
            thread::yield_now();
        }
        thread::sleep(Duration::from_millis(10));
        stop.store(true, Ordering::Relaxed);
        worker.join().unwrap() // the result comes back through `join`, not the flag
    });

    println!("the worker saw the flag and stopped after {rounds} rounds of work");
    // ANCHOR_END: stop
}
