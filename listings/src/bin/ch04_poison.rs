//! Chapter 4, listing 2: a panic while holding the lock poisons the mutex; recover on purpose.
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    // ANCHOR: poison
    // Invariant: every account balance is non-negative, and the total is always 100.
    let accounts = Arc::new(Mutex::new(vec![60_i64, 40]));

    let worker = {
        let accounts = Arc::clone(&accounts);
        thread::spawn(move || {
            let mut balances = accounts.lock().unwrap();
            balances[0] -= 70; // half of a transfer: the invariant is broken...
            assert!(balances[0] >= 0, "overdrawn"); // ...and we panic before fixing it
            balances[1] += 70;
        })
    };
    assert!(worker.join().is_err(), "the worker panicked");

    // The guard was dropped during unwinding, so the mutex is unlocked, but poisoned.
    assert!(accounts.is_poisoned());
    let mut balances = match accounts.lock() {
        Ok(_) => unreachable!("a poisoned mutex reports it on every lock"),
        Err(poisoned) => {
            println!("the lock is poisoned; repairing the data");
            poisoned.into_inner() // the guard, with the half-updated data inside
        }
    };
    println!("found {balances:?}");
    balances[0] += 70; // roll the half-done transfer back
    assert_eq!(balances.iter().sum::<i64>(), 100);
    drop(balances);

    // Declare the data sound again: later `lock` calls return `Ok`.
    accounts.clear_poison();
    let balances = accounts.lock().expect("no longer poisoned");
    println!("repaired {balances:?}");
    assert_eq!(*balances, [60, 40]);
    // ANCHOR_END: poison
}
