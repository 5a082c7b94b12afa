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
        fixture: "unknown-edition",
        run: false,
        timeout_secs: 120,
        expected: &[
            "unknown-edition/chapter.md:3:",
            "`edition2023` is not an edition",
        ],
    },
    BookCase {
        // Each block compiles only under the edition it is not sent with: both must fail, so
        // `edition2021` and book.toml's edition (2024) both reach the compiler.
        fixture: "wrong-edition",
        run: true,
        timeout_secs: 120,
        expected: &[
            "the code block at xtask/fixtures/wrong-edition/chapter.md:5 failed",
            "--edition=2021",
            "let chains are only allowed in Rust 2024 or later",
            "the code block at xtask/fixtures/wrong-edition/chapter.md:16 failed",
            "--edition=2024",
            "found reserved keyword `gen`",
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
    match shared_program_case(root) {
        Ok(()) => println!(
            "selftest shared-program: one program shown twice ran once, and its failure named \
             both blocks"
        ),
        Err(e) => failures.push(format!("selftest shared-program: {e}")),
    }
    match edited_include_case(root) {
        Ok(()) => println!(
            "selftest edited-include: an edit to an included file was tested at once, and so \
             was its revert"
        ),
        Err(e) => failures.push(format!("selftest edited-include: {e}")),
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

/// Two blocks that show the same program share one run: its output appears once, and the
/// failure names both blocks.
fn shared_program_case(root: &Path) -> Result {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["test", "--test", "book"])
        .env("BOOK_SRC", "xtask/fixtures/shared-program")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        return Err(format!("cargo test passed on a failing program:\n{text}"));
    }
    expect_all(
        &text,
        &[
            "xtask/fixtures/shared-program/chapter.md:3",
            "xtask/fixtures/shared-program/chapter.md:11",
        ],
    )?;
    let runs = text.matches("this program is shown twice").count();
    if runs != 1 {
        return Err(format!(
            "the program's panic appears {runs} times, so it ran {runs} times, not once:\n{text}"
        ));
    }
    Ok(())
}

/// Tests never run stale code: a chapter's tests pass, an edit to the file it includes makes
/// them fail at once (naming the chapter and line), and reverting the edit makes them pass
/// again. Each step is a plain `cargo test`, so this holds only if `build.rs` tells cargo about
/// the included file.
fn edited_include_case(root: &Path) -> Result {
    let copy = root.join("target").join("selftest").join("edited-include");
    let _ = fs::remove_dir_all(&copy);
    copy_dir(&root.join("xtask/fixtures/edited-include"), &copy)?;
    let listing = copy.join("listings").join("answer.rs");
    let original =
        fs::read_to_string(&listing).map_err(|e| format!("{}: {e}", listing.display()))?;
    let edited = original.replace("6 * 7", "6 * 9");
    if edited == original {
        return Err("the fixture listing no longer contains `6 * 7`".to_owned());
    }
    let test = || -> Result<(bool, String)> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = Command::new(cargo)
            .current_dir(root)
            .args(["test", "--test", "book"])
            .env("BOOK_SRC", copy.join("src"))
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Ok((output.status.success(), text))
    };
    let write =
        |text: &str| fs::write(&listing, text).map_err(|e| format!("{}: {e}", listing.display()));
    // Twice: the second run starts from a build that is up to date, as a developer's does
    // (a build script that watched its own output would be run again every time, and hide the
    // bug this case is about).
    for _ in 0..2 {
        let (passed, text) = test()?;
        if !passed {
            return Err(format!("the fixture failed before any edit:\n{text}"));
        }
    }
    write(&edited)?;
    let (passed, text) = test()?;
    if passed {
        return Err(format!(
            "after an edit that breaks the included listing, cargo test still passed: it ran \
             the old code\n{text}"
        ));
    }
    expect_all(
        &text,
        &[
            "the code block at target/selftest/edited-include/src/chapter.md:3 failed",
            "left: 54",
        ],
    )?;
    write(&original)?;
    let (passed, text) = test()?;
    if !passed {
        return Err(format!(
            "after reverting the edit, cargo test still failed: it ran the edited code\n{text}"
        ));
    }
    Ok(())
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
