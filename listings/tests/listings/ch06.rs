//! Chapter 6: atomics and memory ordering.

use crate::support::listing;

#[test]
fn relaxed_counter_loses_no_increment() {
    let run = listing!("ch06_counter");
    assert_eq!(run.lines(), ["final count: 500000"]);
}

#[test]
fn acquire_sees_everything_written_before_the_release() {
    let run = listing!("ch06_publish");
    assert_eq!(run.lines(), ["consumer got [10, 20, 30, 40]"]);
}

#[test]
fn seqcst_never_lets_both_threads_miss_each_other() {
    let run = listing!("ch06_seqcst");
    assert_eq!(
        run.lines(),
        ["rounds in which both threads missed the other's flag: 0 of 2000"]
    );
}

#[test]
fn compare_exchange_hands_out_each_permit_exactly_once() {
    let run = listing!("ch06_cas");
    assert_eq!(
        run.lines(),
        ["1000 permits, each handed out exactly once, by both versions"]
    );
}

#[test]
fn exercise_solution_finds_the_maximum() {
    let run = listing!("ch06_solution");
    assert_eq!(run.lines(), ["the maximum is 999992"]);
}
