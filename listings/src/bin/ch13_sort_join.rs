//! Chapter 13, listing 3: parallel sorting, and `join` for two independent jobs.
use rayon::prelude::*;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

/// A small, deterministic pseudo-random sequence (xorshift) of numbers below `modulus`, so
/// every run sorts the same data.
pub fn pseudo_random(len: usize, mut seed: u64, modulus: u64) -> Vec<u64> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % modulus
        })
        .collect()
}

fn main() {
    // ANCHOR: sort
    let data = pseudo_random(50_000, 42, 1_000_000);
    let mut sequential = data.clone();
    sequential.sort_unstable();
    let mut parallel = data.clone();
    parallel.par_sort_unstable();
    assert_eq!(parallel, sequential);

    // `par_sort_by_key` is stable, like `sort_by_key`: equal keys keep their input order.
    let mut by_last_digit: Vec<(usize, u64)> = data.iter().copied().enumerate().collect();
    let mut expected = by_last_digit.clone();
    expected.sort_by_key(|&(_, v)| v % 10);
    by_last_digit.par_sort_by_key(|&(_, v)| v % 10);
    assert_eq!(by_last_digit, expected);
    println!("sorted {} numbers, both ways, identically", data.len());
    // ANCHOR_END: sort

    // ANCHOR: join
    // Two independent computations over the same data: run them side by side.
    let (min, max) = rayon::join(
        || data.iter().copied().min().unwrap(),
        || data.iter().copied().max().unwrap(),
    );
    assert_eq!(
        (min, max),
        (sequential[0], sequential[sequential.len() - 1])
    );
    println!("min {min}, max {max}");
    // ANCHOR_END: join

    // ANCHOR: join_panic
    // One side panics. `join` still waits for the other side to finish, then panics too.
    let right_finished = AtomicBool::new(false);
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        rayon::join(
            || panic!("the left side failed"),
            || right_finished.store(true, Ordering::SeqCst),
        )
    }));
    assert!(outcome.is_err(), "join passed the panic on");
    assert!(right_finished.load(Ordering::SeqCst));
    println!("left side panicked; the right side had finished before join passed the panic on");
    // ANCHOR_END: join_panic
}
