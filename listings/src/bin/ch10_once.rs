//! Chapter 10, listing 3: thread-local initialisers run once per thread; `OnceLock` and
//! `LazyLock` initialisers run once per process, however many threads race for them.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, LazyLock, OnceLock};
use std::thread;
use std::time::Duration;

const THREADS: usize = 8;

// ANCHOR: once
static TLS_INITS: AtomicUsize = AtomicUsize::new(0);
static ONCE_INITS: AtomicUsize = AtomicUsize::new(0);
static LAZY_INITS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // A lazy initialiser: runs the first time each thread touches SCRATCH.
    static SCRATCH: Vec<u8> = {
        TLS_INITS.fetch_add(1, Ordering::Relaxed);
        Vec::with_capacity(1024)
    };
}

static TABLE: OnceLock<Vec<u64>> = OnceLock::new();

static CONFIG: LazyLock<String> = LazyLock::new(|| {
    LAZY_INITS.fetch_add(1, Ordering::Relaxed);
    format!("workers={THREADS}")
});

fn table() -> &'static Vec<u64> {
    TABLE.get_or_init(|| {
        ONCE_INITS.fetch_add(1, Ordering::Relaxed);
        thread::sleep(Duration::from_millis(20)); // stands in for real work
        (0..1_000).map(|i| i * i).collect()
    })
}
// ANCHOR_END: once

fn main() {
    // ANCHOR: race
    let start = Barrier::new(THREADS);
    let addresses: Vec<(usize, usize)> = thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    start.wait(); // line everyone up, then all race for the first use
                    SCRATCH.with(|scratch| assert!(scratch.capacity() >= 1024));
                    SCRATCH.with(|_| ()); // a second use does not initialise again
                    let table = table();
                    assert_eq!(table[999], 998_001);
                    (table as *const Vec<u64> as usize, CONFIG.as_ptr() as usize)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    // Every thread got a reference to the same single value.
    assert!(addresses.iter().all(|&a| a == addresses[0]));
    let tls = TLS_INITS.load(Ordering::Relaxed);
    let once = ONCE_INITS.load(Ordering::Relaxed);
    let lazy = LAZY_INITS.load(Ordering::Relaxed);
    assert_eq!((tls, once, lazy), (THREADS, 1, 1));
    println!("thread_local! initialiser ran {tls} times, once per thread");
    println!("OnceLock initialiser ran {once} time");
    println!("LazyLock initialiser ran {lazy} time; CONFIG = {}", *CONFIG);
    // ANCHOR_END: race
}
