//! Running a listing with a time limit, and reading its output.

use std::collections::BTreeMap;
use std::time::Duration;

/// Longer than any listing needs by a wide margin, even on a loaded 2-core machine.
/// `LISTING_TIME_LIMIT_SECS` overrides it: `cargo xtask mutants` sets 10 s, so a mutant that
/// hangs a listing is caught sooner (it first checks the unmutated tests pass with that limit).
fn time_limit() -> Duration {
    std::env::var("LISTING_TIME_LIMIT_SECS")
        .ok()
        .and_then(|secs| secs.parse().ok())
        .map_or(Duration::from_secs(30), Duration::from_secs)
}

/// A test's own limit for waiting on a thread or a job, shortened to the listing time limit
/// when that is shorter: under `cargo xtask mutants` (3-10 s there, five times what the test
/// took unmutated) a mutant that hangs costs seconds instead of the test's 10 or 20, and the
/// limit still leaves a test five times the time it needs.
pub fn capped(limit: Duration) -> Duration {
    limit.min(time_limit())
}

/// What a listing printed.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// How many times each line of stdout appears.
    pub fn line_counts(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for line in self.stdout.lines() {
            *counts.entry(line).or_default() += 1;
        }
        counts
    }

    /// Asserts that `line` appears on stdout exactly once.
    pub fn assert_once(&self, line: &str) {
        let n = self.stdout.lines().filter(|l| *l == line).count();
        assert_eq!(n, 1, "expected `{line}` exactly once in:\n{}", self.stdout);
    }

    /// The position of `line` on stdout.
    pub fn position(&self, line: &str) -> usize {
        self.stdout
            .lines()
            .position(|l| l == line)
            .unwrap_or_else(|| panic!("`{line}` missing from:\n{}", self.stdout))
    }
}

/// Runs the binary at `path` (from `env!("CARGO_BIN_EXE_...")`), fails the test if it does
/// not exit successfully within the time limit, and returns its output.
pub fn run(path: &str) -> Run {
    let limit = time_limit();
    let output = assert_cmd::Command::new(path)
        // As a reader's shell runs it, whatever the caller's environment: a panic prints its
        // message and place, as the chapters show, and no backtrace (symbolizing one also
        // costs each panicking listing a tenth of a second).
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .timeout(limit)
        .assert()
        .try_success()
        .unwrap_or_else(|e| panic!("{path} did not exit successfully within {limit:?}:\n{e}"))
        .get_output()
        .clone();
    Run {
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// `listing!("ch01_spawn_join")` runs that binary of the listings crate.
macro_rules! listing {
    ($name:literal) => {
        $crate::support::run(env!(concat!("CARGO_BIN_EXE_", $name)))
    };
}
pub(crate) use listing;

/// Runs `f` on its own thread and fails the test if it has not returned within `limit`, saying
/// `what` was running: a deadlocked or hung pool would otherwise hang the whole test binary.
pub fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: still running after {limit:?} (hung or deadlocked)")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}
