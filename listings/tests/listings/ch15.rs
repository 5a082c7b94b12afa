//! Chapter 15: tokio tasks.

use std::time::Duration;

use crate::support::listing;

// The listings' async functions, called here under tokio's paused clock: time advances only
// when every task is waiting, straight to the next timer, so sleeps are exact and instant.
#[allow(dead_code)]
#[path = "../../src/bin/ch15_joinset.rs"]
mod joinset;
#[allow(dead_code)]
#[path = "../../src/bin/ch15_solution.rs"]
mod solution;

#[test]
fn awaiting_handles_in_turn_gives_spawn_order() {
    let run = listing!("ch15_spawn");
    for id in 1..=5 {
        run.assert_once(&format!("task {id} starting"));
        run.assert_once(&format!("task {id} done"));
        assert!(
            run.position(&format!("task {id} starting")) < run.position(&format!("task {id} done"))
        );
    }
    // Results come in spawn order, and only after every task has finished.
    assert_eq!(run.position("results in spawn order: [2, 4, 6, 8, 10]"), 10);
}

#[test]
fn joinset_listing_reports_every_task_once() {
    let run = listing!("ch15_joinset");
    assert_eq!(run.lines().len(), 1);
    assert!(run.lines()[0].starts_with("completion order: ["));
}

// ANCHOR: completion_order
#[tokio::test(start_paused = true)]
async fn joinset_yields_results_in_completion_order() {
    let start = tokio::time::Instant::now();
    assert_eq!(joinset::completion_order().await, [5, 4, 3, 2, 1]);
    // The tasks ran concurrently: the whole set took as long as the slowest task, 5 ms.
    assert_eq!(start.elapsed(), Duration::from_millis(5));
}
// ANCHOR_END: completion_order

#[test]
fn panics_and_aborts_come_back_as_join_errors() {
    let run = listing!("ch15_panic_abort");
    assert_eq!(
        run.lines(),
        [
            "the task panicked: index out of bounds: the len is 0 but the index is 0",
            "the slow task was cancelled",
            "the detached task finished anyway",
            "dropping the JoinSet cancelled its task",
        ]
    );
}

#[test]
fn blocking_the_runtime_thread_stops_the_ticker() {
    // The listing asserts the counts itself: equal before and after the blocking sleep, and
    // three more ticks while spawn_blocking waits.
    let run = listing!("ch15_blocking");
    assert_eq!(
        run.lines(),
        [
            "while main blocked the thread, the ticker did not tick",
            "while spawn_blocking waited, the ticker kept ticking",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn first_ok_returns_the_first_success_without_waiting_for_the_rest() {
    let ms = Duration::from_millis;
    let start = tokio::time::Instant::now();
    let result = solution::first_ok(vec![
        (ms(500), Ok(1)),
        (ms(10), Err("refused".into())),
        (ms(30), Ok(2)),
        (ms(20), Ok(3)),
    ])
    .await;
    assert_eq!(result, Ok(3));
    assert_eq!(start.elapsed(), ms(20));
}

#[tokio::test(start_paused = true)]
async fn first_ok_collects_every_error_in_completion_order() {
    let ms = Duration::from_millis;
    let start = tokio::time::Instant::now();
    let result = solution::first_ok(vec![
        (ms(3), Err("c".into())),
        (ms(1), Err("a".into())),
        (ms(2), Err("b".into())),
    ])
    .await;
    assert_eq!(result, Err(vec!["a".to_string(), "b".into(), "c".into()]));
    assert_eq!(start.elapsed(), ms(3));
}

#[test]
fn exercise_solution_runs() {
    let run = listing!("ch15_solution");
    assert_eq!(
        run.lines(),
        ["first success: Ok(2)", "all failed: [\"a\", \"b\"]"]
    );
}
