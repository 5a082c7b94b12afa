//! Turns every chapter of the book into tests.
//!
//! 1. Expand mdBook's include directives (strictly: a missing file or anchor stops the build with
//!    the chapter and line), and tell cargo to run this script again when a chapter, a file a
//!    chapter includes, or book.toml changes. Nothing this script writes is watched: cargo would
//!    see it as changed on every build.
//! 2. Find each chapter's Rust blocks and what their attributes ask (`no_run`, `should_panic`,
//!    `compile_fail,E0373`, `edition2021`; see `book_includes::blocks`). A block that names no
//!    edition is compiled with book.toml's `[rust] edition`, the one mdBook sends to the
//!    playground.
//! 3. Write one `harness::Program` per distinct program (its text with hidden lines revealed,
//!    its edition and its kind of test), and one test per block, named after its chapter and the
//!    line of its opening fence. A listing shown under several anchors is one program: it is
//!    compiled and run once however many blocks show it, and a failure names every block.
//! 4. Note which programs are a listing's whole file (`listings/src/bin/NAME.rs`, with or
//!    without its anchor lines, under the listings' edition): cargo has compiled those already,
//!    and the harness runs cargo's binary when it is fresh instead of compiling the same text
//!    again (see `harness::built_listing`).
//!
//! The result is `$OUT_DIR/book-tests.rs`, included by `tests/book/main.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::exit;

use book_includes::blocks::{self, Edition, Mode};

/// One program of the book, and the blocks that show it.
struct Program {
    text: String,
    edition: Edition,
    mode: Mode,
    ignore: bool,
    /// `src/ch01-threads.md:19` for each block, in book order.
    places: Vec<String>,
    /// `NAME` when the program is the whole of `listings/src/bin/NAME.rs`.
    listing: Option<String>,
}

fn main() {
    let root = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env("OUT_DIR"));
    // Tests of the tooling point this at a directory of deliberately broken chapters.
    println!("cargo:rerun-if-env-changed=BOOK_SRC");
    let src = std::env::var("BOOK_SRC").unwrap_or_else(|_| "src".to_owned());
    // A directory: cargo looks at every file in it, so a new chapter counts too.
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-changed=book.toml");
    println!("cargo:rustc-env=BOOK_TARGET={}", env("TARGET"));

    let book_toml = root.join("book.toml");
    let default_edition = fs::read_to_string(&book_toml)
        .map_err(|e| e.to_string())
        .and_then(|text| blocks::book_edition(&text))
        .unwrap_or_else(|e| fail(&format!("{}: {e}", book_toml.display())));

    let chapters_dir = root.join(&src);
    let files = book_includes::chapter_files(&chapters_dir)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", chapters_dir.display())));
    let mut watched = BTreeSet::new();
    let mut programs: Vec<Program> = Vec::new();
    let mut index_of: BTreeMap<(String, Edition, Mode, bool), usize> = BTreeMap::new();
    let mut tests = Vec::new();
    for path in files {
        let display = relative(&path, &root);
        let expanded = book_includes::expand_chapter(&path, &display);
        // Watch what it reads even when it fails: cargo runs a failed script again anyway,
        // but a chapter that expands must be rebuilt when any of its files changes.
        if let Ok(expanded) = &expanded {
            watched.extend(expanded.files.iter().map(|file| relative(file, &root)));
        }
        let expanded = expanded.unwrap_or_else(|e| fail(&e.to_string()));
        let found = blocks::rust_blocks(&expanded.text).unwrap_or_else(|e| {
            fail(&format!(
                "{display}:{}: {}",
                expanded.origin[e.line - 1],
                e.message
            ))
        });
        for block in found {
            let place = format!("{display}:{}", expanded.origin[block.line - 1]);
            let key = (
                block.program(),
                block.edition.unwrap_or(default_edition),
                block.mode.clone(),
                block.ignore,
            );
            let index = *index_of.entry(key).or_insert_with_key(|key| {
                programs.push(Program {
                    text: key.0.clone(),
                    edition: key.1,
                    mode: key.2.clone(),
                    ignore: key.3,
                    places: Vec::new(),
                    listing: None,
                });
                programs.len() - 1
            });
            if tests.iter().any(|(other, _)| *other == place) {
                fail(&format!(
                    "{place}: two code blocks start on this line (one include yields both?): \
                     give each its own line"
                ));
            }
            programs[index].places.push(place.clone());
            tests.push((place, index));
        }
    }
    for file in &watched {
        println!("cargo:rerun-if-changed={file}");
    }
    name_listings(&root, &mut programs);
    write_if_changed(&out_dir.join("book-tests.rs"), &generate(&programs, &tests));
}

/// Marks each program that is a listing cargo builds, whole and under its edition. A listing
/// that changes later only makes the harness compile the program itself (it compares the text
/// again before using cargo's binary), so the listings need no watching here.
fn name_listings(root: &Path, programs: &mut [Program]) {
    let cargo_toml = root.join("Cargo.toml");
    let edition = fs::read_to_string(&cargo_toml)
        .map_err(|e| e.to_string())
        .and_then(|text| blocks::workspace_edition(&text))
        .unwrap_or_else(|e| fail(&format!("{}: {e}", cargo_toml.display())));
    let bin_dir = root.join("listings/src/bin");
    let mut listings = Vec::new();
    for entry in fs::read_dir(&bin_dir)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", bin_dir.display())))
        .flatten()
    {
        let path = entry.path();
        if let (Some(name), Ok(text)) = (
            path.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".rs")),
            fs::read_to_string(&path),
        ) {
            listings.push((name.to_owned(), text));
        }
    }
    for program in programs {
        if program.edition == edition && !matches!(program.mode, Mode::CompileFail(_)) {
            program.listing = listings
                .iter()
                .find(|(_, text)| book_includes::is_whole_file(&program.text, text))
                .map(|(name, _)| name.clone());
        }
    }
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

/// `path` relative to `root` when it is inside it, with `..` resolved: `src/../listings/x.rs`
/// becomes `listings/x.rs`.
fn relative(path: &Path, root: &Path) -> String {
    let mut clean = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir if clean.file_name().is_some() => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
        .strip_prefix(root)
        .unwrap_or(&clean)
        .display()
        .to_string()
}

/// The test file: a `static` per program, a `#[test]` per block.
fn generate(programs: &[Program], tests: &[(String, usize)]) -> String {
    let mut out = String::new();
    for (index, program) in programs.iter().enumerate() {
        let mode = match &program.mode {
            Mode::Run => "Run".to_owned(),
            Mode::NoRun => "NoRun".to_owned(),
            Mode::ShouldPanic => "ShouldPanic".to_owned(),
            Mode::CompileFail(code) => format!("CompileFail({code:?})"),
        };
        let hashes = "#".repeat(longest_hash_run(&program.text) + 1);
        writeln!(
            out,
            "static PROGRAM_{index}: harness::Program = harness::Program::new(\n    \
             harness::Mode::{mode},\n    {edition:?},\n    &{places:?},\n    \
             r{hashes}\"{text}\"{hashes},\n    {listing:?},\n);\n",
            edition = program.edition.as_str(),
            places = program.places,
            text = program.text,
            listing = program.listing,
        )
        .unwrap();
    }
    for (place, index) in tests {
        let program = &programs[*index];
        let mut name = test_name(place);
        if matches!(program.mode, Mode::CompileFail(_)) {
            name.push_str("_compile_fail");
        }
        if program.ignore {
            out.push_str("#[ignore]\n");
        }
        writeln!(
            out,
            "#[test]\nfn {name}() {{\n    harness::check(&PROGRAM_{index}, {place:?});\n}}\n"
        )
        .unwrap();
    }
    out
}

/// The longest run of `#` in `text`, so a raw string can be delimited safely.
fn longest_hash_run(text: &str) -> usize {
    text.split(|c| c != '#').map(str::len).max().unwrap_or(0)
}

/// `src/ch01-threads.md:12` -> `src_ch01_threads_md_line_12`.
fn test_name(place: &str) -> String {
    let (file, line) = place.rsplit_once(':').expect("a place is file:line");
    book_includes::test_name(file, line.parse().expect("a place's line is a number"))
}
