//! Chapter 4: shared state with Arc and Mutex.

use crate::support::listing;

#[test]
fn counter_is_exact_and_every_thread_saw_its_own_increments() {
    let run = listing!("ch04_counter");
    // 5 threads, 100 000 increments each, overlapping: a lost update would show here.
    run.assert_once("final count: 500000");
    assert_eq!(
        run.position("final count: 500000"),
        5,
        "main joins every thread first"
    );
    for id in 1..=5 {
        let prefix = format!("thread {id} done, the count was ");
        let lines: Vec<&str> = run
            .lines()
            .into_iter()
            .filter(|l| l.starts_with(&prefix))
            .collect();
        assert_eq!(lines.len(), 1, "thread {id} reports once:\n{}", run.stdout);
        let seen: u64 = lines[0][prefix.len()..].parse().unwrap();
        // A thread reads after its own 100 000 increments, and nobody can count past 500 000.
        assert!(
            (100_000..=500_000).contains(&seen),
            "thread {id} saw {seen}"
        );
    }
}

#[test]
fn a_panic_under_the_lock_poisons_it_and_recovery_sees_the_half_done_update() {
    let run = listing!("ch04_poison");
    assert_eq!(
        run.lines(),
        [
            "the lock is poisoned; repairing the data",
            "found [-10, 40]",
            "repaired [60, 40]",
        ]
    );
    assert!(run.stderr.contains("overdrawn"), "{}", run.stderr);
}

#[test]
fn scrutinee_guards_live_through_the_body_and_a_let_drops_them() {
    let run = listing!("ch04_guard_scope");
    assert_eq!(
        run.lines(),
        [
            "job 3: the lock is still held inside the if-let body",
            "no job: in edition 2024 the else branch runs with the lock free",
            "job 7: braces around the scrutinee dropped the guard",
            "job 6: the lock was free, so we pushed a follow-up job",
            "drained [60, 5, 4]",
        ]
    );
}

/// The listings are edition 2024, where an `if let` drops its scrutinee's temporaries before
/// `else`, and a block drops its tail expression's temporaries at its end. The listing asserts
/// `try_lock` succeeds in both places before printing these lines; `job 7` was pushed by the
/// `else` branch, so that lock really was taken.
#[test]
fn in_edition_2024_else_and_a_braced_scrutinee_run_with_the_lock_free() {
    let run = listing!("ch04_guard_scope");
    run.assert_once("no job: in edition 2024 the else branch runs with the lock free");
    run.assert_once("job 7: braces around the scrutinee dropped the guard");
}

#[test]
fn a_static_mutex_is_shared_by_every_thread_without_arc() {
    // 4 threads register 250 sessions each; the listing also checks that none is duplicated.
    let run = listing!("ch04_static");
    assert_eq!(run.lines(), ["1000 sessions registered"]);
}

#[test]
fn a_leaked_box_is_a_static_reference_every_thread_can_copy() {
    let run = listing!("ch04_leak");
    assert_eq!(
        run.lines(),
        ["every thread read the same map: the limits add up to 1000"]
    );
}
