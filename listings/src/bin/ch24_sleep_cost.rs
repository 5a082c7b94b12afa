//! Chapter 24, listing 1: what a "benchmark" that sleeps in its loop really measures.
//! The numbers vary from machine to machine and run to run; nothing here asserts them.
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    // ANCHOR: sleep
    let requested = Duration::from_nanos(100);
    let rounds: u32 = 200;
    let start = Instant::now();
    for _ in 0..rounds {
        thread::sleep(requested);
    }
    let per_sleep = start.elapsed() / rounds;
    println!("thread::sleep({requested:?}) took {per_sleep:?} on average");
    // All the standard library promises: a sleep lasts at least as long as asked.
    assert!(per_sleep >= requested);
    // ANCHOR_END: sleep

    // ANCHOR: increments
    let counter = Mutex::new(0_u64);
    let start = Instant::now();
    for _ in 0..rounds {
        *counter.lock().unwrap() += 1;
    }
    let per_increment = start.elapsed() / rounds;
    println!("an uncontended Mutex<u64> increment took {per_increment:?} on average");
    assert_eq!(*counter.lock().unwrap(), u64::from(rounds));
    // ANCHOR_END: increments

    // ANCHOR: spawn
    let start = Instant::now();
    let handles: Vec<_> = (0..4).map(|_| thread::spawn(|| {})).collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let spawning = start.elapsed();
    println!("spawning and joining 4 threads that do nothing took {spawning:?}");
    assert!(spawning > Duration::ZERO);
    // ANCHOR_END: spawn
}
