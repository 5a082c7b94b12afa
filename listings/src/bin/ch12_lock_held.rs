//! Chapter 12, listing 2: `while let` on `lock()` keeps the lock for the whole loop body.
use std::collections::VecDeque;
use std::sync::Mutex;

fn main() {
    let queue = Mutex::new(VecDeque::from([1, 2, 3]));

    // ANCHOR: held
    // The guard from `lock()` lives as long as the `while let` scrutinee: to the end
    // of the body. Every other worker waits while this one runs its job.
    while let Some(job) = queue.lock().unwrap().pop_front() {
        let held = queue.try_lock().is_err();
        println!("job {job}: lock still held while the job runs: {held}");
        assert!(held);
    }
    // ANCHOR_END: held

    *queue.lock().unwrap() = VecDeque::from([1, 2, 3]);

    // ANCHOR: released
    loop {
        // A `let` statement ends, and drops the guard, at its semicolon.
        let next = queue.lock().unwrap().pop_front();
        let Some(job) = next else { break };
        let held = queue.try_lock().is_err();
        println!("job {job}: lock still held while the job runs: {held}");
        assert!(!held);
    }
    // ANCHOR_END: released
}
