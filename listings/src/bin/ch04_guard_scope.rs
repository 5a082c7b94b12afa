//! Chapter 4, listing 3: where a temporary guard lives, and how to make it die sooner.
use std::sync::{Mutex, TryLockError};

/// True if another `lock` of `m` on this thread would block (and so, with `lock`, deadlock).
fn is_locked<T>(m: &Mutex<T>) -> bool {
    matches!(m.try_lock(), Err(TryLockError::WouldBlock))
}

fn main() {
    // ANCHOR: trap
    let jobs = Mutex::new(vec![1, 2, 3]);

    if let Some(job) = jobs.lock().unwrap().pop() {
        // The guard made in the line above is still alive here, so `jobs.lock()`
        // would wait for ourselves forever. `try_lock` tells us instead of hanging.
        assert!(is_locked(&jobs));
        println!("job {job}: the lock is still held inside the if-let body");
    }

    match jobs.lock().unwrap().pop() {
        Some(_) => assert!(is_locked(&jobs)), // the same in every arm of a `match`
        None => unreachable!(),
    }
    // ANCHOR_END: trap

    // ANCHOR: else
    jobs.lock().unwrap().clear();
    if let Some(job) = jobs.lock().unwrap().pop() {
        println!("job {job}");
    } else {
        // Edition 2021: the guard lives on into `else` as well.
        // Edition 2024: it has already been dropped here.
        assert!(is_locked(&jobs));
        println!("no job: in edition 2021 the lock is still held in the else branch");
    }
    // ANCHOR_END: else

    // ANCHOR: fix
    jobs.lock().unwrap().extend([4, 5, 6]);

    // The guard is a temporary of this `let` statement: it is dropped at the `;`.
    let next = jobs.lock().unwrap().pop();
    if let Some(job) = next {
        assert!(!is_locked(&jobs));
        jobs.lock().unwrap().push(job * 10); // fine: nobody holds the lock
        println!("job {job}: the lock was free, so we pushed a follow-up job");
    }

    // Taking the jobs one at a time, with the lock held only while popping:
    let mut done = Vec::new();
    loop {
        let Some(job) = jobs.lock().unwrap().pop() else {
            break; // `let`-`else` drops the guard before `else` runs, and at the `;` otherwise
        };
        assert!(!is_locked(&jobs));
        done.push(job);
    }
    assert_eq!(done, [60, 5, 4]);
    println!("drained {done:?}");
    // ANCHOR_END: fix
}
