//! Chapter 23: actors.

use crate::support::listing;

#[test]
fn actor_counts_every_deposit_and_stops_when_the_last_handle_goes() {
    let run = listing!("ch23_actor");
    // main asked after joining every client: all 4 x 1000 deposits were applied once.
    assert_eq!(
        run.lines(),
        ["balance seen by main: 4000", "final balance: 4000"]
    );
}

#[test]
fn unwrapping_a_reply_kills_the_actor_when_a_caller_left() {
    let run = listing!("ch23_unwrap_reply");
    assert_eq!(
        run.lines(),
        ["actor thread panicked: true", "later deposit refused: true"]
    );
    assert!(run.stderr.contains("SendError"), "{}", run.stderr);
}

#[test]
fn ignoring_a_failed_reply_keeps_the_actor_serving() {
    let run = listing!("ch23_gone_caller");
    run.assert_once("balance after the abandoned requests: 15");
    run.assert_once("replies nobody waited for: 3");
    assert_eq!(run.lines().len(), 2);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn check_then_act_across_two_messages_races_and_one_message_fixes_it() {
    let run = listing!("ch23_check_then_act");
    assert_eq!(
        run.lines(),
        [
            "check, then withdraw: 2 withdrawals, final balance -60",
            "one compound message: 1 withdrawal, final balance 20",
        ]
    );
}

#[test]
fn bounded_mailboxes_in_a_cycle_deadlock_and_one_unbounded_direction_fixes_it() {
    let run = listing!("ch23_mailbox_cycle");
    assert_eq!(
        run.lines(),
        [
            "bounded both ways: deadlock, an actor stuck sending to its peer",
            "unbounded from B to A: both actors finished",
        ]
    );
}

#[test]
fn supervisor_restarts_a_crashed_actor_on_the_same_mailbox() {
    let run = listing!("ch23_supervisor");
    assert_eq!(run.lines(), ["balance after the restart: 5", "restarts: 1"]);
    // The panic is reported (std's hook prints it), and the actor carried on anyway.
    assert!(run.stderr.contains("balance overflow"), "{}", run.stderr);
}
