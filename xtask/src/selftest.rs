//! `cargo xtask selftest`: bad input to the tooling must fail loudly, naming chapter and line.
//!
//! Each case feeds a deliberately broken fixture from `xtask/fixtures/` to the real tooling
//! (`cargo test` through `build.rs`, or `cargo xtask build`) and checks both that it fails and
//! that the failure says where.

use crate::{Result, book};
use std::fs;
use std::path::Path;
use std::process::Command;

/// A fixture chapter run through `cargo test --test book`, and what the failure must say.
struct BookCase {
    fixture: &'static str,
    /// Also run the tests (not just build them)?
    run: bool,
    /// The watchdog's limit for one block, in seconds.
    timeout_secs: u32,
    expected: &'static [&'static str],
}

const BOOK_CASES: &[BookCase] = &[
    BookCase {
        fixture: "missing-include",
        run: false,
        timeout_secs: 120,
        expected: &["missing-include/chapter.md:3:", "no_such_listing.rs"],
    },
    BookCase {
        fixture: "unknown-anchor",
        run: false,
        timeout_secs: 120,
        expected: &["unknown-anchor/chapter.md:4:", "anchor `mian` not found"],
    },
    BookCase {
        fixture: "panicking-block",
        run: true,
        timeout_secs: 120,
        expected: &[
            "the code block at xtask/fixtures/panicking-block/chapter.md:3 failed",
            "this block is meant to fail",
        ],
    },
    BookCase {
        fixture: "compile-fail-compiles",
        run: true,
        timeout_secs: 120,
        expected: &[
            "compile-fail-compiles/chapter.md:3: this compile_fail block compiled",
            "E0373",
        ],
    },
    BookCase {
        fixture: "hanging-block",
        run: true,
        // Long enough to compile the block on a loaded machine, short enough to wait for.
        timeout_secs: 20,
        expected: &["the code block at xtask/fixtures/hanging-block/chapter.md:3 has run for"],
    },
];

/// A fixture book run through `cargo xtask build`, and what the failure must say.
const LINK_CASES: &[(&str, &[&str])] = &[
    ("bad-page-link", &["first.md:7", "missing-page"]),
    (
        "bad-fragment-link",
        &["src/second.md:5", "first.md#no-such-heading"],
    ),
];

pub fn run(root: &Path) -> Result {
    let mut failures = Vec::new();
    for case in BOOK_CASES {
        let outcome = book_case(root, case);
        report(case.fixture, outcome, &mut failures);
    }
    for (fixture, expected) in LINK_CASES {
        let outcome = link_case(root, fixture, expected);
        report(fixture, outcome, &mut failures);
    }
    if failures.is_empty() {
        println!("selftest: every kind of bad input failed loudly, naming chapter and line");
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}

fn report(fixture: &str, outcome: Result, failures: &mut Vec<String>) {
    match outcome {
        Ok(()) => println!("selftest {fixture}: failed as it should, saying where"),
        Err(e) => failures.push(format!("selftest {fixture}: {e}")),
    }
}

fn book_case(root: &Path, case: &BookCase) -> Result {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["test", "--test", "book"])
        .env("BOOK_SRC", format!("xtask/fixtures/{}", case.fixture))
        .env("BOOK_BLOCK_TIMEOUT_SECS", case.timeout_secs.to_string());
    if !case.run {
        command.arg("--no-run");
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        return Err(format!("cargo test passed on a broken chapter:\n{text}"));
    }
    expect_all(&text, case.expected)
}

fn link_case(root: &Path, fixture: &str, expected: &[&str]) -> Result {
    // Build a copy, so the fixture directory never holds build output.
    let copy = root.join("target").join("selftest").join(fixture);
    let _ = fs::remove_dir_all(&copy);
    copy_dir(&root.join("xtask").join("fixtures").join(fixture), &copy)?;
    match book::build(&copy) {
        Ok(_) => Err("the book built although a link is broken".to_owned()),
        Err(message) => expect_all(&message, expected),
    }
}

fn expect_all(text: &str, expected: &[&str]) -> Result {
    match expected.iter().find(|needle| !text.contains(*needle)) {
        None => Ok(()),
        Some(missing) => Err(format!(
            "it failed, but its message does not say `{missing}`:\n{text}"
        )),
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}
