//! Chapter 21: preventing deadlocks.

use crate::support::{listing, within};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

// The listings themselves, so that tests can hold a lock while a listing's code runs.
#[allow(dead_code)] // the listings' `main`s and helpers
#[path = "../../src/bin/ch21_lock_ordering.rs"]
mod lock_ordering;
#[allow(dead_code)]
#[path = "../../src/bin/ch21_try_lock.rs"]
mod try_lock;

/// How long a test waits for another thread before it declares it stuck: 10 s (shorter under
/// `cargo xtask mutants`, see `support::capped`). Whole tests get twice that.
fn wait_limit() -> Duration {
    crate::support::capped(Duration::from_secs(10))
}

/// Waits until `mutex` is locked by some other thread; panics with `why` after `wait_limit()`.
fn wait_until_locked<T>(mutex: &Mutex<T>, why: &str) {
    let (start, limit) = (Instant::now(), wait_limit());
    while !matches!(mutex.try_lock(), Err(TryLockError::WouldBlock)) {
        assert!(start.elapsed() < limit, "{why}");
        thread::yield_now();
    }
}

#[test]
fn opposite_lock_orders_deadlock_and_the_watchdog_reports_it() {
    let run = listing!("ch21_deadlock");
    // Neither transfer finished, and each thread holds one of the two locks.
    assert_eq!(
        run.lines(),
        [
            "deadlock: no transfer finished within 200ms",
            "each thread holds one of the two locks"
        ]
    );
}

#[test]
fn lock_ordering_conserves_money_under_a_transfer_storm() {
    let run = listing!("ch21_lock_ordering");
    assert_eq!(run.lines().len(), 3, "{}", run.stdout);
    // "20000 transfers: <ok> done, <same> to the same account, <refused> refused"
    let numbers: Vec<usize> = run.lines()[0]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let [total, ok, same, refused] = numbers[..] else {
        panic!("unexpected summary: {}", run.stdout)
    };
    assert_eq!(total, 20_000);
    assert_eq!(ok + same + refused, total);
    // Which accounts each transfer names comes from each thread's own fixed pseudo-random
    // sequence, so the number of same-account transfers is the same on every run; which
    // of the others are refused for lack of funds depends on the interleaving.
    assert_eq!(same, 4_939, "{}", run.stdout);
    assert_eq!(run.lines()[1], "total before: 4000, after: 4000");
    assert_eq!(
        run.lines()[2],
        "by address: 10000 transfers each way; balances 1000000 and 1000000"
    );
}

#[test]
fn bank_transfer_locks_the_lower_numbered_account_first() {
    // The test holds account 1. A transfer from 1 to 0 must take account 0 first and then
    // wait for account 1, holding 0: if it took its `from` account first, it would wait for
    // account 1 holding nothing, and account 0 would never be locked.
    within(2 * wait_limit(), "transfer(1, 0)", || {
        let bank = Arc::new(lock_ordering::Bank {
            accounts: vec![Mutex::new(100), Mutex::new(100)],
        });
        let held = bank.accounts[1].lock().unwrap();
        let transfer = thread::spawn({
            let bank = Arc::clone(&bank);
            move || bank.transfer(1, 0, 10)
        });
        wait_until_locked(
            &bank.accounts[0],
            "transfer(1, 0) never locked account 0: it does not take the lower index first",
        );
        drop(held);
        assert_eq!(transfer.join().unwrap(), Ok(()));
        let balances: Vec<u64> = bank.accounts.iter().map(|a| *a.lock().unwrap()).collect();
        assert_eq!(balances, [110, 90]);
    });
}

#[test]
fn bank_refuses_a_transfer_to_the_same_account() {
    let bank = lock_ordering::Bank {
        accounts: vec![Mutex::new(100)],
    };
    let result = within(2 * wait_limit(), "transfer(0, 0)", move || {
        bank.transfer(0, 0, 10)
    });
    assert_eq!(result, Err(lock_ordering::TransferError::SameAccount));
}

#[test]
fn lock_both_takes_the_lower_address_first() {
    // As above, with two mutexes ranked by address: the test holds the higher one.
    within(2 * wait_limit(), "lock_both", || {
        let pair = Arc::new([Mutex::new(0u64), Mutex::new(0u64)]);
        let held = pair[1].lock().unwrap();
        let locker = thread::spawn({
            let pair = Arc::clone(&pair);
            move || {
                let (mut higher, mut lower) = lock_ordering::lock_both(&pair[1], &pair[0]);
                *higher += 1;
                *lower += 2;
            }
        });
        wait_until_locked(
            &pair[0],
            "lock_both(higher, lower) never locked the lower address first",
        );
        drop(held);
        locker.join().unwrap();
        assert_eq!((*pair[0].lock().unwrap(), *pair[1].lock().unwrap()), (2, 1));
    });
}

#[test]
fn relocking_a_held_mutex_would_block() {
    let run = listing!("ch21_relock");
    assert_eq!(
        run.lines(),
        [
            "second lock on the same thread: WouldBlock",
            "after dropping the first guard: Ok"
        ]
    );
}

#[test]
fn try_lock_transfer_lets_go_of_its_first_lock_when_the_second_is_busy() {
    // The test plays the other thread of the deadlock: it holds `b`, lets the transfer
    // a -> b start, and then asks for `a` with a blocking `lock`. That returns only if the
    // transfer, finding `b` busy, gives `a` back. (The 20 ms give the transfer time to take
    // `a` first; if it has not, the test passes anyway, so the sleep only decides whether
    // this run tests the back-off, never whether a correct transfer passes.)
    within(2 * wait_limit(), "transfer(a, b)", || {
        let (a, b) = (Arc::new(Mutex::new(100)), Arc::new(Mutex::new(100)));
        let started = Arc::new(AtomicBool::new(false));
        let held_b = b.lock().unwrap();
        let transfer = thread::spawn({
            let (a, b, started) = (Arc::clone(&a), Arc::clone(&b), Arc::clone(&started));
            move || {
                started.store(true, Ordering::SeqCst);
                try_lock::transfer(&a, &b, 10)
            }
        });
        while !started.load(Ordering::SeqCst) {
            thread::yield_now();
        }
        thread::sleep(Duration::from_millis(20));
        let held_a = a.lock().unwrap();
        drop((held_a, held_b));
        transfer.join().unwrap();
        assert_eq!((*a.lock().unwrap(), *b.lock().unwrap()), (90, 110));
    });
}

#[test]
fn try_lock_with_back_off_finishes_both_directions() {
    let run = listing!("ch21_try_lock");
    assert!(run.lines()[0].starts_with("backed off "), "{}", run.stdout);
    assert_eq!(
        run.lines()[1],
        "10000 transfers each way; balances 1000000 and 1000000"
    );
}

#[test]
fn timed_lock_gives_up_and_both_transfers_complete() {
    let run = listing!("ch21_timed_lock");
    // Both threads held one lock and waited for the other: at least one timed out.
    let gave_up = run
        .lines()
        .iter()
        .filter(|l| l.ends_with("gave up after 50ms"))
        .count();
    assert!(gave_up >= 1, "{}", run.stdout);
    for name in ["a -> b", "b -> a"] {
        let done: Vec<_> = run
            .lines()
            .into_iter()
            .filter(|l| l.starts_with(&format!("{name}: done")))
            .collect();
        assert_eq!(done.len(), 1, "{}", run.stdout);
    }
    // Both cannot have succeeded at the first attempt: that would need each to release first.
    let first_try = run
        .lines()
        .iter()
        .filter(|l| l.ends_with("done at the first attempt"))
        .count();
    assert!(first_try <= 1, "{}", run.stdout);
    assert_eq!(run.lines().last(), Some(&"both transfers done, total 200"));
}
