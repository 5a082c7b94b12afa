//! Chapter 6: atomics and memory ordering.
//!
//! The memory-ordering claims are checked by the loom models in `listings/tests/loom_ch06.rs`,
//! which run the same functions. The tests here named `*_demonstration_*` only run the listing
//! on this machine: on x86 a run passes with or without the right orderings, so it shows the
//! program working and proves nothing about ordering.

use crate::support::listing;

#[test]
fn relaxed_counter_loses_no_increment() {
    let run = listing!("ch06_counter");
    assert_eq!(run.lines(), ["final count: 500000"]);
}

#[test]
fn handoff_demonstration_spawn_and_join_order_relaxed_accesses() {
    let run = listing!("ch06_handoff");
    assert_eq!(run.lines(), ["the thread saw 1; after join, main saw 2"]);
}

#[test]
fn relaxed_stop_flag_stops_the_worker() {
    let run = listing!("ch06_stop");
    let lines = run.lines();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let rounds = lines[0]
        .strip_prefix("the worker saw the flag and stopped after ")
        .and_then(|rest| rest.strip_suffix(" rounds of work"))
        .unwrap_or_else(|| panic!("unexpected output: {}", run.stdout));
    let rounds: u64 = rounds.parse().expect("a number of rounds");
    // `main` raises the flag only after the worker reported a round.
    assert!(rounds >= 1, "the worker was stopped before its first round");
}

#[test]
fn publish_demonstration_delivers_the_data() {
    let run = listing!("ch06_publish");
    assert_eq!(run.lines(), ["consumer got [10, 20, 30, 40]"]);
}

#[test]
fn store_buffer_demonstration_never_shows_both_threads_missing() {
    let run = listing!("ch06_seqcst");
    assert_eq!(
        run.lines(),
        [
            "SeqCst accesses: both threads missed the other's flag in 0 of 1000 rounds",
            "SeqCst fences: both threads missed the other's flag in 0 of 1000 rounds",
        ]
    );
}

#[test]
fn acqrel_demonstration_last_worker_out_adds_up_every_result() {
    let run = listing!("ch06_acqrel");
    assert_eq!(
        run.lines(),
        [
            "AcqRel: the last of 4 workers out added up 100",
            "Release + fence(Acquire): the last of 4 workers out added up 100",
        ]
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
fn fetch_add_wraps_and_checked_increment_stops_at_the_top() {
    let run = listing!("ch06_wrapping");
    assert_eq!(
        run.lines(),
        [
            "fetch_add at u32::MAX wrapped around to 0",
            "next_id gave out the last 1000 IDs once each, then None; no wrap",
            "count_saturating stuck at u32::MAX",
        ]
    );
}
