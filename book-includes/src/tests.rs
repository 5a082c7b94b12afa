use super::*;

/// A scratch directory with a chapter and the files it includes.
struct Fixture {
    dir: PathBuf,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dir = std::env::temp_dir().join(format!("book-includes-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("listings")).unwrap();
        Fixture { dir }
    }

    fn file(&self, path: &str, text: &str) -> &Self {
        fs::write(self.dir.join(path), text).unwrap();
        self
    }

    fn expand(&self, chapter: &str) -> Result<Expanded, Error> {
        fs::write(self.dir.join("chapter.md"), chapter).unwrap();
        expand_chapter(&self.dir.join("chapter.md"), "src/chapter.md")
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

const PROGRAM: &str = r"use std::thread;
// ANCHOR: spawn
fn main() {
    // ANCHOR: inner
    thread::spawn(|| {}).join().unwrap();
    // ANCHOR_END: inner
}
// ANCHOR_END: spawn
";

#[test]
fn whole_file_keeps_anchor_lines() {
    let f = Fixture::new("whole");
    f.file("listings/a.rs", PROGRAM);
    let out = f
        .expand("```rust\n{{#include listings/a.rs}}\n```\n")
        .unwrap();
    assert_eq!(out.text, format!("```rust\n{}\n```\n", PROGRAM.trim_end()));
}

#[test]
fn anchor_drops_nested_anchor_lines() {
    let f = Fixture::new("anchor");
    f.file("listings/a.rs", PROGRAM);
    let out = f.expand("{{#include listings/a.rs:spawn}}").unwrap();
    assert_eq!(
        out.text,
        "fn main() {\n    thread::spawn(|| {}).join().unwrap();\n}"
    );
}

#[test]
fn line_ranges_follow_mdbook() {
    let f = Fixture::new("ranges");
    f.file("listings/l.txt", "one\ntwo\nthree\nfour\n");
    let out = f
        .expand("{{#include listings/l.txt:2}}|{{#include listings/l.txt:2:3}}|{{#include listings/l.txt:3:}}|{{#include listings/l.txt::2}}")
        .unwrap();
    assert_eq!(out.text, "two|two\nthree|three\nfour|one\ntwo");
}

#[test]
fn rustdoc_include_hides_lines_outside_the_anchor() {
    let f = Fixture::new("rustdoc");
    f.file("listings/a.rs", PROGRAM);
    let out = f
        .expand("{{#rustdoc_include listings/a.rs:inner}}")
        .unwrap();
    assert_eq!(
        out.text,
        "# use std::thread;\n# fn main() {\n    thread::spawn(|| {}).join().unwrap();\n# }"
    );
}

#[test]
fn rustdoc_include_with_a_range() {
    let f = Fixture::new("rustdoc-range");
    f.file("listings/l.txt", "a\nb\nc\n");
    let out = f.expand("{{#rustdoc_include listings/l.txt:2}}").unwrap();
    assert_eq!(out.text, "# a\nb\n# c");
}

#[test]
fn playground_wraps_the_file_in_a_fence() {
    let f = Fixture::new("playground");
    f.file("listings/p.rs", "fn main() {}");
    let out = f.expand("{{#playground listings/p.rs editable}}").unwrap();
    assert_eq!(out.text, "```rust,editable\nfn main() {}\n```\n");
}

#[test]
fn escaped_directives_lose_their_backslash() {
    let f = Fixture::new("escaped");
    let out = f
        .expand("write `\\{{#include file.rs}}` to include")
        .unwrap();
    assert_eq!(out.text, "write `{{#include file.rs}}` to include");
}

#[test]
fn text_around_directives_may_be_any_unicode() {
    let f = Fixture::new("unicode");
    f.file("listings/u.txt", "ünïcødé");
    let out = f.expand("──▶ {{#include listings/u.txt}} ◀──").unwrap();
    assert_eq!(out.text, "──▶ ünïcødé ◀──");
}

#[test]
fn title_directive_disappears() {
    let f = Fixture::new("title");
    let out = f.expand("{{#title Threads}}\n# Threads\n").unwrap();
    assert_eq!(out.text, "\n# Threads\n");
}

#[test]
fn nested_includes_are_relative_to_their_file() {
    let f = Fixture::new("nested");
    f.file("listings/inner.txt", "inner");
    f.file("listings/outer.md", "outer {{#include inner.txt}}");
    let out = f.expand("{{#include listings/outer.md}}").unwrap();
    assert_eq!(out.text, "outer inner");
    let read: Vec<_> = out.files.iter().map(|p| p.file_name().unwrap()).collect();
    assert_eq!(
        read,
        ["outer.md", "inner.txt"],
        "both files are reported for watching"
    );
}

#[test]
fn origin_maps_every_line_to_its_chapter_line() {
    let f = Fixture::new("origin");
    f.file("listings/a.rs", "1\n2\n3");
    let out = f
        .expand("intro\n```rust\n{{#include listings/a.rs}}\n```\nafter\n")
        .unwrap();
    assert_eq!(out.text, "intro\n```rust\n1\n2\n3\n```\nafter\n");
    assert_eq!(out.origin, vec![1, 2, 3, 3, 3, 4, 5, 6]);
}

#[test]
fn missing_file_names_chapter_line_and_file() {
    let f = Fixture::new("missing");
    let err = f
        .expand("text\n\n{{#include listings/nope.rs}}\n")
        .unwrap_err();
    assert_eq!((err.chapter.as_str(), err.line), ("src/chapter.md", 3));
    let shown = err.to_string();
    assert!(shown.starts_with("src/chapter.md:3: "), "{shown}");
    assert!(shown.contains("listings/nope.rs"), "{shown}");
}

#[test]
fn unknown_anchor_names_chapter_line_and_anchor() {
    let f = Fixture::new("unknown-anchor");
    f.file("listings/a.rs", PROGRAM);
    let err = f
        .expand("\n{{#rustdoc_include listings/a.rs:spwan}}")
        .unwrap_err();
    let shown = err.to_string();
    assert!(shown.starts_with("src/chapter.md:2: "), "{shown}");
    assert!(shown.contains("anchor `spwan` not found"), "{shown}");
}

#[test]
fn anchor_without_end_is_an_error() {
    let f = Fixture::new("no-end");
    f.file("listings/a.rs", "// ANCHOR: open\nfn main() {}\n");
    let err = f.expand("{{#include listings/a.rs:open}}").unwrap_err();
    assert!(err.message.contains("no `ANCHOR_END: open`"), "{err}");
}

#[test]
fn empty_line_range_is_an_error() {
    let f = Fixture::new("empty-range");
    f.file("listings/l.txt", "a\nb\n");
    let err = f.expand("{{#include listings/l.txt:5:9}}").unwrap_err();
    assert!(err.message.contains("selects no line"), "{err}");
}

#[test]
fn misspelt_directive_is_an_error() {
    let f = Fixture::new("typo");
    let err = f
        .expand("a\nb {{#rustdoc-include listings/a.rs}}\n")
        .unwrap_err();
    assert_eq!(err.line, 2);
    assert!(
        err.message.contains("not a directive mdbook expands"),
        "{err}"
    );
}

#[test]
fn error_in_a_nested_include_names_the_outer_directive() {
    let f = Fixture::new("nested-missing");
    f.file("listings/outer.md", "{{#include gone.txt}}");
    let err = f.expand("\n\n{{#include listings/outer.md}}").unwrap_err();
    assert_eq!(err.line, 3);
    assert!(err.message.contains("gone.txt"), "{err}");
}

#[test]
fn a_rustdoc_include_of_a_whole_file_or_of_an_anchor_shows_the_whole_file() {
    let f = Fixture::new("reveal");
    f.file("listings/a.rs", PROGRAM);
    for include in [
        "listings/a.rs",
        "listings/a.rs:spawn",
        "listings/a.rs:inner",
    ] {
        let chapter = format!("```rust\n{{{{#rustdoc_include {include}}}}}\n```\n");
        let out = f.expand(&chapter).unwrap();
        let program = blocks::rust_blocks(&out.text).unwrap()[0].program();
        assert!(is_whole_file(&program, PROGRAM), "{include}: {program}");
    }
    let part = "fn main() {\n    thread::spawn(|| {}).join().unwrap();\n}\n";
    assert!(!is_whole_file(part, PROGRAM));
}
