//! Chapter 16: async channels.

use std::time::Duration;

use crate::support::listing;

#[allow(dead_code)]
#[path = "../../src/bin/ch16_backpressure.rs"]
mod backpressure;
#[allow(dead_code)]
#[path = "../../src/bin/ch16_solution.rs"]
mod solution;

#[test]
fn every_message_from_every_producer_arrives_once() {
    let run = listing!("ch16_mpsc");
    for id in 1..=3 {
        for i in 1..=5 {
            run.assert_once(&format!("received producer {id}: message {i}"));
        }
    }
    assert_eq!(run.position("all 15 messages arrived exactly once"), 15);
    assert_eq!(run.lines().len(), 16);
}

#[test]
fn a_full_channel_refuses_try_send() {
    let run = listing!("ch16_backpressure");
    assert_eq!(
        run.lines(),
        [
            "channel full: try_send gave 3 back",
            "all 10 received; never more than 2 queued"
        ]
    );
}

// Under the paused clock: the consumer takes 10 ms per message.
#[tokio::test(start_paused = true)]
async fn a_bounded_channel_makes_the_producer_wait_for_the_consumer() {
    let report = backpressure::pace(2, Duration::from_millis(10)).await;
    assert_eq!(report.received, (0..10).collect::<Vec<_>>());
    assert!(report.max_queued <= 2);
    // Messages 0 and 1 fill the channel at once; each later one waits for a slot, which the
    // consumer frees every 10 ms: message 9 goes in at 70 ms.
    assert_eq!(report.producer_done, Duration::from_millis(70));
}

#[tokio::test(start_paused = true)]
async fn a_roomy_channel_lets_the_producer_run_ahead() {
    let report = backpressure::pace(16, Duration::from_millis(10)).await;
    assert_eq!(report.received, (0..10).collect::<Vec<_>>());
    assert_eq!(report.producer_done, Duration::ZERO);
}

#[test]
fn replies_come_back_on_the_oneshot() {
    let run = listing!("ch16_oneshot");
    assert_eq!(
        run.lines(),
        [
            "apple: Some(3), plum: None",
            "poison: Err(\"the service dropped the request\")",
            "service: every sender is gone, shutting down",
        ]
    );
}

#[test]
fn a_lagging_broadcast_receiver_is_told_what_it_missed() {
    let run = listing!("ch16_broadcast");
    assert_eq!(
        run.lines(),
        [
            "fast receiver: got all 10",
            "slow receiver: lagged, missed 6",
            "slow receiver: then got [6, 7, 8, 9]",
            "after the sender is dropped: Closed",
        ]
    );
}

#[test]
fn watch_receivers_see_the_latest_value_only() {
    let run = listing!("ch16_watch");
    assert_eq!(
        run.lines(),
        [
            "after three updates the receiver sees config v4",
            "the watcher ended with config v5"
        ]
    );
}

#[test]
fn senders_learn_that_the_receiver_is_gone() {
    let run = listing!("ch16_receiver_gone");
    assert_eq!(
        run.lines(),
        [
            "the producer stopped: send returned its message",
            "closed() completed when the receiver went away",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipeline_sums_every_square_once() {
    for capacity in [1, 3, 64] {
        let n = 5_000;
        assert_eq!(
            solution::sum_of_squares(n, capacity).await,
            n * (n + 1) * (2 * n + 1) / 6
        );
    }
}

#[test]
fn exercise_solution_runs() {
    let run = listing!("ch16_solution");
    assert_eq!(run.lines(), ["sum of squares of 1..=1000: 333833500"]);
}
