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

/// The same listing built with `-C panic=abort`, the flag `panic = "abort"` in a Cargo profile
/// passes: the worker's panic ends the whole process, so `join` never returns.
#[test]
fn with_panic_abort_join_never_sees_the_panic() {
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin/ch01_join_panic.rs");
    // One file per test process: several `cargo test` runs may share the target directory.
    let binary = format!(
        "{}/ch01_join_panic_abort_{}",
        env!("CARGO_TARGET_TMPDIR"),
        std::process::id()
    );
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let built = std::process::Command::new(&rustc)
        .args([
            "--edition",
            "2021",
            "-C",
            "panic=abort",
            "-o",
            &binary,
            source,
        ])
        .output()
        .unwrap_or_else(|e| panic!("could not run {rustc}: {e}"));
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let output = assert_cmd::Command::new(&binary)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .expect("the binary runs");
    let _ = std::fs::remove_file(&binary);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "an abort is a failure: {stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        const SIGABRT: i32 = 6;
        assert_eq!(output.status.signal(), Some(SIGABRT), "{stderr}");
    }
    // Neither the `Err` arm nor the line after the `match` ran.
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    // The hook still printed the panic before the process ended.
    assert!(stderr.contains("index out of bounds"), "{stderr}");
}

#[test]
fn a_detached_thread_panics_unnoticed_and_dies_with_the_process() {
    // `listing!` fails unless the process exits successfully, within the time limit: the
    // panic did not fail it, and the endless thread did not keep it alive.
    let run = listing!("ch01_detached");
    assert_eq!(
        run.lines(),
        [
            "the worker has ended, and main cannot tell how",
            "main returns, and the process exits with the loop still running",
        ]
    );
    // The default hook printed the panic all the same.
    assert!(run.stderr.contains("index out of bounds"), "{}", run.stderr);
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

/// On Linux, `available_parallelism` counts the CPUs this process may run on, not the machine's:
/// restricted to one CPU with `taskset`, the listing starts one thread.
#[cfg(target_os = "linux")]
#[test]
fn builder_honours_the_cpu_affinity_mask_on_linux() {
    // One CPU this test itself may use (CI may restrict the set too).
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let allowed = status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .expect("Cpus_allowed_list in /proc/self/status");
    let cpu: String = allowed
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let output = assert_cmd::Command::new("taskset")
        .args(["-c", &cpu, env!("CARGO_BIN_EXE_ch01_builder")])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .expect("taskset (util-linux) runs");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "this machine can run 1 threads in parallel",
            "hello from worker-0"
        ]
    );
}
