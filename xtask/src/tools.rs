//! The pinned tools, installed once per machine into a cache outside the work tree.

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Each tool: the crate, its pinned version, and the binary it provides.
pub const TOOLS: &[(&str, &str, &str)] = &[
    ("mdbook", "0.5.4", "mdbook"),
    ("mdbook-linkcheck2", "0.13.0", "mdbook-linkcheck2"),
    // The exercise set in exercises/ is a Rustlings set; CI runs `rustlings dev check` on it.
    ("rustlings", "6.5.0", "rustlings"),
];

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
    for (krate, version, binary) in TOOLS.iter().filter(|(k, ..)| crates.contains(k)) {
        let path = bin(binary);
        if installed_version(&path).as_deref() == Some(*version) {
            continue;
        }
        eprintln!(
            "installing {krate} {version} into {} (once per machine)",
            root.display()
        );
        let status = Command::new(env!("CARGO"))
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
