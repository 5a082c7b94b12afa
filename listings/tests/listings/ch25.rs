//! Chapter 25: thread pools.

use crate::support::listing;

#[test]
fn naive_pool_loses_its_workers_to_panics_and_panics_in_drop() {
    let run = listing!("ch25_naive_pool");
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
    let run = listing!("ch25_pool");
    assert_eq!(
        run.lines()[..5],
        [
            "sum of squares 1..=100: 338350",
            "the failing task's handle says: bad input",
            "queued 10 panicking jobs and 1001 others; run so far: 0",
            "after drop, each of the 1000 jobs ran exactly once: true",
            "and the slow job had finished: true",
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
fn pool_dropped_from_its_own_job_does_not_panic() {
    let run = listing!("ch25_pool");
    let last = run.lines()[5];
    assert!(
        ["pool-0", "pool-1"]
            .map(|w| format!("dropped the pool from its own worker {w}: no panic"))
            .contains(&last.to_owned()),
        "{}",
        run.stdout
    );
    assert_eq!(run.lines().len(), 6, "{}", run.stdout);
    // The eleven panics of the jobs above, and nothing from the `drop` inside a job.
    assert_eq!(
        run.stderr.matches("panicked at").count(),
        11,
        "{}",
        run.stderr
    );
}

#[test]
fn rayon_spawn_panics_go_to_the_panic_handler_and_the_pool_carries_on() {
    let run = listing!("ch25_rayon_panic");
    assert_eq!(
        run.lines(),
        [
            "the panic handler got: a spawned job failed",
            "a later job ran"
        ]
    );
}

#[test]
fn timeline_every_job_runs_once_and_each_worker_runs_one_at_a_time() {
    const WORKERS: usize = 2;
    const JOBS: usize = 8;
    let run = listing!("ch25_timeline");
    let lines = run.lines();
    let queued = run.position("main: queued 8 jobs");
    let mut ran = Vec::new();
    for w in 0..WORKERS {
        let prefix = format!("worker {w}: ");
        let mine: Vec<(usize, &str)> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| Some((i, l.strip_prefix(&prefix)?)))
            .collect();
        // A worker's own lines are in its order: job by job, each started and finished before
        // the next one starts, then its exit, which needs the queue closed by main.
        let ((exit_at, exit), jobs) = mine.split_last().expect("every worker exits");
        assert_eq!(*exit, "queue closed and empty, exiting");
        assert!(queued < *exit_at, "{}", run.stdout);
        assert_eq!(jobs.len() % 2, 0, "{}", run.stdout);
        for pair in jobs.chunks(2) {
            let id = pair[0].1.strip_prefix("job ").unwrap();
            let id = id.strip_suffix(" started").unwrap();
            assert_eq!(pair[1].1, format!("job {id} finished"), "{}", run.stdout);
            ran.push(id.parse::<usize>().unwrap());
        }
    }
    // Which worker ran which job, and how many each ran, depends on timing; that every job
    // ran exactly once does not.
    ran.sort_unstable();
    assert_eq!(ran, (0..JOBS).collect::<Vec<_>>(), "{}", run.stdout);
    assert_eq!(lines.last(), Some(&"main: all workers joined"));
    assert_eq!(lines.len(), 2 * JOBS + WORKERS + 2, "{}", run.stdout);
}
