//! Chapter 21, listing 5: a timed lock (parking_lot's `try_lock_for`) turns a deadlock into
//! an error the program can handle.
use parking_lot::Mutex;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Barrier;
use std::thread;
use std::time::Duration;

// ANCHOR: timed
#[derive(Debug)]
struct TimedOut;

/// Waits at most `patience` for each lock. On a timeout the guard already taken is dropped
/// on the way out, so nobody is left waiting for this thread.
fn transfer_timed(
    from: &Mutex<u64>,
    to: &Mutex<u64>,
    amount: u64,
    patience: Duration,
) -> Result<(), TimedOut> {
    assert!(!std::ptr::eq(from, to), "transfer to the same account");
    let mut source = from.try_lock_for(patience).ok_or(TimedOut)?;
    let mut target = to.try_lock_for(patience).ok_or(TimedOut)?;
    *source -= amount;
    *target += amount;
    Ok(())
}
// ANCHOR_END: timed

// ANCHOR: jitter
/// A random duration below `max`. (The standard library seeds every `RandomState` with
/// random keys; an empty hasher's output is as random as those keys.)
fn jitter(max: Duration) -> Duration {
    let random = RandomState::new().build_hasher().finish();
    Duration::from_nanos(random % max.as_nanos().max(1) as u64)
}
// ANCHOR_END: jitter

fn main() {
    // ANCHOR: main
    let a = Mutex::new(100);
    let b = Mutex::new(100);
    let both_hold_one = Barrier::new(2);
    let patience = Duration::from_millis(50);

    let run = |name: &str, from: &Mutex<u64>, to: &Mutex<u64>| {
        // First attempt: the deadlock of the first listing, but the second lock is timed.
        let mut held = from.lock();
        both_hold_one.wait();
        match to.try_lock_for(patience) {
            Some(mut wanted) => {
                *held -= 10;
                *wanted += 10;
                return println!("{name}: done at the first attempt");
            }
            None => println!("{name}: gave up after {patience:?}"),
        }
        // Let the other thread have it. Both threads may have given up at the same moment;
        // retrying at the same moment could collide the same way, again and again. A
        // random pause, up to twice as long after each failure, breaks the symmetry.
        drop(held);
        let mut pause = patience;
        thread::sleep(jitter(pause));
        while let Err(TimedOut) = transfer_timed(from, to, 10, patience) {
            println!("{name}: gave up again");
            pause *= 2;
            thread::sleep(jitter(pause));
        }
        println!("{name}: done on a retry");
    };
    thread::scope(|s| {
        s.spawn(|| run("a -> b", &a, &b));
        s.spawn(|| run("b -> a", &b, &a));
    });
    assert_eq!((a.into_inner(), b.into_inner()), (100, 100));
    println!("both transfers done, total 200");
    // ANCHOR_END: main
}
