//! Chapter 13, listing 2: `reduce`'s identity is used once per piece, not once in all; and an
//! operation that is not associative gives an answer that depends on the split.
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    // ANCHOR: identity
    let numbers: Vec<u64> = (1..=10_000).collect();
    let correct: u64 = numbers.iter().sum();

    // Meant as "start the total at 1": but every piece rayon splits off starts there.
    let pieces = AtomicUsize::new(0);
    let wrong = numbers.par_iter().copied().reduce(
        || {
            pieces.fetch_add(1, Ordering::Relaxed); // count the pieces
            1
        },
        |a, b| a + b,
    );
    let pieces = pieces.into_inner() as u64;
    println!("expected {correct}, got {wrong}: {pieces} pieces, each starting from 1");
    assert_eq!(wrong, correct + pieces, "exactly one extra 1 per piece");

    // The identity must be neutral for the operation: 0 for +, 1 for *, None for max...
    let right = numbers.par_iter().copied().reduce(|| 0, |a, b| a + b) + 1;
    assert_eq!(right, correct + 1);
    // ANCHOR_END: identity

    // ANCHOR: associative
    // Subtraction is not associative: (a - b) - c is not a - (b - c).
    let signed: Vec<i64> = (1..=10_000).collect();
    let sequential = signed.iter().fold(0, |a, &b| a - b);
    let parallel = signed.par_iter().copied().reduce(|| 0, |a, b| a - b);
    println!("a - b: sequential {sequential}, parallel {parallel}");
    // A right-hand piece's own result is subtracted, which turns its first item's sign.
    assert_ne!(parallel, sequential);
    // ANCHOR_END: associative
}
