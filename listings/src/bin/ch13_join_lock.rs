//! Chapter 13, listing 6: while `join` waits for the half another thread stole, its thread runs
//! other jobs, and such a job can need a lock that this very thread holds.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, TryLockError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// Spins until `flag` is set; panics after ten seconds rather than hang.
fn wait_for(flag: &AtomicBool, what: &str) {
    let start = Instant::now();
    while !flag.load(Ordering::SeqCst) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "waited 10 s for {what}"
        );
        std::hint::spin_loop();
    }
}

fn main() {
    // ANCHOR: lock
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let config = Mutex::new(String::from("v1"));
    let (stolen, unrelated_done) = (AtomicBool::new(false), AtomicBool::new(false));
    let (report, reports) = mpsc::channel();

    pool.install(|| {
        let holder = thread::current().id();
        let _config = config.lock().unwrap(); // held across the parallel call below
        rayon::scope(|s| {
            rayon::join(
                // This thread runs the first half, which ends once the other thread has
                // stolen the second half: `join` then has to wait for it.
                || wait_for(&stolen, "the second half to be stolen"),
                || {
                    // On the other thread: queue an unrelated job that needs the lock,
                    // and wait until some thread has run it.
                    s.spawn(|_| {
                        let on_holder = thread::current().id() == holder;
                        let lock = match config.try_lock() {
                            Ok(_) => "Ok",
                            Err(TryLockError::WouldBlock) => "WouldBlock",
                            Err(TryLockError::Poisoned(_)) => "Poisoned",
                        };
                        report.send((on_holder, lock)).unwrap();
                        unrelated_done.store(true, Ordering::SeqCst);
                    });
                    stolen.store(true, Ordering::SeqCst);
                    wait_for(&unrelated_done, "the unrelated job");
                },
            );
        });
    });

    let (on_holder, lock) = reports.recv().unwrap();
    println!("the unrelated job ran on the thread that holds the lock: {on_holder}");
    println!("try_lock there: {lock}");
    assert!(on_holder);
    assert_eq!(lock, "WouldBlock");
    // ANCHOR_END: lock
}
