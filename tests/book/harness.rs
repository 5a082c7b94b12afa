//! What the generated tests need beyond skeptic: a watchdog, and a check for `compile_fail`.
#![allow(dead_code)] // Only generated tests call these, and a book may not need every kind.

use std::io::Write;
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use std::{env, fs, thread};

/// How long one block may take to compile and run before the run is declared hung.
fn time_limit() -> Duration {
    let secs = env::var("BOOK_BLOCK_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120);
    Duration::from_secs(secs)
}

/// Blocks running now: where they are in the book, and since when.
static RUNNING: Mutex<Vec<(&'static str, Instant)>> = Mutex::new(Vec::new());

/// Marks the block at `at` (chapter:line) as running until the guard drops. If any block runs
/// longer than the time limit, the whole test process reports it, kills the block's processes
/// and exits: a hang fails the run with the block's place instead of stalling it.
pub fn watch(at: &'static str) -> Watch {
    static MONITOR: OnceLock<()> = OnceLock::new();
    MONITOR.get_or_init(|| {
        thread::spawn(monitor);
    });
    RUNNING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((at, Instant::now()));
    Watch { at }
}

pub struct Watch {
    at: &'static str,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        running.retain(|(at, _)| *at != self.at);
        if thread::panicking() {
            eprintln!("the code block at {} failed (its output is above)", self.at);
        }
    }
}

fn monitor() {
    let limit = time_limit();
    loop {
        thread::sleep(Duration::from_millis(500));
        let running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, since)) = running.iter().find(|(_, since)| since.elapsed() > limit) {
            // Straight to stderr: this thread inherited a test's output capture, and that
            // test's output is never shown once the process exits.
            let _ = writeln!(
                std::io::stderr(),
                "\nerror: the code block at {at} has run for {} s (limit {} s, set \
                 BOOK_BLOCK_TIMEOUT_SECS to change it): it probably hangs. Stopping the run.",
                since.elapsed().as_secs(),
                limit.as_secs()
            );
            kill_children();
            std::process::exit(101);
        }
    }
}

/// Kills the processes this test binary started (rustc, or a block's program).
fn kill_children() {
    let me = std::process::id().to_string();
    let Ok(entries) = fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // Fields after the command name (which may hold spaces) are: state, ppid, ...
        let parent = stat
            .rsplit(')')
            .next()
            .and_then(|s| s.split_whitespace().nth(1));
        if parent == Some(me.as_str()) {
            let _ = Command::new("kill").args(["-9", &pid]).status();
        }
    }
}

/// Runs a block through skeptic, retrying when the freshly compiled binary could not be started
/// because it was "busy" (ETXTBSY, os error 26). That is a Linux race, not a failure of the block:
/// skeptic writes a binary into its cache while another worker forks to start a process, the child
/// briefly inherits the open file, and executing the binary in that window fails. Any other
/// failure is reported as it is.
pub fn run_test(root_dir: &str, out_dir: &str, target_triple: &str, test_text: &str) {
    const ATTEMPTS: u32 = 3;
    for attempt in 1..=ATTEMPTS {
        let outcome = std::panic::catch_unwind(|| {
            skeptic::rt::run_test(root_dir, out_dir, target_triple, test_text)
        });
        match outcome {
            Ok(()) => return,
            Err(payload) if attempt < ATTEMPTS && is_text_file_busy(&*payload) => {
                thread::sleep(Duration::from_millis(100));
            }
            Err(payload) => std::panic::resume_unwind(payload),
        }
    }
}

fn is_text_file_busy(payload: &(dyn std::any::Any + Send)) -> bool {
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("");
    message.starts_with("Could not run") && message.contains("os error 26")
}

/// The environment variable that turns `compile_fail_probe` from a no-op into a compile.
const PROBE_SNIPPET: &str = "BOOK_COMPILE_FAIL_SNIPPET";

/// Checks that the block at `at` fails to compile with `code` (such as `E0373`).
///
/// skeptic knows how to call rustc with the book's dependencies, but prints the compiler's
/// errors where this process cannot read them. So this test runs its own binary again, on the
/// one test `compile_fail_probe`, and reads the compiler's output from that child.
pub fn expect_compile_error(at: &'static str, code: &str, snippet: &str) {
    let _watch = watch(at);
    let snippet_file = env::temp_dir().join(format!(
        "book-compile-fail-{}-{}.rs",
        std::process::id(),
        at.replace(['/', ':', '.'], "_")
    ));
    fs::write(&snippet_file, snippet).expect("write the snippet");
    let output = Command::new(env::current_exe().expect("the test binary's path"))
        .args([
            "harness::compile_fail_probe",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PROBE_SNIPPET, &snippet_file)
        .output()
        .expect("run the compile_fail probe");
    let _ = fs::remove_file(&snippet_file);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !output.status.success(),
        "{at}: this compile_fail block compiled, but the text says it fails with {code}"
    );
    let wanted = format!("error[{code}]");
    assert!(
        stderr.contains(&wanted) || stdout.contains(&wanted),
        "{at}: this compile_fail block failed, but not with {code} as the text says:\n{stderr}"
    );
}

/// Not a test of its own: `expect_compile_error` runs this binary again with only this test
/// and the snippet to compile. Without the variable it has nothing to do.
#[test]
fn compile_fail_probe() {
    if let Ok(path) = env::var(PROBE_SNIPPET) {
        let snippet = fs::read_to_string(path).expect("read the snippet");
        skeptic::rt::compile_test(
            env!("CARGO_MANIFEST_DIR"),
            env!("OUT_DIR"),
            env!("BOOK_TARGET"),
            &snippet,
        );
    }
}
