//! Serving and building the book, and checking it against mdbook's own view of it.

use crate::{tools, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `cargo xtask serve`: the one command a reader needs on a fresh machine.
pub fn serve(args: &[String]) -> Result {
    tools::ensure()?;
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

/// Builds the book at `root` (HTML and linkcheck2), then checks `#fragment` links with lychee.
/// Fails on any mdbook error or warning. Returns the HTML directory.
pub fn build(root: &Path) -> Result<PathBuf> {
    tools::ensure()?;
    let build_dir = root.join("book");
    let output = run(tools::command("mdbook").arg("build").arg(root))?;
    let log = text(&output);
    print!("{log}");
    let complaints: Vec<&str> = log
        .lines()
        .filter(|line| {
            let level = line.split_whitespace().next().unwrap_or("");
            level == "ERROR" || level == "WARN" || line.starts_with("error")
        })
        .collect();
    if !output.status.success() || !complaints.is_empty() {
        return Err(format!(
            "mdbook build of {} failed or complained:\n{}",
            root.display(),
            complaints.join("\n")
        ));
    }
    let html = build_dir.join("html");
    check_fragments(root, &html)?;
    if root.join("xtask").join("playground-crates.txt").exists() {
        crate::playground::check(root, &html)?;
    }
    Ok(html)
}

/// Runs lychee offline over the built HTML: every link to another page of the book must land on a
/// page that exists and, with `#fragment`, on an element with that id. Web links are not checked.
fn check_fragments(root: &Path, html: &Path) -> Result {
    let output = run(tools::command("lychee")
        .args(["--offline", "--include-fragments", "--no-progress", "--format", "json"])
        .arg("--root-dir")
        .arg(html)
        // mdbook's 404 page links with absolute site-url paths, resolved only when published.
        .args(["--exclude-path", "404.html"])
        .arg(html))?;
    if output.status.success() {
        return Ok(());
    }
    let report = String::from_utf8_lossy(&output.stdout);
    let broken = broken_links(&report);
    if broken.is_empty() {
        return Err(format!("lychee failed:\n{}", text(&output)));
    }
    let src = root.join("src");
    let lines: Vec<String> = broken
        .iter()
        .map(|(page, url)| locate(&src, html, page, url))
        .collect();
    Err(format!("broken links in the book:\n{}", lines.join("\n")))
}

/// `(html page, url)` for each failure in lychee's JSON report.
fn broken_links(report: &str) -> Vec<(String, String)> {
    // The report is `{"error_map": {"<page>": [{"url": "...", ...}, ...]}, ...}`. A full JSON
    // parser is not worth a dependency here: walk the keys of "error_map" and their "url"s.
    let Some(start) = report.find("\"error_map\"") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut page = String::new();
    for piece in report[start..].split('"').collect::<Vec<_>>().windows(3) {
        if piece[1] == "url" && piece[2].trim_start().starts_with(':') {
            continue;
        }
        if piece[0] == "url" && piece[1].trim() == ":" {
            found.push((page.clone(), piece[2].to_owned()));
        } else if piece[1].trim() == ": [" || piece[1].trim() == ":[" {
            page = piece[0].to_owned();
        }
    }
    found
}

/// Names the chapter and line a broken link comes from: `book/html/ch01.html` came from
/// `src/ch01.md`, and the link's fragment (or page) appears on one of its lines.
fn locate(src: &Path, html: &Path, page: &str, url: &str) -> String {
    let relative = Path::new(page)
        .strip_prefix(html)
        .unwrap_or(Path::new(page))
        .with_extension("md");
    let chapter = src.join(&relative);
    let target = url.rsplit('/').next().unwrap_or(url).replace(".html", ".md");
    let shown = Path::new("src").join(&relative);
    if let Ok(text) = fs::read_to_string(&chapter) {
        if let Some(n) = text.lines().position(|line| line.contains(&target)) {
            return format!("{}:{}: broken link to `{target}`", shown.display(), n + 1);
        }
    }
    format!("{page}: broken link to {url}")
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
        return Err(format!("mdbook's markdown build failed:\n{}", text(&output)));
    }
    let rendered = scratch.join("book");
    let mut checked = 0;
    let mut problems = Vec::new();
    for chapter in chapters(&src)? {
        let relative = chapter.strip_prefix(&src).expect("chapters are under src");
        let display = Path::new("src").join(relative).display().to_string();
        let Ok(theirs) = fs::read_to_string(rendered.join(relative)) else {
            problems.push(format!("{display}: not in src/SUMMARY.md, so mdbook never renders it"));
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

/// Every chapter file under `src` except `SUMMARY.md`, sorted.
fn chapters(src: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "md")
                && path.file_name().is_some_and(|n| n != "SUMMARY.md")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
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

/// stdout and stderr of a finished command, together.
fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
