//! Chapter 12: shared queues and work stealing.

use crate::support::listing;

#[test]
fn shared_queue_runs_every_job_exactly_once() {
    let run = listing!("ch12_shared_queue");
    let mut per_worker = [0usize; 4];
    for job in 1..=20 {
        let suffix = format!(" ran job {job}");
        let lines: Vec<&str> = run
            .lines()
            .into_iter()
            .filter(|l| l.ends_with(&suffix))
            .collect();
        assert_eq!(
            lines.len(),
            1,
            "job {job} ran {} times:\n{}",
            lines.len(),
            run.stdout
        );
        let id: usize = lines[0]["worker ".len()..lines[0].len() - suffix.len()]
            .parse()
            .unwrap();
        per_worker[id] += 1;
    }
    // The summary's per-worker counts agree with the lines each worker printed.
    run.assert_once(&format!(
        "20 jobs, each run exactly once; jobs per worker: {per_worker:?}"
    ));
    assert_eq!(run.lines().len(), 21, "nothing else is printed");
}

#[test]
fn while_let_on_lock_holds_the_lock_during_the_body() {
    let run = listing!("ch12_lock_held");
    let expected: Vec<String> = [true, false]
        .iter()
        .flat_map(|held| {
            (1..=3).map(move |job| format!("job {job}: lock still held while the job runs: {held}"))
        })
        .collect();
    assert_eq!(run.lines(), expected);
}

#[test]
fn work_stealing_processes_every_item_once_and_terminates() {
    let run = listing!("ch12_work_stealing");
    run.assert_once("4096 items, each processed exactly once, in 256 jobs");
    run.assert_once("checksum matches the sequential run");
    // Every job a worker ran came from somewhere: the counts add up to the 256 jobs.
    let mut total = 0;
    for id in 0..4 {
        let prefix = format!("worker {id}: own deque ");
        let line = run
            .lines()
            .into_iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no stats for worker {id}:\n{}", run.stdout));
        let counts: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .skip(1) // the worker's id
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(counts.len(), 3, "{line}");
        total += counts.iter().sum::<usize>();
    }
    assert_eq!(total, 256);
}

#[test]
fn exercise_solution_waits_for_running_jobs_before_stopping() {
    let run = listing!("ch12_solution");
    assert_eq!(
        run.lines(),
        ["ran 8361 jobs, as many as fib(18) makes calls"]
    );
}
