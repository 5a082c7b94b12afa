//! Chapter 11: condition variables and parking.

use crate::support::listing;

#[test]
fn ready_flag_releases_the_waiter_and_a_late_waiter_does_not_block() {
    let run = listing!("ch11_ready");
    assert_eq!(
        run.lines(),
        [
            "waiter: the flag is set, proceeding",
            "late waiter: the flag was already set",
        ]
    );
}

#[test]
fn bounded_queue_consumes_every_item_once_and_respects_capacity() {
    let run = listing!("ch11_bounded_queue");
    assert_eq!(
        run.lines(),
        [
            "600 items consumed, each exactly once",
            "the queue never held more than 4 items",
            "pop_timeout on an empty queue gave up after 5 ms",
            "with an item it returns the item; once closed, None",
        ]
    );
}

#[test]
fn park_keeps_an_early_unpark_and_the_flag_loop_ends() {
    let run = listing!("ch11_park");
    assert_eq!(
        run.lines(),
        [
            "park returned at once: the earlier unpark left a token",
            "waiter: saw the flag",
        ]
    );
}

#[test]
fn exercise_solution_latch_opens_for_everyone() {
    let run = listing!("ch11_solution");
    assert_eq!(
        run.lines(),
        ["the latch opened after all 4 count-downs, for all 4 waiters"]
    );
}
