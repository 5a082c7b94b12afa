//! Chapter 10, listing 1: every thread counts in its own thread-local cell; the counts are
//! merged when the threads are joined.
use std::cell::Cell;
use std::thread;

// ANCHOR: counter
thread_local! {
    // `const { ... }`: no lazy initialisation; every thread starts at 0.
    static EVENTS: Cell<u64> = const { Cell::new(0) };
}

/// Called from deep inside the work; no lock, no atomic, no argument threaded through.
fn record_event() {
    EVENTS.set(EVENTS.get() + 1);
}

fn work(items: u64) {
    for item in 0..items {
        if item % 3 == 0 {
            record_event();
        }
    }
}
// ANCHOR_END: counter

fn main() {
    // ANCHOR: merge
    let handles: Vec<_> = (1..=4u64)
        .map(|id| {
            thread::spawn(move || {
                work(id * 300);
                let mine = EVENTS.take(); // read this thread's count and reset it to 0
                println!("thread {id} recorded {mine} events");
                mine
            })
        })
        .collect();

    work(30); // main has its own EVENTS, untouched by the workers
    let in_main = EVENTS.get();

    let from_workers: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(in_main, 10);
    assert_eq!(from_workers, 100 + 200 + 300 + 400);
    println!("main recorded {in_main}, workers {from_workers}");
    // ANCHOR_END: merge
}
