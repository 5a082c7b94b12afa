//! Chapter 24: thread pools.

use crate::support::listing;

#[test]
fn naive_pool_loses_its_workers_to_panics_and_panics_in_drop() {
    let run = listing!("ch24_naive_pool");
    assert_eq!(
        run.lines(),
        ["dropping the pool panicked: true", "jobs run: 0 of 5"]
    );
    // The job panics, then the one `Drop` raised by unwrapping a worker's join. `drop` never
    // got to join the second worker, so the process may exit before its report is printed.
    let reports = run.stderr.matches("a job failed").count();
    assert!((1..=2).contains(&reports), "{}", run.stderr);
    assert!(run.stderr.contains("Result::unwrap()"), "{}", run.stderr);
}

#[test]
fn pool_survives_panics_runs_every_job_once_and_drop_waits() {
    let run = listing!("ch24_pool");
    assert_eq!(
        run.lines(),
        [
            "sum of squares 1..=100: 338350",
            "the failing task's handle says: bad input",
            "queued 10 panicking jobs and 1000 others; run so far: 0",
            "after drop, each of the 1000 jobs ran exactly once: true",
        ]
    );
    // Every one of the ten failing jobs was reported by the panic hook, on a pool thread.
    for i in 0..10 {
        assert_eq!(
            run.stderr.matches(&format!("job {i} failed\n")).count(),
            1,
            "{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("thread 'pool-"), "{}", run.stderr);
    assert!(!run.stderr.contains("thread 'main'"), "{}", run.stderr);
}

#[test]
fn exercise_solution_waits_for_idle_without_shutting_down() {
    let run = listing!("ch24_solution");
    assert_eq!(
        run.lines(),
        ["waited twice, the pool still running: 200 jobs done"]
    );
}
