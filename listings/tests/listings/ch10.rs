//! Chapter 10: thread-local storage.

use crate::support::listing;

#[test]
fn counter_each_thread_counts_its_own_events_and_the_merge_is_exact() {
    let run = listing!("ch10_counter");
    for id in 1..=4 {
        // Thread `id` handles id * 300 items and records every third one.
        run.assert_once(&format!("thread {id} recorded {} events", id * 100));
    }
    run.assert_once("main recorded 10, workers 1000");
    assert_eq!(run.lines().last(), Some(&"main recorded 10, workers 1000"));
    assert_eq!(run.lines().len(), 5);
}

#[test]
fn flush_on_exit_destructors_have_run_when_join_returns() {
    let run = listing!("ch10_flush_on_exit");
    assert_eq!(run.lines(), ["total after joining: 4000"]);
}

#[test]
fn a_panicking_thread_local_destructor_aborts_the_process() {
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_ch10_panicking_destructor"))
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .expect("the listing runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "the process must not succeed: {stderr}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        const SIGABRT: i32 = 6;
        assert_eq!(
            output.status.signal(),
            Some(SIGABRT),
            "an abort, not an exit: {stderr}"
        );
    }
    // `join` never returned, neither Ok nor Err: the line after it did not print.
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    assert!(stderr.contains("flush failed"), "{stderr}");
    assert!(
        stderr.contains("fatal runtime error: thread local panicked on drop"),
        "{stderr}"
    );
}

#[test]
fn once_initialisers_run_once_per_thread_and_once_per_process() {
    let run = listing!("ch10_once");
    assert_eq!(
        run.lines(),
        [
            "thread_local! initialiser ran 8 times, once per thread",
            "OnceLock initialiser ran 1 time",
            "LazyLock initialiser ran 1 time; CONFIG = workers=8",
        ]
    );
}
