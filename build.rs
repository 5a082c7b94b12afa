//! Turns every chapter of the book into tests.
//!
//! 1. Expand mdBook's include directives (strictly: a missing file or anchor stops the build with
//!    the chapter and line) into copies under `OUT_DIR`.
//! 2. Take `compile_fail` blocks out of skeptic's hands (it would try to run them) and generate a
//!    test for each that checks the compiler rejects it with the error code the block names.
//! 3. Hand the copies to `skeptic::generate_doc_tests`, then rename its tests after the chapter
//!    and line they come from, and put each under a watchdog so a hang fails loudly.
//!
//! The result is `$OUT_DIR/book-tests.rs`, included by `tests/book/main.rs`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::exit;

/// A chapter after expansion, as the tests need it.
struct Chapter {
    /// Repo-relative path, such as `src/ch01-threads.md`.
    display: String,
    /// For each line of the expanded copy, the chapter line it came from.
    origin: Vec<usize>,
}

fn main() {
    let root = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env("OUT_DIR"));
    // Tests of the tooling point this at a directory of deliberately broken chapters.
    println!("cargo:rerun-if-env-changed=BOOK_SRC");
    let src = std::env::var("BOOK_SRC").unwrap_or_else(|_| "src".to_owned());
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rustc-env=BOOK_TARGET={}", env("TARGET"));

    let copies_dir = out_dir.join("chapters");
    fs::create_dir_all(&copies_dir).unwrap_or_else(|e| fail(&format!("{copies_dir:?}: {e}")));

    let mut chapters = Vec::new();
    let mut copies = Vec::new();
    let mut compile_fail_tests = String::new();
    let chapters_dir = root.join(&src);
    let files = book_includes::chapter_files(&chapters_dir)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", chapters_dir.display())));
    for (index, path) in files.into_iter().enumerate() {
        let display = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let expanded =
            book_includes::expand_chapter(&path, &display).unwrap_or_else(|e| fail(&e.to_string()));
        let chapter = Chapter {
            display,
            origin: expanded.origin,
        };
        let for_skeptic =
            take_compile_fail_blocks(&chapter, &expanded.text, &mut compile_fail_tests);
        // skeptic names tests after the file stem: `c<index>` maps back to the chapter.
        let copy = copies_dir.join(format!("c{index}.md"));
        write_if_changed(&copy, &for_skeptic);
        copies.push(copy);
        chapters.push(chapter);
    }

    skeptic::generate_doc_tests(&copies);
    let generated = out_dir.join("skeptic-tests.rs");
    let skeptic_tests = fs::read_to_string(&generated).unwrap_or_default();
    let mut tests = rename_skeptic_tests(&skeptic_tests, &chapters);
    tests.push_str(&compile_fail_tests);
    write_if_changed(&out_dir.join("book-tests.rs"), &tests);
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| fail(&format!("cargo did not set {name}")))
}

/// Stops the build with a message cargo shows as it is.
fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    exit(1)
}

fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    }
}

/// Returns the chapter with each ```` ```rust,compile_fail,E0000 ```` fence turned into ```` ```text ````
/// (same number of lines, so line numbers still match), and appends a test for each such block.
fn take_compile_fail_blocks(chapter: &Chapter, text: &str, tests: &mut String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let fence = line.trim_start();
        let info = fence.trim_start_matches('`');
        let is_fence = fence.starts_with("```");
        let tokens: Vec<&str> = info
            .split(|c: char| !(c == '_' || c == '-' || c.is_alphanumeric()))
            .filter(|t| !t.is_empty())
            .collect();
        if !(is_fence && tokens.contains(&"rust") && tokens.contains(&"compile_fail")) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let at = format!("{}:{}", chapter.display, chapter.origin[index]);
        let code = tokens.iter().find(|t| is_error_code(t)).unwrap_or_else(|| {
            fail(&format!(
                "{at}: a compile_fail block must name the error it expects, \
                 as in ```rust,compile_fail,E0373"
            ))
        });
        let mut body = String::new();
        out.push_str(&line.replacen(info, "text", 1));
        out.push('\n');
        for (_, line) in lines.by_ref() {
            out.push_str(line);
            out.push('\n');
            if line.trim_start().starts_with("```") {
                break;
            }
            body.push_str(strip_hidden_marker(line));
            body.push('\n');
        }
        let name = test_name(chapter, chapter.origin[index]);
        writeln!(
            tests,
            "#[test]\nfn {name}_compile_fail() {{\n    \
             harness::expect_compile_error({at:?}, {code:?}, r####\"{body}\"####);\n}}\n"
        )
        .unwrap();
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

fn is_error_code(token: &str) -> bool {
    token.len() == 5 && token.starts_with('E') && token[1..].bytes().all(|b| b.is_ascii_digit())
}

/// rustdoc's (and skeptic's) hidden lines: `# code` is compiled but not shown.
fn strip_hidden_marker(line: &str) -> &str {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("# ") {
        rest
    } else if trimmed == "#" {
        ""
    } else {
        line
    }
}

/// `src/ch01-threads.md`, line 12 -> `src_ch01_threads_md_line_12`.
fn test_name(chapter: &Chapter, line: usize) -> String {
    let ident: String = chapter
        .display
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{ident}_line_{line}")
}

/// skeptic names a test `c<index>[_sect_<heading>]_line_<line in the copy>`. Renames each after
/// its chapter and the chapter line of its opening fence, starts it with a watchdog, and routes its run through `harness::run_test`.
fn rename_skeptic_tests(generated: &str, chapters: &[Chapter]) -> String {
    let mut out = String::with_capacity(generated.len() + 4096);
    let mut seen = BTreeMap::new();
    for line in generated.lines() {
        // Run through the harness, which retries the one spurious failure skeptic can hit.
        let line = line.replace("skeptic::rt::run_test(", "harness::run_test(");
        let line = line.as_str();
        let Some(name) = line
            .strip_prefix("#[test] fn ")
            .and_then(|rest| rest.strip_suffix("() {"))
        else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let (index, copy_line) = parse_skeptic_name(name)
            .unwrap_or_else(|| fail(&format!("unexpected skeptic test name `{name}`")));
        let chapter = &chapters[index];
        let chapter_line = chapter.origin[copy_line - 1];
        let new_name = test_name(chapter, chapter_line);
        if let Some(previous) = seen.insert(new_name.clone(), name.to_owned()) {
            fail(&format!(
                "{}:{chapter_line}: two code blocks start on this line ({previous}, {name})",
                chapter.display
            ));
        }
        let at = format!("{}:{chapter_line}", chapter.display);
        writeln!(out, "#[test] fn {new_name}() {{").unwrap();
        writeln!(out, "    let _watch = harness::watch({at:?});").unwrap();
    }
    out
}

fn parse_skeptic_name(name: &str) -> Option<(usize, usize)> {
    let index = name.strip_prefix('c')?.split('_').next()?.parse().ok()?;
    let line = name.rsplit("_line_").next()?.parse().ok()?;
    Some((index, line))
}
