//! The pinned tools, installed once per machine into a cache outside the work tree.

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Each tool: the crate, its pinned version, the binary it provides, and why the book needs it.
pub const TOOLS: &[(&str, &str, &str, &str)] = &[
    ("mdbook", "0.5.4", "mdbook", "renders and serves the book"),
    (
        "mdbook-linkcheck2",
        "0.13.0",
        "mdbook-linkcheck2",
        "checks the book's links (build and CI only)",
    ),
    // The exercise set in exercises/ is a Rustlings set; CI runs `rustlings dev check` on it.
    (
        "rustlings",
        "6.5.0",
        "rustlings",
        "runs the exercises and checks the exercise set",
    ),
];

/// The book's tools are built with little optimisation: every crate at `opt-level = 0` (C code
/// such as aws-lc-sys, under linkcheck2's HTTP client, at `-O0` too) except those that do a
/// tool's real work, listed here. On the 2-core machine of the benchmarks, on a fresh clone with
/// an empty tools directory, a first `cargo xtask serve` (mdbook) reaches "Serving on" in 2m14s
/// (3m28s fully optimised) and a first `cargo xtask build` (mdbook and linkcheck2) ends in 3m43s
/// (6m25s with linkcheck2 fully optimised); a build of this book with its link check takes
/// 1.5-1.7 s either way (5.4 s with no crate optimised).
const OPTIMISED: &[(&str, &[&str])] = &[
    (
        "mdbook",
        &[
            "pulldown-cmark",
            "handlebars",
            "elasticlunr-rs",
            "mdbook-html",
            "mdbook-markdown",
            "regex-automata",
            "regex-syntax",
            "serde_json",
            "memchr",
        ],
    ),
    (
        "mdbook-linkcheck2",
        &["pulldown-cmark", "regex-automata", "regex-syntax", "memchr"],
    ),
];

/// The `--config` settings of `cargo install` for a tool with an `OPTIMISED` entry.
fn profile(krate: &str) -> Vec<String> {
    let Some((_, optimised)) = OPTIMISED.iter().find(|(k, _)| *k == krate) else {
        return Vec::new();
    };
    let mut settings = vec![
        "profile.release.opt-level=0".to_owned(),
        "profile.release.debug=false".to_owned(),
    ];
    settings.extend(
        optimised
            .iter()
            .map(|c| format!("profile.release.package.{c}.opt-level=2")),
    );
    settings
}

/// Where the tools go: `$CONCURRENCY_BOOK_TOOLS`, else `$XDG_CACHE_HOME/concurrency-book/tools`,
/// else `~/.cache/concurrency-book/tools`. A fresh clone reuses what an earlier one installed.
pub fn dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CONCURRENCY_BOOK_TOOLS") {
        return PathBuf::from(dir);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("concurrency-book").join("tools")
}

/// Installs every tool whose pinned version is missing; returns the tools directory.
pub fn ensure() -> Result<PathBuf> {
    ensure_only(&TOOLS.iter().map(|(krate, ..)| *krate).collect::<Vec<_>>())
}

/// Installs the named tools (crate names from `TOOLS`) whose pinned version is missing.
pub fn ensure_only(crates: &[&str]) -> Result<PathBuf> {
    let root = dir();
    for (krate, version, binary, purpose) in TOOLS.iter().filter(|(k, ..)| crates.contains(k)) {
        let path = bin(binary);
        if installed_version(&path).as_deref() == Some(*version) {
            continue;
        }
        eprintln!(
            "installing {krate} {version}, which {purpose}, into {} (once per machine; \
             cargo shows its progress below)",
            root.display()
        );
        let mut install = Command::new(env!("CARGO"));
        for setting in profile(krate) {
            install.args(["--config", &setting]);
        }
        let status = install
            .args(["install", "--locked", "--version"])
            .arg(format!("={version}"))
            .arg("--root")
            .arg(&root)
            .arg(krate)
            // Build beside the tools, not in the caller's target dir, and keep the build so an
            // interrupted or repeated install does not start from scratch.
            .env("CARGO_TARGET_DIR", root.join("build"))
            .status()
            .map_err(|e| format!("cannot run cargo install: {e}"))?;
        if !status.success() {
            return Err(format!("cargo install {krate} {version} failed"));
        }
    }
    Ok(root)
}

/// The path of an installed tool's binary.
pub fn bin(name: &str) -> PathBuf {
    dir().join("bin").join(name)
}

/// `mdbook 0.5.4` -> `0.5.4`; `None` when the binary is missing or does not answer.
fn installed_version(path: &Path) -> Option<String> {
    let output = Command::new(path).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.split_whitespace()
        .last()
        .map(|v| v.trim_start_matches('v').to_owned())
}

/// A command for `tool` with the tools directory first on `PATH` (mdbook finds its
/// `mdbook-linkcheck2` renderer there).
pub fn command(tool: &str) -> Command {
    let mut command = Command::new(bin(tool));
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![dir().join("bin")];
    dirs.extend(std::env::split_paths(&path));
    command.env(
        "PATH",
        std::env::join_paths(dirs).expect("PATH entries are valid"),
    );
    command
}
