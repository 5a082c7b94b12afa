//! Chapter 13, listing 1: the same pipeline, sequential and parallel, with the same results.
use rayon::iter::ParallelBridge;
use rayon::prelude::*;

/// Steps for `n` to reach 1 under the Collatz rule: a cost that varies a lot from n to n.
pub fn collatz_steps(mut n: u64) -> u32 {
    let mut steps = 0;
    while n != 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        steps += 1;
    }
    steps
}

fn main() {
    let numbers: Vec<u64> = (1..=20_000).collect();

    // ANCHOR: map
    // `iter` becomes `par_iter`; the rest of the chain reads the same.
    let sequential: Vec<u32> = numbers.iter().map(|&n| collatz_steps(n)).collect();
    let parallel: Vec<u32> = numbers.par_iter().map(|&n| collatz_steps(n)).collect();
    // `collect` into a Vec keeps the input order, whichever thread computed what.
    assert_eq!(parallel, sequential);
    // ANCHOR_END: map

    // ANCHOR: filter_sum
    let long_runs = numbers
        .par_iter()
        .filter(|&&n| collatz_steps(n) > 200)
        .count();
    let total_steps: u64 = numbers
        .par_iter()
        .map(|&n| u64::from(collatz_steps(n)))
        .sum();
    assert_eq!(long_runs, sequential.iter().filter(|&&s| s > 200).count());
    assert_eq!(
        total_steps,
        sequential.iter().map(|&s| u64::from(s)).sum::<u64>()
    );
    println!("{long_runs} numbers take more than 200 steps; {total_steps} steps in all");
    // ANCHOR_END: filter_sum

    // ANCHOR: reduce
    // The longest chain: (steps, n) pairs compare by steps first, then by n.
    let longest = numbers
        .par_iter()
        .map(|&n| (collatz_steps(n), n))
        .reduce(|| (0, 0), |a, b| a.max(b));
    let expected = numbers
        .iter()
        .map(|&n| (collatz_steps(n), n))
        .max()
        .unwrap();
    assert_eq!(longest, expected);
    println!(
        "the longest chain starts at {} and takes {} steps",
        longest.1, longest.0
    );
    // ANCHOR_END: reduce

    // ANCHOR: bridge
    // Any `Iterator + Send`, even one that cannot be split (lines of a file, a channel's
    // receiver): `par_bridge` hands its items to the pool's threads one at a time.
    let (tx, rx) = std::sync::mpsc::channel();
    for &n in &numbers {
        tx.send(n).unwrap();
    }
    drop(tx);
    let bridged: u64 = rx
        .into_iter()
        .par_bridge()
        .map(|n| u64::from(collatz_steps(n)))
        .sum();
    assert_eq!(bridged, total_steps);
    println!("through par_bridge: {bridged} steps in all");
    // ANCHOR_END: bridge
}
