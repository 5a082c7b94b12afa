//! Chapter 13, listing 2: `reduce`'s identity is used once per piece, not once in all.
use rayon::prelude::*;

fn main() {
    // ANCHOR: identity
    let numbers: Vec<u64> = (1..=10_000).collect();
    let correct: u64 = numbers.iter().sum();

    // Meant as "start the total at 1": but every piece rayon splits off starts there.
    let wrong = numbers.par_iter().copied().reduce(|| 1, |a, b| a + b);
    println!("expected {correct}, got {}", wrong);
    assert!(wrong > correct, "at least one piece added an extra 1");

    // The identity must be neutral for the operation: 0 for +, 1 for *, None for max...
    let right = numbers.par_iter().copied().reduce(|| 0, |a, b| a + b) + 1;
    assert_eq!(right, correct + 1);
    // ANCHOR_END: identity
}
