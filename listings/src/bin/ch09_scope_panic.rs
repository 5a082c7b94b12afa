//! Chapter 9, listing 3: a panic in a scoped thread you did not join makes `scope` panic,
//! after every other thread has finished.
use std::panic;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

fn main() {
    // ANCHOR: panic
    let finished = AtomicUsize::new(0);

    let outcome = panic::catch_unwind(|| {
        thread::scope(|s| {
            for id in 0..4 {
                let finished = &finished;
                s.spawn(move || {
                    if id == 2 {
                        panic!("worker {id} failed");
                    }
                    finished.fetch_add(1, Ordering::Relaxed);
                });
            }
            // Handles were dropped: the scope joins the threads and re-raises the panic.
        });
    });

    assert!(
        outcome.is_err(),
        "scope returns normally only if no thread panicked"
    );
    // The scope waited for the three healthy workers before it panicked.
    assert_eq!(finished.load(Ordering::Relaxed), 3);
    println!("scope panicked after joining all threads; 3 workers finished");

    // Join a handle yourself and the panic arrives as an `Err` instead.
    let result = thread::scope(|s| s.spawn(|| panic!("handled")).join());
    assert!(result.is_err());
    println!("a joined thread's panic is an Err, and the scope returns normally");
    // ANCHOR_END: panic
}
