//! Chapter 2: message passing with channels.

use crate::support::listing;

#[test]
fn channel_delivers_every_message_in_order_then_closes_then_joins() {
    let run = listing!("ch02_channel");
    // Only `main` prints, so here the order of lines is a fact, not an interleaving.
    let mut expected: Vec<String> = (1..=5).map(|i| format!("got message {i}")).collect();
    expected.push("channel closed".into());
    expected.push("producer joined".into());
    assert_eq!(run.lines(), expected);
}

#[test]
fn closing_keeps_buffered_messages_and_then_recv_fails() {
    let run = listing!("ch02_closing");
    assert_eq!(
        run.lines(),
        [
            "open and empty: try_recv says Empty, recv_timeout says Timeout",
            "closed, yet both messages were delivered",
            "closed and empty: recv says RecvError, try_recv says Disconnected",
        ]
    );
}

#[test]
fn send_fails_once_the_receiver_is_gone_and_returns_the_message() {
    let run = listing!("ch02_send_error");
    assert_eq!(
        run.lines(),
        [
            r#"the consumer took ["first", "second"] and left"#,
            r#"send failed and handed back "third""#,
        ]
    );
}

#[test]
fn a_failed_send_stops_the_producer_once_the_consumer_is_gone() {
    // The producer's loop has no end of its own: the listing finishes only because a failed
    // `send` breaks it, and exits successfully only if nothing panicked on the way.
    let run = listing!("ch02_consumer_gone");
    assert_eq!(
        run.lines(),
        [
            "the consumer took [0, 10, 20] and left",
            "the producer noticed and stopped",
        ]
    );
}

#[test]
fn only_join_reveals_that_the_producer_panicked() {
    let run = listing!("ch02_producer_panic");
    assert_eq!(
        run.lines(),
        [
            "received [12, 7], then the channel closed",
            "the producer panicked: the data is incomplete",
        ]
    );
    assert!(
        run.stderr.contains("the sensor sent garbage"),
        "{}",
        run.stderr
    );
}
