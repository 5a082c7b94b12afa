//! Chapter 10, listing 2: a thread-local with a destructor flushes its count into a global
//! total when its thread exits.
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

// ANCHOR: flush
static TOTAL: AtomicU64 = AtomicU64::new(0);

struct LocalCount(Cell<u64>);

impl Drop for LocalCount {
    // Runs on the owning thread, as that thread exits.
    fn drop(&mut self) {
        TOTAL.fetch_add(self.0.get(), Ordering::Relaxed);
    }
}

thread_local! {
    static COUNT: LocalCount = const { LocalCount(Cell::new(0)) };
}

fn hit() {
    COUNT.with(|c| c.0.set(c.0.get() + 1));
}

fn main() {
    let handles: Vec<_> = (0..4)
        .map(|_| thread::spawn(|| (0..1_000).for_each(|_| hit())))
        .collect();
    // `JoinHandle::join` waits for the thread's thread-local destructors too.
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(TOTAL.load(Ordering::Relaxed), 4_000);
    println!("total after joining: {}", TOTAL.load(Ordering::Relaxed));
}
// ANCHOR_END: flush
