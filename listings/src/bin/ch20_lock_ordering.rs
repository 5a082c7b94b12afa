//! Chapter 20, listing 2: lock ordering. Every thread that needs two accounts locks the
//! lower-numbered one first, so no cycle of waiting threads can form.
use std::sync::Mutex;
use std::thread;

// ANCHOR: bank
#[derive(Debug, PartialEq)]
enum TransferError {
    SameAccount,
    InsufficientFunds,
}

/// Accounts are identified by their index, which gives every pair of locks a fixed order.
struct Bank {
    accounts: Vec<Mutex<u64>>,
}

impl Bank {
    fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
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

/// A tiny deterministic pseudo-random generator (xorshift), one per thread.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn main() {
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
}
