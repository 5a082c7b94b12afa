//! Chapter 22, listing 1: what a thread per split and a copy per level cost.
//! The structure of a common first attempt, instrumented: it counts what it spawns and copies.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

static THREADS: AtomicUsize = AtomicUsize::new(0);
static COPIED: AtomicUsize = AtomicUsize::new(0);

// ANCHOR: naive
pub fn naive_sum(data: Arc<Vec<i64>>, threshold: usize) -> i64 {
    if data.len() <= threshold {
        return data.iter().sum();
    }
    let mid = data.len() / 2;
    // `to_vec` copies each half into a new allocation, at every level of the recursion.
    let left = Arc::new(data[..mid].to_vec());
    let right = Arc::new(data[mid..].to_vec());
    COPIED.fetch_add(data.len(), Ordering::Relaxed);
    // Two new OS threads per split, however many already exist. Each counts itself.
    let l = thread::spawn(move || {
        THREADS.fetch_add(1, Ordering::Relaxed);
        naive_sum(left, threshold)
    });
    let r = thread::spawn(move || {
        THREADS.fetch_add(1, Ordering::Relaxed);
        naive_sum(right, threshold)
    });
    l.join().unwrap() + r.join().unwrap()
}
// ANCHOR_END: naive

fn main() {
    // ANCHOR: count
    let data: Vec<i64> = (1..=100_000).collect();
    let expected: i64 = data.iter().sum();
    assert_eq!(naive_sum(Arc::new(data), 1_000), expected);
    println!(
        "to add up 100000 numbers: {} threads spawned, {} numbers copied",
        THREADS.load(Ordering::Relaxed),
        COPIED.load(Ordering::Relaxed)
    );
    // ANCHOR_END: count
}
