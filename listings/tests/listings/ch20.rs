//! Chapter 20: preventing deadlocks.

use crate::support::listing;

#[test]
fn opposite_lock_orders_deadlock_and_the_watchdog_reports_it() {
    let run = listing!("ch20_deadlock");
    // Neither transfer finished: the watchdog's line is all there is.
    assert_eq!(run.lines(), ["deadlock: no transfer finished within 200ms"]);
}

#[test]
fn lock_ordering_conserves_money_under_a_transfer_storm() {
    let run = listing!("ch20_lock_ordering");
    assert_eq!(run.lines().len(), 2, "{}", run.stdout);
    // "20000 transfers: <ok> done, <same> to the same account, <refused> refused"
    let numbers: Vec<usize> = run.lines()[0]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let [total, ok, same, refused] = numbers[..] else {
        panic!("unexpected summary: {}", run.stdout)
    };
    assert_eq!(total, 20_000);
    assert_eq!(ok + same + refused, total);
    assert!(
        same > 0,
        "transfers to the same account were attempted and refused"
    );
    assert_eq!(run.lines()[1], "total before: 4000, after: 4000");
}

#[test]
fn relocking_a_held_mutex_would_block() {
    let run = listing!("ch20_relock");
    assert_eq!(
        run.lines(),
        [
            "second lock on the same thread: WouldBlock",
            "after dropping the first guard: Ok"
        ]
    );
}

#[test]
fn try_lock_with_back_off_finishes_both_directions() {
    let run = listing!("ch20_try_lock");
    assert!(run.lines()[0].starts_with("backed off "), "{}", run.stdout);
    assert_eq!(
        run.lines()[1],
        "10000 transfers each way; balances 1000000 and 1000000"
    );
}

#[test]
fn timed_lock_gives_up_and_both_transfers_complete() {
    let run = listing!("ch20_timed_lock");
    // Both threads held one lock and waited for the other: at least one timed out.
    let gave_up = run
        .lines()
        .iter()
        .filter(|l| l.ends_with("gave up after 50ms"))
        .count();
    assert!(gave_up >= 1, "{}", run.stdout);
    for name in ["a -> b", "b -> a"] {
        let done: Vec<_> = run
            .lines()
            .into_iter()
            .filter(|l| l.starts_with(&format!("{name}: done")))
            .collect();
        assert_eq!(done.len(), 1, "{}", run.stdout);
    }
    // Both cannot have succeeded at the first attempt: that would need each to release first.
    let first_try = run
        .lines()
        .iter()
        .filter(|l| l.ends_with("done at the first attempt"))
        .count();
    assert!(first_try <= 1, "{}", run.stdout);
    assert_eq!(run.lines().last(), Some(&"both transfers done, total 200"));
}

#[test]
fn exercise_solution_feeds_every_philosopher() {
    let run = listing!("ch20_solution");
    assert_eq!(
        run.lines(),
        ["5 philosophers ate 1000 meals each; every fork was used 2000 times"]
    );
}
