//! Chapter 3: many producers, one consumer.

use crate::support::listing;

#[test]
fn every_message_from_every_producer_arrives_exactly_once() {
    let run = listing!("ch03_producers");
    for id in 1..=3 {
        for seq in 1..=4 {
            run.assert_once(&format!("producer {id}: message {seq}"));
        }
    }
    assert_eq!(run.lines().len(), 13, "nothing else is printed");
    assert_eq!(run.position("received 12 messages from 3 producers"), 12);
}

#[test]
fn a_sender_left_in_main_keeps_the_channel_open() {
    let run = listing!("ch03_forgot_drop");
    assert_eq!(
        run.lines(),
        [
            "both producers finished, but the channel is still open",
            "after drop(tx) the channel is closed",
        ]
    );
}

#[test]
fn joining_before_receiving_deadlocks_on_a_bounded_channel() {
    let run = listing!("ch03_join_first");
    // With nobody receiving, exactly as many sends complete as the channel has slots: a
    // channel with more room would let a third through (or let a producer finish).
    assert_eq!(
        run.lines(),
        [
            "no producer finished within 100 ms: deadlock",
            "sends completed: 2, exactly the capacity",
            "receiving first: all 9 messages arrived once",
        ]
    );
}

#[test]
fn crossbeam_workers_share_the_jobs_each_job_done_once() {
    let run = listing!("ch03_crossbeam_workers");
    assert_eq!(run.lines(), ["200 jobs, each done exactly once"]);
}

#[test]
fn select_receives_from_both_channels_until_both_close() {
    let run = listing!("ch03_select");
    assert_eq!(run.lines(), ["sum of numbers: 6; letters received: 2"]);
}
