//! Chapter 11, listing 3: `thread::park` and `unpark`, the primitive underneath.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

fn main() {
    // ANCHOR: token
    // An unpark that comes before the park is not lost: it leaves a token behind,
    // and the next park consumes it and returns at once.
    thread::current().unpark();
    thread::park();
    println!("park returned at once: the earlier unpark left a token");
    // ANCHOR_END: token

    // ANCHOR: flag
    let ready = Arc::new(AtomicBool::new(false));
    let waiter = {
        let ready = Arc::clone(&ready);
        thread::spawn(move || {
            // Park returns on an unpark, on a leftover token, or for no reason at all:
            // the flag, not the wake-up, says whether to go on.
            while !ready.load(Ordering::Acquire) {
                thread::park();
            }
            println!("waiter: saw the flag");
        })
    };

    ready.store(true, Ordering::Release); // first the state...
    waiter.thread().unpark(); // ...then the wake-up, which may come before the waiter parks
    waiter.join().unwrap();
    // ANCHOR_END: flag
}
