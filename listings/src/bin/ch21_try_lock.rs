//! Chapter 21, listing 4: `try_lock` with back-off. Take the first lock, *try* the second;
//! if it is busy, give the first one back and try again a little later.
use crossbeam::utils::Backoff;
use std::sync::{Mutex, TryLockError};
use std::thread;

// ANCHOR: transfer
/// Moves `amount` between two distinct accounts, in whatever order the caller names them.
/// Returns how many times it had to back off.
pub fn transfer(from: &Mutex<u64>, to: &Mutex<u64>, amount: u64) -> usize {
    // With one mutex, `try_lock` below would fail every time, forever.
    assert!(!std::ptr::eq(from, to), "transfer to the same account");
    let backoff = Backoff::new();
    let mut retries = 0;
    loop {
        let mut source = from.lock().unwrap();
        match to.try_lock() {
            Ok(mut target) => {
                *source -= amount;
                *target += amount;
                return retries;
            }
            Err(TryLockError::WouldBlock) => {
                // Someone holds `to`, and may be waiting for `from`: let go of it.
                drop(source);
                retries += 1;
                backoff.snooze();
            }
            Err(TryLockError::Poisoned(e)) => panic!("a thread panicked mid-transfer: {e}"),
        }
    }
}
// ANCHOR_END: transfer

fn main() {
    // ANCHOR: storm
    const ROUNDS: u64 = 10_000;
    let a = Mutex::new(1_000_000);
    let b = Mutex::new(1_000_000);
    // The lock orders of the deadlock listing: a then b, and b then a.
    let (retries_ab, retries_ba) = thread::scope(|s| {
        let ab = s.spawn(|| (0..ROUNDS).map(|_| transfer(&a, &b, 1)).sum::<usize>());
        let ba = s.spawn(|| (0..ROUNDS).map(|_| transfer(&b, &a, 1)).sum::<usize>());
        (ab.join().unwrap(), ba.join().unwrap())
    });
    println!("backed off {retries_ab} + {retries_ba} times");
    let (a, b) = (a.into_inner().unwrap(), b.into_inner().unwrap());
    assert_eq!((a, b), (1_000_000, 1_000_000));
    println!("{} transfers each way; balances {a} and {b}", ROUNDS);
    // ANCHOR_END: storm
}
