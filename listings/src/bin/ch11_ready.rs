//! Chapter 11, listing 1: a "ready" flag guarded by a mutex, waited for with a condvar.
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn main() {
    // ANCHOR: ready
    // The state (is it ready?) and the condvar that announces changes to it, side by side.
    let pair = Arc::new((Mutex::new(false), Condvar::new()));

    let waiter = {
        let pair = Arc::clone(&pair);
        thread::spawn(move || {
            let (ready, changed) = &*pair;
            // Sleeps while the predicate is true; re-checks it after every wake-up.
            let guard = changed.wait_while(ready.lock().unwrap(), |ready| !*ready);
            assert!(*guard.unwrap());
            println!("waiter: the flag is set, proceeding");
        })
    };

    let (ready, changed) = &*pair;
    *ready.lock().unwrap() = true; // change the state under the lock...
    changed.notify_one(); // ...then tell a waiter to look at it
    waiter.join().unwrap();
    // ANCHOR_END: ready

    // ANCHOR: late
    // A waiter that arrives after the notification does not wait at all: it checks the
    // state first, and the state remembers what the notification could not.
    let late = thread::spawn(move || {
        let (ready, changed) = &*pair;
        let guard = changed.wait_while(ready.lock().unwrap(), |ready| !*ready);
        assert!(*guard.unwrap());
        println!("late waiter: the flag was already set");
    });
    late.join().unwrap();
    // ANCHOR_END: late
}
