//! Chapter 16: async channels.

use std::future::Future;
use std::time::Duration;

use crate::support::listing;

#[allow(dead_code)]
#[path = "../../src/bin/ch16_backpressure.rs"]
mod backpressure;

const MS: Duration = Duration::from_millis(1);

/// Fails the test with a message instead of letting it hang. Under the paused clock the limit
/// is virtual time, so a deadlock fails at once.
async fn within<F: Future>(limit: Duration, future: F) -> F::Output {
    tokio::time::timeout(limit, future)
        .await
        .unwrap_or_else(|_| panic!("still running after {limit:?}: it hangs"))
}

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
            "all 10 received; the last send waited for 7 of the consumer's steps"
        ]
    );
}

// Under the paused clock: the consumer takes 10 ms per message.
#[tokio::test(start_paused = true)]
async fn a_bounded_channel_makes_the_producer_wait_for_the_consumer() {
    let sent_at = within(MS * 1000, backpressure::pace(2, 10 * MS)).await;
    // Messages 0 and 1 fill the channel at 0 ms, and the consumer's first `recv`, also at
    // 0 ms, makes room for message 2. Every later message waits for the slot the consumer
    // frees every 10 ms: message 9 goes in at 70 ms.
    let expected: Vec<Duration> = [0, 0, 0, 10, 20, 30, 40, 50, 60, 70]
        .iter()
        .map(|&ms| ms * MS)
        .collect();
    assert_eq!(sent_at, expected);
}

#[tokio::test(start_paused = true)]
async fn a_roomy_channel_lets_the_producer_run_ahead() {
    let sent_at = within(MS * 1000, backpressure::pace(16, 10 * MS)).await;
    assert_eq!(sent_at, [Duration::ZERO; 10]);
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
            "no receivers: send returned Err(SendError(\"news\"))",
            "a later subscriber got only what came after it",
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
            "the watcher ended with config v5",
            "no receivers: send failed, and a new receiver still sees config v1",
            "send_replace stored config v2 for later receivers",
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

#[test]
fn threads_and_tasks_talk_through_tokio_channels() {
    let run = listing!("ch16_bridge");
    assert_eq!(
        run.lines(),
        [
            "rayon computed 338350 for the task",
            "a blocking thread sent 1..=100 to a task, which added them up: 5050",
            "blocking_recv inside a task panicked instead of blocking",
        ]
    );
    assert!(
        run.stderr
            .contains("Cannot block the current thread from within a runtime"),
        "{}",
        run.stderr
    );
}
