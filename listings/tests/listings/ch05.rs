//! Chapter 5: bounded channels and backpressure.

use crate::support::listing;

#[test]
fn capacity_is_exact_and_rendezvous_holds_nothing() {
    let run = listing!("ch05_capacity");
    assert_eq!(
        run.lines(),
        [
            "capacity 3: three messages fit, the fourth does not",
            "one recv made room for one more",
            "capacity 0: nothing fits without a waiting receiver",
        ]
    );
}

#[test]
fn producer_is_never_more_than_capacity_plus_one_ahead() {
    let run = listing!("ch05_backpressure");
    // The listing asserts the bounds in both threads; a failed bound would panic and fail here.
    assert_eq!(
        run.lines(),
        [
            "capacity 0: 100 items in order, producer never more than 1 ahead",
            "capacity 1: 100 items in order, producer never more than 2 ahead",
            "capacity 4: 100 items in order, producer never more than 5 ahead",
        ]
    );
    // And the leads it reports stay within them.
    let leads: Vec<(usize, usize, usize)> = run
        .stderr
        .lines()
        .filter_map(|line| {
            let (cap, rest) = line
                .strip_prefix("capacity ")?
                .split_once(": largest leads seen: ")?;
            let (p, rest) = rest.split_once(" by the producer, ")?;
            let c = rest.strip_suffix(" by the consumer")?;
            Some((cap.parse().ok()?, p.parse().ok()?, c.parse().ok()?))
        })
        .collect();
    assert_eq!(leads.len(), 3, "{}", run.stderr);
    for (capacity, producer_lead, consumer_lead) in leads {
        assert!(producer_lead <= capacity + 1, "{}", run.stderr);
        assert!(consumer_lead <= capacity, "{}", run.stderr);
    }
}

#[test]
fn timeline_producer_never_prints_more_than_capacity_plus_one_ahead() {
    const CAPACITY: i64 = 2;
    const ITEMS: usize = 8;
    let run = listing!("ch05_timeline");
    let lines = run.lines();
    // Every item is sent once and received once, and each thread prints its items in order.
    let items = |prefix: &str| -> Vec<usize> {
        lines
            .iter()
            .filter_map(|l| l.strip_prefix(prefix))
            .map(|n| n.parse().unwrap())
            .collect()
    };
    let all: Vec<usize> = (0..ITEMS).collect();
    assert_eq!(items("producer: sent "), all, "{}", run.stdout);
    assert_eq!(items("consumer: received "), all, "{}", run.stdout);
    // The order the diagram shows is guaranteed where it matters. `sent n` is printed after
    // `send(n)` returned, so item n - 2 had left the channel, so the consumer had already
    // printed `received n - 3` before its next `recv`: at most 3 sent lines ahead. And
    // `received n` needs `send(n)`, which the producer calls after printing `sent n - 1`.
    let (mut sent, mut received) = (0, 0);
    for line in &lines {
        if line.starts_with("producer: sent ") {
            sent += 1;
        } else if line.starts_with("consumer: received ") {
            received += 1;
        }
        assert!(sent - received <= CAPACITY + 1, "{}", run.stdout);
        assert!(received - sent <= 1, "{}", run.stdout);
    }
    assert_eq!(
        lines.last(),
        Some(&"8 items in order, the producer never more than 3 ahead")
    );
    assert_eq!(lines.len(), 2 * ITEMS + 1, "{}", run.stdout);
}
