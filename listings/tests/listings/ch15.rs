//! Chapter 15: spawning tasks with tokio.

use std::future::Future;
use std::time::Duration;

use tokio::runtime::{Handle, RuntimeFlavor};
use tokio::time::Instant;

use crate::support::listing;

// Listings' async functions, called here under tokio's paused clock: time advances only when
// every task is waiting, straight to the next timer, so sleeps are exact and instant.
#[allow(dead_code)]
#[path = "../../src/bin/ch15_spawn.rs"]
mod spawn;

/// `#[tokio::test]` has no time limit of its own: a test that hangs would stall the whole
/// run. This one fails instead, with a message. On the paused clock the limit is virtual
/// time: if every task waits on something other than a timer, the clock jumps straight to
/// the limit, and the test fails at once. (A task that spins without `.await` never lets the
/// timeout run at all; no test here does that.)
async fn within<F: Future>(body: F) -> F::Output {
    let limit = Duration::from_secs(60);
    tokio::time::timeout(limit, body)
        .await
        .unwrap_or_else(|_| panic!("the test hung: not done after {limit:?}"))
}

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

#[tokio::test(start_paused = true)]
async fn spawned_tasks_wait_together_and_handles_give_spawn_order() {
    within(async {
        let start = Instant::now();
        assert_eq!(spawn::spawn_and_collect().await, [2, 4, 6, 8, 10]);
        // The tasks slept at the same time: 5 ms, the slowest one's sleep, not 1 + 2 + ... + 5.
        assert_eq!(start.elapsed(), Duration::from_millis(5));
    })
    .await;
}

#[test]
fn the_main_body_is_not_a_task_and_a_current_thread_task_waits_for_a_yield() {
    let run = listing!("ch15_runtime");
    assert_eq!(
        run.lines(),
        [
            "multi-thread: the body runs on `main`, the task on a worker thread",
            "current-thread: after spawn, the task has not run",
            "current-thread: after the body yielded, it has",
            "current-thread: the task ran on `main`, like the body",
        ]
    );
}

#[tokio::test]
async fn tokio_test_runs_on_a_current_thread_runtime() {
    within(async {
        assert_eq!(
            Handle::current().runtime_flavor(),
            RuntimeFlavor::CurrentThread
        );
    })
    .await;
}

#[test]
fn spawn_local_runs_tasks_that_hold_an_rc() {
    let run = listing!("ch15_send");
    assert_eq!(
        run.lines(),
        [
            "spawn: the Rc was gone before the .await",
            "spawn_local: three tasks shared an Rc",
        ]
    );
}

#[test]
fn joinset_yields_results_in_completion_order_on_the_paused_clock() {
    // The listing runs on the paused clock: the order is exact, and so is the time.
    let run = listing!("ch15_joinset");
    assert_eq!(
        run.lines(),
        ["completion order: [5, 4, 3, 2, 1], after 5ms"]
    );
}

#[test]
fn join_runs_two_futures_concurrently_and_try_join_drops_the_rest() {
    let run = listing!("ch15_join");
    assert_eq!(
        run.lines(),
        [
            "Ada met Grace; Grace met Ada",
            "try_join!: Err(\"refused\"), and the other future was dropped",
        ]
    );
}

#[test]
fn panics_and_aborts_come_back_as_join_errors_unless_too_late() {
    let run = listing!("ch15_panic_abort");
    assert_eq!(
        run.lines(),
        [
            "the task panicked: index out of bounds: the len is 0 but the index is 0",
            "the slow task was cancelled",
            "aborting a finished task: Ok(7)",
            "aborting a running task that never yields: Ok",
            "aborting a spawn_blocking closure: Ok",
            "the detached task finished anyway",
        ]
    );
}

#[test]
fn dropping_a_joinset_only_requests_abort_and_shutdown_waits() {
    let run = listing!("ch15_shutdown");
    assert_eq!(
        run.lines(),
        [
            "right after drop(set): 0 of 3 futures dropped",
            "after the body yielded: 3 of 3",
            "right after shutdown().await: 3 of 3 futures dropped",
            "dropping the runtime dropped the detached task, unfinished",
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

#[test]
fn block_in_place_keeps_the_other_tasks_running_and_needs_multi_thread() {
    let run = listing!("ch15_block_in_place");
    assert_eq!(
        run.lines(),
        [
            "multi-thread: the ticker kept ticking while a task blocked in place",
            "current-thread: block_in_place panicked: \
             can call blocking only when running on the multi-threaded runtime",
        ]
    );
}

#[test]
fn the_runtime_thread_answers_requests_while_rayon_computes_and_panics_come_back() {
    let run = listing!("ch15_cpu_work");
    assert_eq!(
        run.lines(),
        [
            "the server answered 3 requests while the job computed on rayon",
            "the job's panic came back to the task: bad input",
        ]
    );
}
