//! Chapter 1: spawning and joining threads.

use crate::support::listing;

#[test]
fn spawn_join_prints_every_step_of_both_threads_then_the_result() {
    let run = listing!("ch01_spawn_join");
    for step in 1..=5 {
        run.assert_once(&format!("worker: step {step}"));
    }
    for step in 1..=3 {
        run.assert_once(&format!("main: step {step}"));
    }
    run.assert_once("worker returned 15");
    assert_eq!(run.lines().len(), 9, "nothing else is printed");
    // join waits for the worker: its result comes after every line it printed.
    let result = run.position("worker returned 15");
    assert_eq!(
        result,
        run.lines().len() - 1,
        "join returned before the worker finished"
    );
}

#[test]
fn join_hands_back_the_panic_and_main_carries_on() {
    let run = listing!("ch01_join_panic");
    assert_eq!(
        run.lines(),
        [
            "the worker panicked: index out of bounds: the len is 0 but the index is 0",
            "main is still running",
        ]
    );
    // The default panic hook still reports the panic, naming the (unnamed) thread.
    assert!(run.stderr.contains("panicked at"), "{}", run.stderr);
}

#[test]
fn move_closure_owns_its_data() {
    let run = listing!("ch01_move");
    assert_eq!(run.lines(), ["sensor-7: 14"]);
}

#[test]
fn builder_names_one_thread_per_core() {
    let run = listing!("ch01_builder");
    let cores = std::thread::available_parallelism().unwrap().get();
    run.assert_once(&format!("this machine can run {cores} threads in parallel"));
    for i in 0..cores {
        run.assert_once(&format!("hello from worker-{i}"));
    }
    assert_eq!(run.line_counts().len(), cores + 1);
}

#[test]
fn exercise_solution_sums_correctly() {
    let run = listing!("ch01_solution");
    assert_eq!(run.lines(), ["all sums match"]);
}
