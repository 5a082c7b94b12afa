//! Chapter 4, listing 3: where a temporary guard lives, and how to make it die sooner.
use std::sync::{Mutex, TryLockError};

/// True if another `lock` of `m` on this thread would block (and so, with `lock`, deadlock).
fn is_locked<T>(m: &Mutex<T>) -> bool {
    matches!(m.try_lock(), Err(TryLockError::WouldBlock))
}

// ANCHOR: count
fn count(jobs: Vec<u32>) -> usize {
    let jobs = Mutex::new(jobs);
    jobs.lock().unwrap().len() // edition 2024: the guard is dropped before `jobs`
}
// ANCHOR_END: count

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
        // Edition 2024: the scrutinee's guard was dropped before `else` began.
        assert!(!is_locked(&jobs));
        jobs.lock().unwrap().push(7); // so locking again here is fine
        println!("no job: in edition 2024 the else branch runs with the lock free");
    }
    // ANCHOR_END: else

    // ANCHOR: tail
    // Edition 2024: the temporaries of a block's last expression die at the end of the block,
    // so braces around the scrutinee release the guard before the arms run. (Clippy suggests
    // removing them, which would keep the guard alive through every arm again.)
    #[allow(clippy::blocks_in_conditions)]
    match { jobs.lock().unwrap().pop() } {
        Some(job) => {
            assert!(!is_locked(&jobs));
            println!("job {job}: braces around the scrutinee dropped the guard");
        }
        None => unreachable!(),
    }
    // And a function may end with an expression that borrows one of its own locals.
    assert_eq!(count(vec![1, 2, 3]), 3);
    // ANCHOR_END: tail

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
