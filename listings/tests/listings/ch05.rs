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
fn exercise_solution_accounts_for_every_item() {
    let run = listing!("ch05_solution");
    assert_eq!(
        run.lines(),
        ["every item was delivered or counted as dropped"]
    );
}
