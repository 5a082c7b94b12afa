//! Chapter 11, timeline: two waiters sleep on a condvar until the notifier sets a flag; a late
//! waiter, started after the flag was set, does not sleep at all. One line of output per event,
//! for `cargo xtask diagrams` to draw.
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

// ANCHOR: wait
/// Waits until the flag is set. Returns whether it had to sleep.
fn wait_until_ready(name: &str, pair: &(Mutex<bool>, Condvar)) -> bool {
    let (ready, changed) = pair;
    let mut ready = ready.lock().unwrap();
    if *ready {
        println!("{name}: found ready=true, did not wait");
        return false;
    }
    // Printed while holding the lock: the notifier cannot set the flag before this line.
    println!("{name}: waiting");
    while !*ready {
        ready = changed.wait(ready).unwrap(); // unlocks, sleeps, locks again
    }
    println!("{name}: woke, ready=true");
    true
}
// ANCHOR_END: wait

fn main() {
    // ANCHOR: main
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let waiters: Vec<_> = (0..2)
        .map(|id| {
            let pair = Arc::clone(&pair);
            thread::spawn(move || wait_until_ready(&format!("waiter {id}"), &pair))
        })
        .collect();

    // The notifier (main) does some work first. Nothing depends on how long it takes: a
    // waiter that comes after the flag is set finds it set.
    thread::sleep(Duration::from_millis(10));
    let (ready, changed) = &*pair;
    let mut guard = ready.lock().unwrap();
    *guard = true;
    // Still under the lock: no waiter can see the flag before this line is printed.
    println!("notifier: set ready=true, notify_all");
    drop(guard);
    changed.notify_all();
    for waiter in waiters {
        waiter.join().unwrap();
    }

    // Started after the flag was set: it checks the state first, and never sleeps.
    let late = thread::spawn(move || wait_until_ready("late waiter", &pair));
    assert!(
        !late.join().unwrap(),
        "the flag remembers what notify_all could not"
    );
    // ANCHOR_END: main
}
