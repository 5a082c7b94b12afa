//! Chapter 26 exercise: fan out, then fan in *in input order*.
//! Run it with `cargo run -p listings --example ch26_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch26_solution.rs`.
// The starter leaves its imports and `f` for you to use.
#![allow(unused)]
use crossbeam::channel;
use std::collections::BTreeMap;
use std::thread;

// ANCHOR: exercise
/// Applies `f` to every item on `workers` threads and returns the results in the order of
/// `items`, as `items.into_iter().map(f).collect()` would.
fn ordered_map<T, R>(items: Vec<T>, workers: usize, f: impl Fn(T) -> R + Sync) -> Vec<R>
where
    T: Send,
    R: Send,
{
    // 1. Feed `(index, item)` pairs into one bounded channel that every worker pulls from.
    // 2. Workers send `(index, f(item))` to the collector.
    // 3. The collector keeps results that arrived early in a `BTreeMap<usize, R>` and
    //    moves them to the output as soon as the next index in line is there.
    todo!(
        "ordered_map over {} items on {workers} workers",
        items.len()
    )
}
// ANCHOR_END: exercise

fn main() {
    let items: Vec<u64> = (0..10_000).collect();
    let slow_for_some = |n: u64| (0..n % 97).fold(n, |acc, k| acc.wrapping_mul(31).wrapping_add(k));

    let parallel = ordered_map(items.clone(), 4, slow_for_some);
    let sequential: Vec<u64> = items.into_iter().map(slow_for_some).collect();
    // No sorting: the order itself is part of the result.
    assert_eq!(parallel, sequential);

    // Item 0 cannot finish before item 1 has: its result arrives second and must still
    // come out first. (Two workers, so that another one is free to take item 1.)
    let (one_done, wait_for_one) = channel::bounded::<()>(1);
    let overtaken = ordered_map(vec![0_u32, 1], 2, |n| {
        if n == 0 {
            wait_for_one.recv().unwrap();
        } else {
            one_done.send(()).unwrap();
        }
        n * 10
    });
    assert_eq!(overtaken, [0, 10]);

    let words = ordered_map(vec!["a", "bb", "ccc"], 8, |w: &str| w.len());
    assert_eq!(words, [1, 2, 3]);
    assert!(ordered_map(Vec::<u8>::new(), 2, |b| b).is_empty());
    println!("ordered results equal the sequential map");
}
