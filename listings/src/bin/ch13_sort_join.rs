//! Chapter 13, listing 3: parallel sorting, and `join` for two independent jobs.
use rayon::prelude::*;

/// A small, deterministic pseudo-random sequence (xorshift), so every run sorts the same data.
fn pseudo_random(len: usize, mut seed: u64) -> Vec<u64> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % 1_000_000
        })
        .collect()
}

fn main() {
    // ANCHOR: sort
    let data = pseudo_random(50_000, 42);
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
}
