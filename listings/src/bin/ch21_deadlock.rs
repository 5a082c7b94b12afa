//! Chapter 21, listing 1: a real deadlock, caught by a watchdog instead of hanging.
use std::sync::mpsc;
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    // ANCHOR: deadlock
    // Leaked so the stuck threads may keep borrowing them after `main` stops waiting.
    let a: &'static Mutex<u64> = Box::leak(Box::new(Mutex::new(100)));
    let b: &'static Mutex<u64> = Box::leak(Box::new(Mutex::new(100)));
    // Both threads take their first lock before either asks for its second:
    // the barrier makes the deadlock certain rather than likely.
    let both_hold_one: &'static Barrier = Box::leak(Box::new(Barrier::new(2)));
    let (done_tx, done_rx) = mpsc::channel();

    let tx = done_tx.clone();
    thread::spawn(move || {
        let mut from = a.lock().unwrap(); // a, then b
        both_hold_one.wait();
        let mut to = b.lock().unwrap();
        *from -= 10;
        *to += 10;
        tx.send("a -> b").unwrap();
    });
    thread::spawn(move || {
        let mut from = b.lock().unwrap(); // b, then a: the opposite order
        both_hold_one.wait();
        let mut to = a.lock().unwrap();
        *from -= 10;
        *to += 10;
        done_tx.send("b -> a").unwrap();
    });
    // ANCHOR_END: deadlock

    // ANCHOR: watchdog
    // The watchdog: both transfers should take microseconds. Give them far longer.
    let limit = Duration::from_millis(200);
    match done_rx.recv_timeout(limit) {
        Ok(transfer) => panic!("transfer {transfer} finished: there was no deadlock"),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            println!("deadlock: no transfer finished within {limit:?}");
            // Each thread holds one lock and waits forever for the other: both are taken.
            // (Looked at until seen: on a busy machine a thread may not have started yet.)
            let start = Instant::now();
            while a.try_lock().is_ok() || b.try_lock().is_ok() {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "a lock stayed free"
                );
                thread::yield_now();
            }
            println!("each thread holds one of the two locks");
            // They cannot be joined or cancelled; returning from `main` ends the process,
            // and them.
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("a transfer thread panicked"),
    }
    // ANCHOR_END: watchdog
}
