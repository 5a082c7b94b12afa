//! The book's tooling, run as `cargo xtask <command>`.
//!
//! - `serve [mdbook serve args]`: install the pinned tools if missing, then serve the book.
//! - `build`: build the book; fail on any mdbook error or warning, broken link, broken `#fragment`,
//!   or runnable block that uses a crate the playground does not offer.
//! - `check-includes`: compare our include expansion with mdbook's own, chapter by chapter.
//! - `selftest`: prove that bad input (missing include, unknown anchor, failing block, ...) fails
//!   loudly with the chapter and line.
//! - `bench [TARGET...]`: run criterion benchmarks, commit their results to `benches/results/` and
//!   redraw the plots in `src/benchmarks/`; `bench --plots` only redraws the plots.
//!   `bench capstone [REDIS_SERVER]` measures the final part's server against Redis.
//! - `diagrams`: redraw the thread timelines in `src/diagrams/` from fresh runs of the listings.
//! - `readme [--check]`: regenerate (or check) README.md's map from chapters to files.
//! - `tools`: install the pinned tools and print where they are.
//! - `mutants [chNN[:NAME]...] [--list] [--jobs N] [--report [--check]]`: prove each test can fail
//!   by planting the bug it guards against (`listings/mutants/`), N chapters at a time;
//!   `--report` writes `src/verification.md`.
//! - `exercises [--check] [NN...]`: generate the Rustlings starters in `exercises/exercises/` from their
//!   solutions; `--check` fails on a stale starter, then grades starters, solutions and wrong
//!   solutions (`exercises/wrong/`).

mod bench;
mod book;
mod exercises;
mod links;
mod mutants;
mod playground;
mod readme;
mod selftest;
mod svg;
mod timeline;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

/// Outcome of a command: `Err` carries the message shown to the user.
type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = args
        .split_first()
        .map_or(("help", &[][..]), |(c, r)| (c.as_str(), r));
    // Every command but `serve` (whose arguments go to mdbook) names what it accepts: a misspelt
    // flag is an error, never a silent default.
    let (flags, takes_names): (&[&str], bool) = match command {
        "readme" => (&["--check"], false),
        "exercises" => (&["--check"], true),
        "bench" => (&["--plots"], true),
        "mutants" => (&["--list", "--report", "--check", "--jobs"], true),
        _ => (&[], false),
    };
    let unknown = rest
        .iter()
        .find(|a| !flags.contains(&a.as_str()) && (!takes_names || a.starts_with('-')));
    if let (false, Some(unknown)) = (command == "serve", unknown) {
        eprintln!("error: `cargo xtask {command}` does not take `{unknown}`");
        return ExitCode::from(2);
    }
    let outcome = match command {
        "serve" => book::serve(rest),
        "build" => book::build(&repo_root()).map(|dir| {
            println!("book built and checked: {}", dir.display());
        }),
        "check-includes" => book::check_includes(&repo_root()),
        "selftest" => selftest::run(&repo_root()),
        "diagrams" => timeline::run(&repo_root()),
        "bench" if rest.iter().any(|a| a == "--plots") => bench::draw_plots(&repo_root()),
        "bench" => bench::run(&repo_root(), rest),
        "readme" => readme::run(&repo_root(), rest.iter().any(|a| a == "--check")),
        "mutants" => mutants::run(&repo_root(), rest),
        "exercises" => {
            let (check, only): (Vec<String>, Vec<String>) =
                rest.iter().cloned().partition(|a| a == "--check");
            exercises::run(&repo_root(), !check.is_empty(), &only)
        }
        "tools" => tools::ensure().map(|dir| println!("{}", dir.display())),
        _ => {
            eprintln!(
                "usage: cargo xtask <serve|build|check-includes|selftest|bench [--plots] [TARGET...|capstone [REDIS_SERVER]]|diagrams|readme [--check]|mutants [chNN[:NAME]...] [--list] [--jobs N] [--report [--check]]|exercises [--check] [NN...]|tools>"
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the parent of this crate's directory.
fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository root")
        .to_path_buf()
}

/// The sorted names of the `.rs` files in `dir`, without the extension: the listings of
/// `listings/src/bin`, or the bench targets of `benches/benches`.
fn rust_file_stems(dir: &std::path::Path) -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".rs").map(str::to_owned))
        .collect();
    names.sort();
    Ok(names)
}
