//! Serving and building the book, and checking it against mdbook's own view of it.

use crate::{Result, tools};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `cargo xtask serve`: the one command a reader needs on a fresh machine. Reading needs mdbook
/// only; the link checker is optional in book.toml, so mdbook skips it when it is not installed.
pub fn serve(args: &[String]) -> Result {
    tools::ensure_only(&["mdbook"])?;
    let status = tools::command("mdbook")
        .arg("serve")
        .arg(crate::repo_root())
        .args(args)
        .status()
        .map_err(|e| format!("cannot run mdbook: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| "mdbook serve failed".to_owned())
}

/// Builds the book at `root` (HTML and linkcheck2), then checks every link and `#fragment` on the
/// built HTML.
/// Fails on any mdbook error or warning. Returns the HTML directory.
pub fn build(root: &Path) -> Result<PathBuf> {
    tools::ensure_only(&["mdbook", "mdbook-linkcheck2"])?;
    let build_dir = root.join("book");
    let output = run(tools::command("mdbook")
        .arg("build")
        .arg(root)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0"))?;
    let log = strip_ansi(&text(&output));
    print!("{log}");
    let complains = log.lines().any(|line| {
        let level = line.split_whitespace().next().unwrap_or("");
        level == "ERROR" || level == "WARN" || level.starts_with("error")
    });
    if !output.status.success() || complains {
        return Err(format!(
            "mdbook build of {} failed or complained (log above):\n{}",
            root.display(),
            log.lines()
                .filter(|line| !line.starts_with(" INFO"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let html = build_dir.join("html");
    crate::links::check(root, &html)?;
    if root.join("xtask").join("playground-crates.txt").exists() {
        crate::playground::check(root, &html)?;
    }
    Ok(html)
}

/// Names the chapter and line a broken link comes from: page `ch01.html` was rendered from
/// `src/ch01.md`, and the link (`ch02.md#x`, or just `#x`) appears on one of its lines.
pub fn locate(src: &Path, page: &Path, url: &str, why: &str) -> String {
    let relative = page.with_extension("md");
    let shown = Path::new("src").join(&relative);
    let target = url
        .rsplit('/')
        .next()
        .unwrap_or(url)
        .replace(".html", ".md");
    let fragment = target.find('#').map(|i| &target[i..]);
    if let Ok(text) = fs::read_to_string(src.join(&relative)) {
        let on_line = |needle: &str| text.lines().position(|line| line.contains(needle));
        if let Some(n) = on_line(&target).or_else(|| fragment.and_then(on_line)) {
            return format!("{}:{}: link to `{target}`: {why}", shown.display(), n + 1);
        }
    }
    format!("{}: link to `{url}`: {why}", shown.display())
}

/// `cargo xtask check-includes`: our expansion of every chapter must equal what mdbook's
/// `markdown` renderer writes after its own preprocessing.
pub fn check_includes(root: &Path) -> Result {
    tools::ensure_only(&["mdbook"])?;
    let src = root.join("src");
    let scratch = root.join("target").join("check-includes");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let src_toml = src.display().to_string().replace('\\', "/");
    fs::write(
        scratch.join("book.toml"),
        format!("[book]\nsrc = {src_toml:?}\n\n[output.markdown]\n"),
    )
    .map_err(|e| e.to_string())?;
    let output = run(tools::command("mdbook").arg("build").arg(&scratch))?;
    if !output.status.success() {
        return Err(format!(
            "mdbook's markdown build failed:\n{}",
            text(&output)
        ));
    }
    let rendered = scratch.join("book");
    let mut checked = 0;
    let mut problems = Vec::new();
    let chapters =
        book_includes::chapter_files(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    for chapter in chapters {
        let relative = chapter.strip_prefix(&src).expect("chapters are under src");
        let display = Path::new("src").join(relative).display().to_string();
        // mdbook renders the 404 page itself, outside the chapters.
        if relative == Path::new("404.md") {
            continue;
        }
        let Ok(theirs) = fs::read_to_string(rendered.join(relative)) else {
            problems.push(format!(
                "{display}: not in src/SUMMARY.md, so mdbook never renders it"
            ));
            continue;
        };
        let ours = book_includes::expand_chapter(&chapter, &display).map_err(|e| e.to_string())?;
        if let Some((line, mine, mdbook)) = first_difference(&ours.text, &theirs) {
            let at = ours.origin.get(line).copied().unwrap_or(1);
            problems.push(format!(
                "{display}:{at}: expansion differs from mdbook's at output line {}\n  \
                 ours:   {mine:?}\n  mdbook: {mdbook:?}",
                line + 1
            ));
        }
        checked += 1;
    }
    if problems.is_empty() {
        println!("include expansion matches mdbook for all {checked} chapters");
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The first line (0-based) where `a` and `b` differ, with both versions of it.
fn first_difference(a: &str, b: &str) -> Option<(usize, String, String)> {
    if a == b {
        return None;
    }
    let (mut left, mut right) = (a.split('\n'), b.split('\n'));
    for line in 0.. {
        match (left.next(), right.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (x, y) => {
                let show = |s: Option<&str>| s.unwrap_or("<end of file>").to_owned();
                return Some((line, show(x), show(y)));
            }
        }
    }
    unreachable!()
}

fn run(command: &mut Command) -> Result<Output> {
    command
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))
}

/// `text` without terminal colour codes (`ESC [ ... m`), which some tools print regardless.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            out.push(c);
        }
    }
    out
}

/// stdout and stderr of a finished command, together.
fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
