//! Chapter 21, listing 2: lock ordering. Every thread that needs two accounts locks the
//! lower-numbered one first, so no cycle of waiting threads can form.
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

// ANCHOR: bank
#[derive(Debug, PartialEq)]
pub enum TransferError {
    SameAccount,
    InsufficientFunds,
}

/// Accounts are identified by their index, which gives every pair of locks a fixed order.
pub struct Bank {
    pub accounts: Vec<Mutex<u64>>,
}

impl Bank {
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        // Locking the same mutex twice on one thread never succeeds: with std's
        // Mutex it deadlocks or panics. A transfer to oneself must not get that far.
        if from == to {
            return Err(TransferError::SameAccount);
        }
        let (low, high) = (from.min(to), from.max(to));
        let mut low_guard = self.accounts[low].lock().unwrap();
        let mut high_guard = self.accounts[high].lock().unwrap();
        let (source, target) = if from == low {
            (&mut *low_guard, &mut *high_guard)
        } else {
            (&mut *high_guard, &mut *low_guard)
        };
        if *source < amount {
            return Err(TransferError::InsufficientFunds);
        }
        *source -= amount;
        *target += amount;
        Ok(())
    }

    /// The sum of all balances at one instant: every account is locked, in index order.
    fn total(&self) -> u64 {
        let guards: Vec<_> = self.accounts.iter().map(|a| a.lock().unwrap()).collect();
        guards.iter().map(|g| **g).sum()
    }
}
// ANCHOR_END: bank

// ANCHOR: by_address
/// Locks two distinct mutexes in the order of their addresses, whatever order the caller
/// names them in, and returns the guards in the caller's order. A `Mutex` cannot move while
/// it is borrowed, so its address is a rank that stays put for as long as the call lasts.
pub fn lock_both<'a, T>(
    x: &'a Mutex<T>,
    y: &'a Mutex<T>,
) -> (MutexGuard<'a, T>, MutexGuard<'a, T>) {
    assert!(!std::ptr::eq(x, y), "the same mutex twice");
    let x_first = (x as *const Mutex<T>).addr() < (y as *const Mutex<T>).addr();
    if x_first {
        let gx = x.lock().unwrap();
        (gx, y.lock().unwrap())
    } else {
        let gy = y.lock().unwrap();
        (x.lock().unwrap(), gy)
    }
}
// ANCHOR_END: by_address

/// A tiny deterministic pseudo-random generator (xorshift), one per thread.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn main() {
    // If the locking below is wrong, the threads deadlock and this program would hang:
    // a watchdog turns that into a failure with a message.
    thread::spawn(|| {
        thread::sleep(Duration::from_secs(10));
        eprintln!("deadlock: the transfers did not finish within 10 s");
        std::process::exit(1);
    });

    // ANCHOR: storm
    const ACCOUNTS: usize = 4;
    const THREADS: u64 = 4;
    const TRANSFERS: usize = 5_000;
    let bank = Bank {
        accounts: (0..ACCOUNTS).map(|_| Mutex::new(1_000)).collect(),
    };
    let start_total = bank.total();

    let results: Vec<[usize; 3]> = thread::scope(|s| {
        // An auditor checks the invariant while the storm is going on.
        s.spawn(|| {
            for _ in 0..200 {
                assert_eq!(bank.total(), start_total, "money appeared or vanished");
            }
        });
        let workers: Vec<_> = (1..=THREADS)
            .map(|t| {
                let bank = &bank;
                s.spawn(move || {
                    let mut rng = t.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    let mut outcomes = [0; 3]; // ok, same account, insufficient funds
                    for _ in 0..TRANSFERS {
                        let from = next(&mut rng) as usize % ACCOUNTS;
                        let to = next(&mut rng) as usize % ACCOUNTS;
                        let amount = next(&mut rng) % 300;
                        match bank.transfer(from, to, amount) {
                            Ok(()) => outcomes[0] += 1,
                            Err(TransferError::SameAccount) => outcomes[1] += 1,
                            Err(TransferError::InsufficientFunds) => outcomes[2] += 1,
                        }
                    }
                    outcomes
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });

    let [ok, same, poor] = results.iter().fold([0; 3], |acc, r| {
        [acc[0] + r[0], acc[1] + r[1], acc[2] + r[2]]
    });
    assert_eq!(ok + same + poor, THREADS as usize * TRANSFERS);
    assert!(same > 0, "the storm includes transfers to the same account");
    assert_eq!(bank.total(), start_total);
    println!(
        "{} transfers: {ok} done, {same} to the same account, {poor} refused",
        ok + same + poor
    );
    println!("total before: {start_total}, after: {}", bank.total());
    // ANCHOR_END: storm

    // ANCHOR: address_storm
    // Two threads lock the same two mutexes, naming them in opposite orders.
    let (a, b) = (Mutex::new(1_000_000u64), Mutex::new(1_000_000u64));
    thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..10_000 {
                let (mut from, mut to) = lock_both(&a, &b);
                *from -= 1;
                *to += 1;
            }
        });
        s.spawn(|| {
            for _ in 0..10_000 {
                let (mut from, mut to) = lock_both(&b, &a);
                *from -= 1;
                *to += 1;
            }
        });
    });
    let (a, b) = (a.into_inner().unwrap(), b.into_inner().unwrap());
    assert_eq!((a, b), (1_000_000, 1_000_000));
    println!("by address: 10000 transfers each way; balances {a} and {b}");
    // ANCHOR_END: address_storm
}
