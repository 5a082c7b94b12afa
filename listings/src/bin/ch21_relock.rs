//! Chapter 21, listing 3: a thread cannot lock a mutex it already holds.
use std::sync::{Mutex, TryLockError};

fn main() {
    // ANCHOR: relock
    let account = Mutex::new(500);
    let first = account.lock().unwrap();
    // `account.lock()` here would never return (or panic): std does not say which.
    // `try_lock` asks without waiting, and the answer is no.
    match account.try_lock() {
        Err(TryLockError::WouldBlock) => println!("second lock on the same thread: WouldBlock"),
        Ok(_) => panic!("locked the same mutex twice"),
        Err(TryLockError::Poisoned(_)) => panic!("poisoned"),
    }
    drop(first);
    assert!(account.try_lock().is_ok());
    println!("after dropping the first guard: Ok");
    // ANCHOR_END: relock
}
