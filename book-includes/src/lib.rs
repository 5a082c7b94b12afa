//! Expands mdBook's include directives exactly as mdbook 0.5 does, but strictly.
//!
//! mdBook's `links` preprocessor turns `{{#include file}}`, `{{#include file:anchor}}`,
//! `{{#include file:N:M}}`, `{{#rustdoc_include ...}}`, `{{#playground ...}}` and `{{#title ...}}`
//! into text. skeptic reads raw Markdown, so the build script runs this expansion first and hands
//! skeptic the result. Two differences from mdbook, both on purpose:
//!
//! * mdbook logs a missing file and leaves the directive in place, and turns an unknown anchor
//!   into nothing. Here both are errors that name the chapter, the line and the missing thing.
//! * A directive mdbook would not recognise (`{{#rustdoc-include ...}}`, say) is an error too,
//!   instead of text that quietly reaches the reader.
//!
//! For valid input the output is byte-for-byte what mdbook's `markdown` renderer writes;
//! `cargo xtask check-includes` compares the two for every chapter.

pub mod blocks;

use std::fmt;
use std::fs;
use std::ops::{Bound, Range, RangeBounds};
use std::path::{Path, PathBuf};

/// mdbook stops expanding nested includes at this depth.
const MAX_DEPTH: usize = 10;

/// A chapter with its directives expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The expanded Markdown.
    pub text: String,
    /// `origin[i]` is the 1-based line of the chapter that line `i` (0-based) of `text` came from.
    /// Every line of an included file maps to the line of its directive.
    pub origin: Vec<usize>,
    /// Every file the directives read, nested includes too, so a build script can watch them.
    pub files: Vec<PathBuf>,
}

/// Why a chapter could not be expanded, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The chapter as the caller named it (for example `src/ch01-threads.md`).
    pub chapter: String,
    /// The 1-based line of the directive in that chapter.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.chapter, self.line, self.message)
    }
}

impl std::error::Error for Error {}

/// Every chapter under `src`: each `.md` file in it or below it except `SUMMARY.md`, sorted.
pub fn chapter_files(src: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
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

/// Expands the chapter at `path`. `display` is how errors name it (a path relative to the repo).
/// Included paths are relative to the directory of the file that includes them, as in mdbook.
pub fn expand_chapter(path: &Path, display: &str) -> Result<Expanded, Error> {
    let source = fs::read_to_string(path).map_err(|e| Error {
        chapter: display.to_owned(),
        line: 1,
        message: format!("cannot read the chapter: {e}"),
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    expand_str(&source, base, display)
}

/// Expands `source`, whose includes are relative to `base`.
pub fn expand_str(source: &str, base: &Path, display: &str) -> Result<Expanded, Error> {
    let links = find_links(source);
    let fail = |offset: usize, message: String| Error {
        chapter: display.to_owned(),
        line: line_at(source, offset),
        message,
    };
    if let Some(offset) = unrecognised_directive(source, &links) {
        let snippet: String = source[offset..].chars().take(40).collect();
        return Err(fail(
            offset,
            format!(
                "`{snippet}` is not a directive mdbook expands (include, rustdoc_include, \
                 playground, title); escape it as `\\{{{{#...` if it is meant as text"
            ),
        ));
    }

    let mut text = String::with_capacity(source.len());
    let mut origin = vec![1];
    let mut copied_up_to = 0;
    let mut files = Vec::new();
    for link in &links {
        let inserted =
            render(link, base, 0, &mut files).map_err(|message| fail(link.start, message))?;
        push_literal(&mut text, &mut origin, source, copied_up_to..link.start);
        let line = line_at(source, link.start);
        for ch in inserted.chars() {
            text.push(ch);
            if ch == '\n' {
                origin.push(line);
            }
        }
        copied_up_to = link.end;
    }
    push_literal(&mut text, &mut origin, source, copied_up_to..source.len());
    Ok(Expanded {
        text,
        origin,
        files,
    })
}

/// Copies `source[range]`, recording the chapter line each new line starts on.
fn push_literal(text: &mut String, origin: &mut Vec<usize>, source: &str, range: Range<usize>) {
    let literal = &source[range.clone()];
    text.push_str(literal);
    let mut line = line_at(source, range.start);
    for _ in literal.match_indices('\n') {
        line += 1;
        origin.push(line);
    }
}

/// The 1-based line of byte `offset`.
fn line_at(source: &str, offset: usize) -> usize {
    source[..offset].matches('\n').count() + 1
}

/// Offset of the first `{{#` in `source` that is neither escaped nor the start of a link mdbook
/// expands: most likely a typo such as `{{#rustdoc-include ...}}`.
fn unrecognised_directive(source: &str, links: &[Link<'_>]) -> Option<usize> {
    source.match_indices("{{#").map(|(at, _)| at).find(|&at| {
        let escaped = at > 0 && source.as_bytes()[at - 1] == b'\\';
        !escaped && !links.iter().any(|link| link.start == at)
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind<'a> {
    Escaped,
    Include(&'a str, Selection),
    RustdocInclude(&'a str, Selection),
    Playground(&'a str, Vec<&'a str>),
    Title,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Selection {
    Lines(Option<usize>, Option<usize>),
    Anchor(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Link<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    kind: Kind<'a>,
}

/// The links of `s`, found as mdbook's regex finds them:
/// `\\\{\{\#.*\}\}` (escaped) or `\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}`.
fn find_links(s: &str) -> Vec<Link<'_>> {
    let bytes = s.as_bytes();
    let mut links = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Both alternatives start with an ASCII byte, so `i` is then a char boundary.
        let candidate = matches!(bytes[i], b'\\' | b'{');
        match candidate.then(|| match_at(s, i)).flatten() {
            Some((end, kind)) => {
                if let Some(kind) = kind {
                    links.push(Link {
                        start: i,
                        end,
                        text: &s[i..end],
                        kind,
                    });
                }
                i = end;
            }
            None => i += 1,
        }
    }
    links
}

/// Tries the link regex at byte `i`. Returns the end of the match and, when mdbook would act on
/// it, what kind of link it is.
fn match_at(s: &str, i: usize) -> Option<(usize, Option<Kind<'_>>)> {
    let rest = &s[i..];
    if rest.starts_with("\\{{#") {
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let close = rest[4..line_end].rfind("}}")?;
        return Some((i + 4 + close + 2, Some(Kind::Escaped)));
    }
    if !rest.starts_with("{{") {
        return None;
    }
    let after_braces = rest[2..].trim_start();
    let hash_at = rest.len() - after_braces.len();
    if !after_braces.starts_with('#') {
        return None;
    }
    let type_start = hash_at + 1;
    let type_len = rest[type_start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len() - type_start);
    if type_len == 0 {
        return None;
    }
    let typ = &rest[type_start..type_start + type_len];
    let after_type = type_start + type_len;
    let close = after_type + rest[after_type..].find('}')?;
    let between = &rest[after_type..close];
    // `\s+` then `[^}]+`: at least one whitespace character, then at least one more character.
    if !between.starts_with(char::is_whitespace) || between.chars().count() < 2 {
        return None;
    }
    if !rest[close..].starts_with("}}") {
        return None;
    }
    let end = i + close + 2;
    let target = between.trim_start();
    let mut words = between.split_whitespace();
    let kind = match (typ, words.next()) {
        ("title", _) if !target.is_empty() => Some(Kind::Title),
        ("include", Some(path)) => {
            let (file, selection) = parse_path(path);
            Some(Kind::Include(file, selection))
        }
        ("rustdoc_include", Some(path)) => {
            let (file, selection) = parse_path(path);
            Some(Kind::RustdocInclude(file, selection))
        }
        ("playground" | "playpen", Some(path)) => Some(Kind::Playground(path, words.collect())),
        _ => None,
    };
    Some((end, kind))
}

/// Splits `file:anchor`, `file:N`, `file:N:M`, `file:N:`, `file::M` as mdbook does.
fn parse_path(path: &str) -> (&str, Selection) {
    let (file, selection) = path.split_once(':').unwrap_or((path, ""));
    let mut parts = selection.splitn(3, ':');
    let first = parts.next();
    let start = match first {
        Some(n) if n.parse::<usize>().is_ok() => {
            Some(n.parse::<usize>().unwrap().saturating_sub(1))
        }
        None | Some("") => None,
        Some(anchor) => return (file, Selection::Anchor(anchor.to_owned())),
    };
    let end = parts.next().map(|s| s.parse::<usize>());
    let selection = match (start, end) {
        (Some(start), Some(Ok(end))) => Selection::Lines(Some(start), Some(end)),
        (Some(start), Some(Err(_))) => Selection::Lines(Some(start), None),
        (Some(start), None) => Selection::Lines(Some(start), Some(start + 1)),
        (None, Some(Ok(end))) => Selection::Lines(None, Some(end)),
        (None, _) => Selection::Lines(None, None),
    };
    (file, selection)
}

/// The text a link stands for, with nested links expanded.
fn render(
    link: &Link<'_>,
    base: &Path,
    depth: usize,
    files: &mut Vec<PathBuf>,
) -> Result<String, String> {
    let (file, content) = match &link.kind {
        Kind::Escaped => return Ok(link.text[1..].to_owned()),
        Kind::Title => return Ok(String::new()),
        Kind::Include(file, selection) => {
            let (path, source) = read(base, file, link, files)?;
            let content = match selection {
                Selection::Lines(start, end) => take_lines(&source, range(*start, *end), &path)?,
                Selection::Anchor(anchor) => {
                    check_anchor(&source, anchor, &path)?;
                    take_anchored_lines(&source, anchor)
                }
            };
            (path, content)
        }
        Kind::RustdocInclude(file, selection) => {
            let (path, source) = read(base, file, link, files)?;
            let content = match selection {
                Selection::Lines(start, end) => {
                    take_lines(&source, range(*start, *end), &path)?;
                    take_rustdoc_include_lines(&source, range(*start, *end))
                }
                Selection::Anchor(anchor) => {
                    check_anchor(&source, anchor, &path)?;
                    take_rustdoc_include_anchored_lines(&source, anchor)
                }
            };
            (path, content)
        }
        Kind::Playground(file, attributes) => {
            let (path, mut source) = read(base, file, link, files)?;
            if !source.ends_with('\n') {
                source.push('\n');
            }
            let info = if attributes.is_empty() {
                "rust".to_owned()
            } else {
                format!("rust,{}", attributes.join(","))
            };
            (path, format!("```{info}\n{source}```\n"))
        }
    };
    if depth + 1 >= MAX_DEPTH {
        return Err(format!(
            "includes nested more than {MAX_DEPTH} deep at {}: is there a cycle?",
            file.display()
        ));
    }
    let nested_base = file.parent().unwrap_or(Path::new("."));
    let mut out = String::with_capacity(content.len());
    let mut copied_up_to = 0;
    for nested in find_links(&content) {
        out.push_str(&content[copied_up_to..nested.start]);
        let inserted = render(&nested, nested_base, depth + 1, files)
            .map_err(|e| format!("in {} (included from here): {e}", file.display()))?;
        out.push_str(&inserted);
        copied_up_to = nested.end;
    }
    out.push_str(&content[copied_up_to..]);
    Ok(out)
}

fn read(
    base: &Path,
    file: &str,
    link: &Link<'_>,
    files: &mut Vec<PathBuf>,
) -> Result<(PathBuf, String), String> {
    let path = base.join(file);
    files.push(path.clone());
    match fs::read_to_string(&path) {
        Ok(source) => Ok((path, source)),
        Err(e) => Err(format!(
            "`{}` names a file that cannot be read: {} ({e})",
            link.text,
            path.display()
        )),
    }
}

type LineRange = (Bound<usize>, Bound<usize>);

fn range(start: Option<usize>, end: Option<usize>) -> LineRange {
    (
        start.map_or(Bound::Unbounded, Bound::Included),
        end.map_or(Bound::Unbounded, Bound::Excluded),
    )
}

fn check_anchor(source: &str, anchor: &str, path: &Path) -> Result<(), String> {
    let mut lines = source.lines();
    if !lines.any(|l| anchor_name(l, "ANCHOR:") == Some(anchor)) {
        return Err(format!(
            "anchor `{anchor}` not found in {} (expected a line with `ANCHOR: {anchor}`)",
            path.display()
        ));
    }
    if !lines.any(|l| anchor_name(l, "ANCHOR_END:") == Some(anchor)) {
        return Err(format!(
            "anchor `{anchor}` in {} has no `ANCHOR_END: {anchor}` line",
            path.display()
        ));
    }
    Ok(())
}

/// The name after the first `marker` (`ANCHOR:` or `ANCHOR_END:`) in `line` that has one, as
/// mdbook's `ANCHOR:\s*(?P<anchor_name>[\w_-]+)` finds it.
fn anchor_name<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = line[from..].find(marker) {
        let after = line[from + i + marker.len()..].trim_start();
        let len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(after.len());
        if len > 0 {
            return Some(&after[..len]);
        }
        from += i + marker.len();
    }
    None
}

/// The name of the book test of the block whose opening fence is on `line` of `chapter`
/// (`src/ch01-spawning-threads.md`): `src_ch01_spawning_threads_md_line_19`. build.rs names
/// the tests; `cargo xtask mutants` finds them by it.
pub fn test_name(chapter: &str, line: usize) -> String {
    format!("{}_line_{line}", test_ident(chapter))
}

/// The part of a book test's name that names its chapter: `src_ch01_spawning_threads_md`.
pub fn test_ident(chapter: &str) -> String {
    chapter
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Whether `program` (a block's text with its hidden lines revealed) is the whole of the file
/// `source`, as a `{{#rustdoc_include FILE}}` of it yields: with the whole file, anchor lines
/// and all; with an anchor (`FILE:NAME`), every line but the anchor lines. Those are comments,
/// so both are the program the file is.
pub fn is_whole_file(program: &str, source: &str) -> bool {
    let mut without_anchors = String::with_capacity(source.len());
    for line in source.lines() {
        if !is_anchor_start(line) && !is_anchor_end(line) {
            without_anchors.push_str(line);
            without_anchors.push('\n');
        }
    }
    program == source || program == without_anchors
}

fn is_anchor_start(line: &str) -> bool {
    anchor_name(line, "ANCHOR:").is_some()
}

fn is_anchor_end(line: &str) -> bool {
    anchor_name(line, "ANCHOR_END:").is_some()
}

fn take_lines(source: &str, range: LineRange, path: &Path) -> Result<String, String> {
    let taken: Vec<&str> = source
        .lines()
        .enumerate()
        .filter(|(i, _)| range.contains(i))
        .map(|(_, l)| l)
        .collect();
    if taken.is_empty() && !source.is_empty() {
        return Err(format!(
            "the line range selects no line of {} (it has {} lines)",
            path.display(),
            source.lines().count()
        ));
    }
    Ok(taken.join("\n"))
}

fn take_anchored_lines(source: &str, anchor: &str) -> String {
    let mut kept = Vec::new();
    let mut inside = false;
    for line in source.lines() {
        if inside {
            match anchor_name(line, "ANCHOR_END:") {
                Some(name) if name == anchor => break,
                Some(_) => {}
                None if !is_anchor_start(line) => kept.push(line),
                None => {}
            }
        } else if anchor_name(line, "ANCHOR:") == Some(anchor) {
            inside = true;
        }
    }
    kept.join("\n")
}

fn take_rustdoc_include_lines(source: &str, range: LineRange) -> String {
    let mut out = String::with_capacity(source.len());
    for (i, line) in source.lines().enumerate() {
        if !range.contains(&i) {
            out.push_str("# ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

fn take_rustdoc_include_anchored_lines(source: &str, anchor: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut inside = false;
    for line in source.lines() {
        if inside {
            match anchor_name(line, "ANCHOR_END:") {
                Some(name) if name == anchor => inside = false,
                Some(_) => {}
                None if !is_anchor_start(line) => {
                    out.push_str(line);
                    out.push('\n');
                }
                None => {}
            }
        } else if let Some(name) = anchor_name(line, "ANCHOR:") {
            if name == anchor {
                inside = true;
            }
        } else if !is_anchor_end(line) {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests;
