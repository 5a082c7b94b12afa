//! Chapter 9: scoped threads.

use crate::support::listing;

#[test]
fn scope_sum_borrows_chunks_and_matches_the_sequential_sum() {
    let run = listing!("ch09_scope_sum");
    run.assert_once("chunk [1, 2, 3] sums to 6");
    run.assert_once("chunk [4, 5, 6] sums to 15");
    run.assert_once("chunk [7, 8, 9] sums to 24");
    run.assert_once("chunk [10] sums to 10");
    // The total is printed after the scope, so after every thread's line.
    assert_eq!(
        run.lines().last(),
        Some(&"total 55, from 10 numbers still owned by main")
    );
    assert_eq!(run.lines().len(), 5);
}

#[test]
fn chunks_mut_maps_every_pixel_like_the_sequential_loop() {
    let run = listing!("ch09_chunks_mut");
    let cores = std::thread::available_parallelism().unwrap().get();
    assert_eq!(
        run.lines(),
        [format!("10000 pixels mapped on {cores} threads")]
    );
}

#[test]
fn scope_joins_everyone_then_propagates_the_panic() {
    let run = listing!("ch09_scope_panic");
    assert_eq!(
        run.lines(),
        [
            "scope panicked after joining all threads; 3 workers finished",
            "a joined thread's panic is an Err, and the scope returns normally",
        ]
    );
    assert!(run.stderr.contains("worker 2 failed"), "{}", run.stderr);
    assert!(
        run.stderr.contains("a scoped thread panicked"),
        "{}",
        run.stderr
    );
}
