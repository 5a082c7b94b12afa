//! Running a command with a time limit, and reading what libtest, Miri and the compiler print.

use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of one test showed.
pub(super) enum Outcome {
    Passed,
    Failed(String),
    /// The run says nothing about the test: it does not exist, is ignored, or cannot run.
    NotRun(String),
}
pub(super) struct Finished {
    pub(super) success: bool,
    pub(super) timed_out: bool,
    pub(super) output: String,
}

/// Runs `command` with its output in `log`, killing its process group after `limit`.
pub(super) fn run_limited(
    mut command: Command,
    limit: Duration,
    log: &Path,
) -> std::result::Result<Finished, String> {
    use std::os::unix::process::CommandExt;
    let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let started = Instant::now();
    let (success, timed_out) = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break (status.success(), false);
        }
        if started.elapsed() > limit {
            let _ = Command::new("kill")
                .args(["-KILL", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            break (false, true);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // A log that cannot be read says nothing about the test: never read it as a failure.
    let output = fs::read(log).map_err(|e| format!("cannot read {}: {e}", log.display()))?;
    let output = String::from_utf8_lossy(&output).into_owned();
    Ok(Finished {
        success,
        timed_out,
        output,
    })
}

/// What libtest's output says about test `name`.
pub(super) fn test_outcome(output: &str, name: &str, timed_out: Option<Duration>) -> Outcome {
    let result = output.lines().find_map(|line| {
        line.strip_prefix("test ")?
            .strip_prefix(name)?
            .strip_prefix(" ... ")
            .map(str::trim)
    });
    match result {
        Some("ok") => Outcome::Passed,
        Some(r) if r.starts_with("FAILED") => Outcome::Failed(failure_message(output, name)),
        Some(r) if r.starts_with("ignored") => {
            Outcome::NotRun("the test is #[ignore]d, so it runs nowhere".to_owned())
        }
        _ => match timed_out {
            Some(limit) => Outcome::Failed(format!(
                "no result after {} s: a hang counts as a failure",
                limit.as_secs()
            )),
            None if output.contains("running 0 tests") => {
                Outcome::NotRun("no test has this name".to_owned())
            }
            None => Outcome::Failed(format!(
                "the test process ended without a result: {}",
                output
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("(no output)")
            )),
        },
    }
}

/// The panic message in test `name`'s captured output: its first line, and when it reports a
/// program that panicked in turn (a listing run by the test), that program's message and place.
fn failure_message(output: &str, name: &str) -> String {
    let section = output
        .split_once(&format!("---- {name} stdout ----"))
        .map_or(output, |(_, rest)| rest);
    shorten(
        &panic_summary(section).unwrap_or_else(|| "failed (no panic message)".to_owned()),
        240,
    )
}

/// What the panics in `section` say, if it has any (see `failure_message`).
pub(super) fn panic_summary(section: &str) -> Option<String> {
    let lines: Vec<&str> = section.lines().collect();
    // `thread 'x' panicked at src/file.rs:1:2:`, then the message on the lines below.
    let panics: Vec<(&str, Vec<&str>)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let place = line.split_once("panicked at ")?.1.trim_end_matches(':');
            let message = lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .skip_while(|l| l.is_empty())
                .take_while(|l| !l.is_empty() && !l.starts_with("note:") && !l.starts_with("```"))
                .take(3)
                .collect();
            Some((place, message))
        })
        .collect();
    let message = match &panics[..] {
        [] => return None,
        [(_, first), .., (place, inner)] if first.first().is_some_and(|l| l.ends_with(':')) => {
            format!("{} {} (at {place})", first[0], inner.join(" "))
        }
        // A listing run by the test failed without a panic: say how it ended.
        [(_, first)] if first.first().is_some_and(|l| l.ends_with(':')) => {
            match section.lines().find_map(|l| l.trim().strip_prefix("code=")) {
                Some("<interrupted>") => format!("{} killed at its time limit (it hung)", first[0]),
                Some(code) => format!("{} exit code {code}", first[0]),
                None => first[0].to_owned(),
            }
        }
        [(place, first), ..] if first.is_empty() => format!("panicked at {place}"),
        [(_, first), ..] => first[0].to_owned(),
    };
    Some(message)
}

pub(super) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

pub(super) fn first_line_with(output: &str, needle: &str) -> Option<String> {
    output
        .lines()
        .find(|line| line.contains(needle))
        .map(|line| shorten(line.trim(), 200))
}

/// The compiler's error lines (not its warnings), for a message.
pub(super) fn compiler_errors(stderr: &str) -> String {
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("error") && !line.starts_with("error: could not compile"))
        .collect();
    if errors.is_empty() {
        stderr.lines().rev().take(10).collect::<Vec<_>>().join("\n")
    } else {
        errors.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutants::runner::TEST_LIMIT;

    #[test]
    fn libtest_output_is_read_per_test() {
        let output = "\nrunning 2 tests\ntest ch01::a ... ok\ntest ch01::b ... FAILED\n\nfailures:\n\n\
            ---- ch01::b stdout ----\n\nthread 'ch01::b' panicked at listings/tests/listings/ch01.rs:9:5:\n\
            assertion `left == right` failed: nothing else is printed\n  left: 8\n right: 9\n";
        assert!(matches!(
            test_outcome(output, "ch01::a", None),
            Outcome::Passed
        ));
        // A listing run by the test panicked: its message and place say more than the test's.
        let nested = "---- ch01::s stdout ----\n\nthread 'ch01::s' (9) panicked at listings/tests/listings/support.rs:51:29:\n\
            ch01_solution did not exit successfully within 30s:\nUnexpected failure.\ncode=101\nstderr=``````\n\n\
            thread \\'main\\' (20063) panicked at listings/src/bin/ch01_solution.rs:27:5:\n\
            assertion `left == right` failed\n  left: 36\n right: 55\nnote: run with `RUST_BACKTRACE=1`\n```\n";
        assert_eq!(
            failure_message(nested, "ch01::s"),
            "ch01_solution did not exit successfully within 30s: assertion `left == right` failed \
             left: 36 right: 55 (at listings/src/bin/ch01_solution.rs:27:5)"
        );
        let hung = "---- ch01::h stdout ----\nthread 'ch01::h' (9) panicked at support.rs:51:29:\n\
            ch02_channel did not exit successfully within 10s:\nUnexpected failure.\ncode=<interrupted>\n";
        assert_eq!(
            failure_message(hung, "ch01::h"),
            "ch02_channel did not exit successfully within 10s: killed at its time limit (it hung)"
        );
        match test_outcome(output, "ch01::b", None) {
            Outcome::Failed(why) => {
                assert_eq!(
                    why,
                    "assertion `left == right` failed: nothing else is printed"
                )
            }
            _ => panic!("ch01::b failed"),
        }
        assert!(matches!(
            test_outcome("running 0 tests\n", "ch01::c", None),
            Outcome::NotRun(_)
        ));
        match test_outcome("running 1 test\n", "ch01::c", Some(TEST_LIMIT)) {
            Outcome::Failed(why) => assert!(why.contains("a hang counts as a failure")),
            _ => panic!("a hang is a failure"),
        }
        // `ch01::a` must not match the result line of `ch01::ab`.
        assert!(matches!(
            test_outcome("running 1 test\ntest ch01::ab ... ok\n", "ch01::a", None),
            Outcome::Failed(_)
        ));
    }
}
