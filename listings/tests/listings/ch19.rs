//! Chapter 19: a lock-free stack, verified.
//!
//! `ch19_naive_stack` is deliberately NOT run here: it has undefined behaviour, so a normal run
//! proves nothing either way. `bash .ci/miri.sh` runs it under Miri and checks that Miri
//! rejects it; the same script runs the correct stack under Miri on several seeds.

use crate::support::listing;

#[test]
fn epoch_stack_hands_out_every_value_exactly_once() {
    let run = listing!("ch19_epoch_stack");
    // The listing asserts the multiset itself; here we check it got that far and said so.
    let first = run.lines()[0];
    assert!(
        first.starts_with("80000 values pushed, ") && first.ends_with(" all exactly once"),
        "{}",
        run.stdout
    );
    let popped: usize = first
        .split(", ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(popped <= 80_000);
    run.assert_once("dropping the stack dropped the 3 values still on it");
    assert_eq!(run.lines().len(), 2);
}

#[test]
fn exercise_solution_takes_every_value_once_newest_first() {
    let run = listing!("ch19_solution");
    assert_eq!(
        run.lines(),
        ["every value taken exactly once, newest first within each batch"]
    );
}
