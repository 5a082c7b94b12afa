//! Chapter 4: shared state with Arc and Mutex.

use crate::support::listing;

#[test]
fn counter_is_exact_and_every_thread_saw_its_own_increments() {
    let run = listing!("ch04_counter");
    run.assert_once("final count: 5000");
    assert_eq!(
        run.position("final count: 5000"),
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
        // A thread reads after its own 1000 increments, and nobody can count past 5000.
        assert!((1000..=5000).contains(&seen), "thread {id} saw {seen}");
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
            "no job: in edition 2021 the lock is still held in the else branch",
            "job 6: the lock was free, so we pushed a follow-up job",
            "drained [60, 5, 4]",
        ]
    );
}

#[test]
fn exercise_solution_counts_like_one_thread() {
    let run = listing!("ch04_solution");
    assert_eq!(run.lines(), ["all counts match"]);
}
