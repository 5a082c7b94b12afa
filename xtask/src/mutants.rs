//! `cargo xtask mutants`: prove that every test guarding a claim can fail.
//!
//! - `cargo xtask mutants [chNN | chNN:NAME ...]`: apply each mutant of `listings/mutants/chNN.toml`
//!   (every chapter's when none is named) to a scratch copy of the repository, run the tests it
//!   names, and fail unless every one of them fails. `listings/mutants/README.md` has the format.
//! - `--list`: check and print the mutants (chapter, name, checker, tests, claim); run nothing.
//! - `--report [--check]`: write (or check) `src/verification.md`, the book's page of mutants.
//!
//! The scratch copy, `target/mutants/work`, is refreshed from the work tree before each chapter,
//! writing only files whose content differs so cargo's fingerprints stay valid. Every run shares
//! one target directory per kind of build (`target/mutants/{target,loom,miri}`), so the
//! dependencies build once. A lock on `target/mutants/lock`, held for one chapter at a time,
//! makes concurrent runs take turns instead of clobbering each other's scratch copy.
//!
//! The unmutated tests of a chapter run first: a test that fails without its mutant proves
//! nothing. Then, per mutant: apply the edits, rebuild (cargo rebuilds only what changed), run
//! each named test on its own straight from the prebuilt test executable, restore the files.

use crate::Result;
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MUTANTS_DIR: &str = "listings/mutants";
const REPORT: &str = "src/verification.md";
/// How long one test may run before it counts as hung (and so as failed).
const TEST_LIMIT: Duration = Duration::from_secs(120);
/// A listing test's own limit for one run of a listing (`LISTING_TIME_LIMIT_SECS`, read by
/// listings/tests/listings/support.rs; 30 s there by default). Shorter here, so that a mutant that
/// makes a listing hang costs 10 s rather than 30; the unmutated tests run with it too.
const LISTING_LIMIT: Duration = Duration::from_secs(10);
/// `.ci/miri.sh --only BIN` runs a listing under Miri on several seeds: slower by far.
const MIRI_LIMIT: Duration = Duration::from_secs(900);

// ---------------------------------------------------------------------------------------------
// The format

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Checker {
    Test,
    Loom,
    Miri,
    Book,
    Compiler,
}

impl Checker {
    const ALL: [Checker; 5] = [
        Checker::Test,
        Checker::Loom,
        Checker::Miri,
        Checker::Book,
        Checker::Compiler,
    ];

    fn name(self) -> &'static str {
        match self {
            Checker::Test => "test",
            Checker::Loom => "loom",
            Checker::Miri => "miri",
            Checker::Book => "book",
            Checker::Compiler => "compiler",
        }
    }

    fn parse(name: &str) -> Option<Checker> {
        Checker::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The command a reader runs by hand for one of this checker's test names.
    fn command(self, test: &str) -> String {
        match self {
            Checker::Test => format!("cargo test -p listings --test listings -- --exact {test}"),
            Checker::Loom => {
                let (file, name) = test.split_once("::").unwrap_or((test, ""));
                format!(
                    "RUSTFLAGS=\"--cfg loom\" CARGO_TARGET_DIR=target/loom cargo test -p listings --no-default-features --test {file} -- --exact {name}"
                )
            }
            Checker::Miri => format!("bash .ci/miri.sh --only {test}"),
            Checker::Book => format!("cargo test --test book -- --exact {test}"),
            Checker::Compiler => format!("cargo build -p listings --bin {test}"),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    mutant: Vec<toml::Spanned<RawMutant>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMutant {
    name: String,
    claim: String,
    file: Option<String>,
    find: Option<String>,
    replace: Option<String>,
    occurrence: Option<usize>,
    #[serde(default)]
    edit: Vec<RawEdit>,
    checker: String,
    tests: Vec<String>,
    why: String,
    stress: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdit {
    file: String,
    find: String,
    replace: String,
    occurrence: Option<usize>,
}

/// One replacement; a mutant's edits apply in order, each to the result of the ones before.
#[derive(Clone, Debug)]
struct Edit {
    file: String,
    find: String,
    replace: String,
    /// Which match to replace (1-based), when `find` occurs several times on purpose.
    occurrence: Option<usize>,
}

#[derive(Clone, Debug)]
struct Mutant {
    chapter: String,
    /// `listings/mutants/chNN.toml`
    toml: String,
    line: usize,
    name: String,
    claim: String,
    edits: Vec<Edit>,
    checker: Checker,
    tests: Vec<String>,
    why: String,
    stress: Option<String>,
}

/// The chapters that have a mutants file, sorted (`ch01`, `ch06`, ...).
fn chapters_with_mutants(root: &Path) -> Result<Vec<String>> {
    let dir = root.join(MUTANTS_DIR);
    let mut chapters = Vec::new();
    for entry in fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        let Some(stem) = name.strip_suffix(".toml") else {
            continue;
        };
        if chapter_number(stem).is_some() && stem.len() == 4 {
            chapters.push(stem.to_owned());
        } else {
            return Err(format!(
                "{MUTANTS_DIR}/{name}: a mutants file is named after its chapter, as in ch06.toml"
            ));
        }
    }
    chapters.sort();
    Ok(chapters)
}

/// `ch06` → 6.
fn chapter_number(chapter: &str) -> Option<u32> {
    let digits = chapter.strip_prefix("ch")?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Reads and checks `listings/mutants/<chapter>.toml` against the files under `root`.
fn load(root: &Path, chapter: &str) -> std::result::Result<Vec<Mutant>, Vec<String>> {
    let display = format!("{MUTANTS_DIR}/{chapter}.toml");
    let text =
        fs::read_to_string(root.join(&display)).map_err(|e| vec![format!("{display}: {e}")])?;
    parse(root, chapter, &display, &text)
}

/// Parses one chapter's mutants and checks each against the files under `root`: every error,
/// not just the first, each naming the file, the line and the mutant.
fn parse(
    root: &Path,
    chapter: &str,
    display: &str,
    text: &str,
) -> std::result::Result<Vec<Mutant>, Vec<String>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| vec![toml_error(display, text, &e)])?;
    if raw.mutant.is_empty() {
        return Err(vec![format!("{display}: no [[mutant]] tables")]);
    }
    let mut errors = Vec::new();
    let mut mutants = Vec::new();
    let mut seen = BTreeMap::new();
    for spanned in raw.mutant {
        let line = line_of(text, spanned.span().start);
        match check(
            root,
            chapter,
            display,
            line,
            spanned.into_inner(),
            &mut seen,
        ) {
            Ok(mutant) => mutants.push(mutant),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(mutants)
    } else {
        Err(errors)
    }
}

/// A TOML or schema error (unknown key, missing field, wrong type), with file, line and mutant.
fn toml_error(display: &str, text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim();
    match error.span() {
        Some(span) => {
            let line = line_of(text, span.start);
            match mutant_name_at(text, span.start) {
                Some(name) => format!("{display}:{line}: mutant `{name}`: {message}"),
                None => format!("{display}:{line}: {message}"),
            }
        }
        None => format!("{display}: {message}"),
    }
}

/// The 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The `name` of the `[[mutant]]` table that holds byte `offset`, read from the text (for errors
/// that stop the parser before it has the table).
fn mutant_name_at(text: &str, offset: usize) -> Option<String> {
    let mut start = 0;
    let mut header = None;
    let mut lines = Vec::new();
    for line in text.split_inclusive('\n') {
        if line.trim() == "[[mutant]]" && start <= offset {
            header = Some(lines.len());
        }
        lines.push(line);
        start += line.len();
    }
    lines[header? + 1..]
        .iter()
        .map(|line| line.trim())
        .take_while(|line| !line.starts_with('['))
        .find_map(|line| {
            let value = line
                .strip_prefix("name")?
                .trim_start()
                .strip_prefix('=')?
                .trim();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            Some(value[1..].split(quote).next()?.to_owned())
        })
}

fn check(
    root: &Path,
    chapter: &str,
    display: &str,
    line: usize,
    raw: RawMutant,
    seen: &mut BTreeMap<String, usize>,
) -> std::result::Result<Mutant, Vec<String>> {
    let at = format!("{display}:{line}: mutant `{}`", raw.name);
    let mut errors = Vec::new();
    let mut error = |message: String| errors.push(format!("{at}: {message}"));

    let kebab = !raw.name.is_empty()
        && raw.name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !kebab {
        error("a name is kebab-case: lowercase words joined by `-`".to_owned());
    }
    if let Some(first) = seen.insert(raw.name.clone(), line) {
        error(format!(
            "duplicate name: line {first} already defines a mutant `{}`",
            raw.name
        ));
    }
    for (field, value) in [("claim", &raw.claim), ("why", &raw.why)] {
        if value.trim().is_empty() {
            error(format!("`{field}` is empty"));
        }
    }
    if raw.stress.as_ref().is_some_and(|s| s.trim().is_empty()) {
        error("`stress` is empty".to_owned());
    }

    let checker = Checker::parse(&raw.checker);
    match checker {
        None => error(format!(
            "unknown checker `{}` (expected one of: {})",
            raw.checker,
            Checker::ALL.map(Checker::name).join(", ")
        )),
        Some(checker) => {
            if raw.tests.is_empty() {
                error("`tests` is empty: name the test(s) that must fail".to_owned());
            }
            let mut names = BTreeSet::new();
            for test in &raw.tests {
                if !names.insert(test) {
                    error(format!("`tests` names `{test}` twice"));
                } else if checker == Checker::Book && test == EDITED_BLOCK {
                    // resolved below, once the edit is known to apply
                } else if let Err(message) = check_test_name(root, checker, test) {
                    error(message);
                }
            }
        }
    }

    let edits = match (raw.file, raw.find, raw.replace, raw.edit.is_empty()) {
        (Some(file), Some(find), Some(replace), true) => vec![Edit {
            file,
            find,
            replace,
            occurrence: raw.occurrence,
        }],
        (None, None, None, false) => {
            if raw.occurrence.is_some() {
                error("`occurrence` belongs in each [[mutant.edit]] table".to_owned());
            }
            raw.edit
                .into_iter()
                .map(|e| Edit {
                    file: e.file,
                    find: e.find,
                    replace: e.replace,
                    occurrence: e.occurrence,
                })
                .collect()
        }
        (None, None, None, true) => {
            error(
                "no edit: give `file`, `find` and `replace`, or [[mutant.edit]] tables".to_owned(),
            );
            Vec::new()
        }
        (_, _, _, false) => {
            error(
                "give either `file`, `find` and `replace`, or [[mutant.edit]] tables, not both"
                    .to_owned(),
            );
            Vec::new()
        }
        (file, find, replace, true) => {
            let missing: Vec<&str> = [
                ("file", file.is_none()),
                ("find", find.is_none()),
                ("replace", replace.is_none()),
            ]
            .into_iter()
            .filter_map(|(field, missing)| missing.then_some(field))
            .collect();
            error(format!(
                "`file`, `find` and `replace` go together: missing `{}`",
                missing.join("`, `")
            ));
            Vec::new()
        }
    };
    if !edits.is_empty()
        && let Err(message) = mutate(root, &edits)
    {
        error(message);
    }
    let mut tests = raw.tests;
    let edits_apply = !edits.is_empty() && mutate(root, &edits).is_ok();
    if edits_apply && tests.iter().any(|t| t == EDITED_BLOCK) {
        match edited_block_test(root, &edits[0]) {
            Ok(name) => {
                for test in tests.iter_mut().filter(|t| *t == EDITED_BLOCK) {
                    test.clone_from(&name);
                }
            }
            Err(message) => error(message),
        }
    }

    match (errors.is_empty(), checker) {
        (true, Some(checker)) => Ok(Mutant {
            chapter: chapter.to_owned(),
            toml: display.to_owned(),
            line,
            name: raw.name,
            claim: raw.claim.trim().to_owned(),
            edits,
            checker,
            tests,
            why: raw.why.trim().to_owned(),
            stress: raw.stress,
        }),
        _ => Err(errors),
    }
}

/// Checks that a test name can exist for its checker (the run checks that it does).
fn check_test_name(root: &Path, checker: Checker, test: &str) -> Result {
    let mentions = |file: &str, name: &str| -> Result {
        let text = fs::read_to_string(root.join(file))
            .map_err(|_| format!("test `{test}`: there is no {file}"))?;
        if text.contains(name) {
            Ok(())
        } else {
            Err(format!("test `{test}`: {file} has no test `{name}`"))
        }
    };
    let bin = |name: &str| -> Result {
        let file = format!("listings/src/bin/{name}.rs");
        if root.join(&file).is_file() {
            Ok(())
        } else {
            Err(format!(
                "`{name}` is not a listing: there is no {file} (the {} checker takes binary names)",
                checker.name()
            ))
        }
    };
    match checker {
        Checker::Test => match test.split_once("::") {
            Some((module, name)) if chapter_number(module).is_some() && !name.is_empty() => {
                let last = name.rsplit("::").next().unwrap_or(name);
                mentions(&format!("listings/tests/listings/{module}.rs"), last)
            }
            _ => Err(format!(
                "test `{test}`: the test checker takes `chNN::test_name`, a test of listings/tests/listings/chNN.rs"
            )),
        },
        Checker::Loom => match test.split_once("::") {
            Some((file, name)) if file.starts_with("loom_") && !name.is_empty() => {
                mentions(&format!("listings/tests/{file}.rs"), name)
            }
            _ => Err(format!(
                "test `{test}`: the loom checker takes `loom_FILE::test_name`, a test of listings/tests/loom_FILE.rs"
            )),
        },
        Checker::Miri | Checker::Compiler => bin(test),
        Checker::Book => check_book_test(root, test),
    }
}

/// A book mutant's test may be written `"the edited block"`: the test of the block its first
/// edit changes. Its real name has the block's line in it, which any edit above it changes.
const EDITED_BLOCK: &str = "the edited block";

/// The book test of the block in which `edit` (on a chapter in `src/`) finds its text.
fn edited_block_test(root: &Path, edit: &Edit) -> Result<String> {
    let bad = |why: &str| format!("`{EDITED_BLOCK}`: {} {why}", edit.file);
    if !(edit.file.starts_with("src/") && edit.file.ends_with(".md")) {
        return Err(bad("is not a chapter in src/"));
    }
    let text = fs::read_to_string(root.join(&edit.file)).map_err(|e| bad(&e.to_string()))?;
    let at = match_position(&text, edit)?;
    // The fence that opens the block: the last ``` line that starts at or before the match.
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let (fence_line, fence) = text[..line_start + text[line_start..].find('\n').unwrap_or(0)]
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("```"))
        .last()
        .ok_or_else(|| bad("has no code block before the edited text"))?;
    if !fence.contains("rust") {
        return Err(bad(&format!(
            "line {}: the edited text is not in a Rust block",
            fence_line + 1
        )));
    }
    let suffix = if fence.contains("compile_fail") {
        "_compile_fail"
    } else {
        ""
    };
    Ok(format!(
        "{}_line_{}{suffix}",
        book_ident(&edit.file),
        fence_line + 1
    ))
}

/// A book test is named after its chapter and the line of its opening fence (see build.rs):
/// `src_ch01_spawning_threads_md_line_19`, with `_compile_fail` after it for such blocks.
fn check_book_test(root: &Path, test: &str) -> Result {
    let bad = || {
        format!(
            "test `{test}`: the book checker takes a book test's name, such as src_ch01_spawning_threads_md_line_19"
        )
    };
    let base = test.strip_suffix("_compile_fail").unwrap_or(test);
    let (ident, line) = base.rsplit_once("_line_").ok_or_else(bad)?;
    let line: usize = line.parse().map_err(|_| bad())?;
    let chapters = book_includes::chapter_files(&root.join("src")).map_err(|e| e.to_string())?;
    let chapter = chapters
        .iter()
        .find(|path| {
            let display = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
            book_ident(&display) == ident
        })
        .ok_or_else(|| format!("test `{test}`: no chapter in src/ is named `{ident}`"))?;
    let text = fs::read_to_string(chapter).map_err(|e| e.to_string())?;
    match text.lines().nth(line.wrapping_sub(1)) {
        Some(fence) if fence.trim_start().starts_with("```") => Ok(()),
        _ => Err(format!(
            "test `{test}`: line {line} of {} does not open a code block",
            chapter.strip_prefix(root).unwrap_or(chapter).display()
        )),
    }
}

/// build.rs's test-name prefix for a chapter path such as `src/ch01-spawning-threads.md`.
fn book_ident(display: &str) -> String {
    display
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

/// A file a mutant changes: its path from the root, and its text before and after.
struct Changed {
    file: String,
    original: String,
    mutated: String,
}

/// Applies `edits` in memory to the files under `root`. Fails, naming the file, when a file is
/// missing or a `find` does not match exactly once (or has no `occurrence`-th match).
fn mutate(root: &Path, edits: &[Edit]) -> std::result::Result<Vec<Changed>, String> {
    let mut changed: Vec<Changed> = Vec::new();
    for edit in edits {
        let path = Path::new(&edit.file);
        if path.is_absolute()
            || path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(format!(
                "`file = \"{}\"`: give a path from the repository root, without `..`",
                edit.file
            ));
        }
        let index = match changed.iter().position(|c| c.file == edit.file) {
            Some(index) => index,
            None => {
                let original = fs::read_to_string(root.join(path))
                    .map_err(|e| format!("cannot read `{}`: {e}", edit.file))?;
                changed.push(Changed {
                    file: edit.file.clone(),
                    mutated: original.clone(),
                    original,
                });
                changed.len() - 1
            }
        };
        let text = &changed[index].mutated;
        let at = match_position(text, edit)?;
        let mut mutated = String::with_capacity(text.len() + edit.replace.len());
        mutated.push_str(&text[..at]);
        mutated.push_str(&edit.replace);
        mutated.push_str(&text[at + edit.find.len()..]);
        changed[index].mutated = mutated;
    }
    if let Some(same) = changed.iter().find(|c| c.original == c.mutated) {
        return Err(format!("the edits leave `{}` unchanged", same.file));
    }
    Ok(changed)
}

/// Where `edit.find` matches in `text`, by the rules of the format.
fn match_position(text: &str, edit: &Edit) -> std::result::Result<usize, String> {
    if edit.find.is_empty() {
        return Err(format!("`find` is empty (in `{}`)", edit.file));
    }
    let matches: Vec<usize> = text.match_indices(&edit.find).map(|(at, _)| at).collect();
    let shown = edit.find.lines().next().unwrap_or("");
    let shown = if edit.find.contains('\n') {
        format!("{shown} …")
    } else {
        shown.to_owned()
    };
    match (edit.occurrence, matches.len()) {
        (_, 0) => Err(format!(
            "`find` matches nothing in {}: the mutant no longer applies to the code (find = `{shown}`)",
            edit.file
        )),
        (None, 1) => Ok(matches[0]),
        (None, n) => Err(format!(
            "`find` matches {n} times in {}: make it longer so it matches once, or give `occurrence` (find = `{shown}`)",
            edit.file
        )),
        (Some(k), n) if k == 0 || k > n => Err(format!(
            "`occurrence = {k}`, but `find` matches {n} time(s) in {} (find = `{shown}`)",
            edit.file
        )),
        (Some(k), _) => Ok(matches[k - 1]),
    }
}

// ---------------------------------------------------------------------------------------------
// The command

struct Options {
    list: bool,
    report: bool,
    check: bool,
    /// `(chapter, Some(mutant name))` for `chNN:NAME`.
    select: Vec<(String, Option<String>)>,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        list: false,
        report: false,
        check: false,
        select: Vec::new(),
    };
    for arg in args {
        match arg.as_str() {
            "--list" => options.list = true,
            "--report" => options.report = true,
            "--check" => options.check = true,
            flag if flag.starts_with('-') => {
                return Err(format!("`cargo xtask mutants` does not take `{flag}`"));
            }
            name => {
                let (chapter, mutant) = match name.split_once(':') {
                    Some((chapter, mutant)) => (chapter, Some(mutant.to_owned())),
                    None => (name, None),
                };
                let number = chapter_number(chapter).ok_or_else(|| {
                    format!("`{name}`: name a chapter (`ch06`) or one mutant (`ch06:publish-with-relaxed`)")
                })?;
                options.select.push((format!("ch{number:02}"), mutant));
            }
        }
    }
    if options.check && !options.report {
        return Err("`--check` goes with `--report`".to_owned());
    }
    if options.report && (options.list || !options.select.is_empty()) {
        return Err(
            "`--report` covers every chapter: it takes no chapter and no `--list`".to_owned(),
        );
    }
    Ok(options)
}

pub fn run(root: &Path, args: &[String]) -> Result {
    let options = parse_args(args)?;
    if options.report {
        return report(root, options.check);
    }
    let mutants = select(root, &options.select)?;
    if options.list {
        list(&mutants);
        return Ok(());
    }
    execute(root, &mutants)
}

/// Loads (and checks) the selected chapters' mutants, or every chapter's.
fn select(root: &Path, select: &[(String, Option<String>)]) -> Result<Vec<Mutant>> {
    let all = chapters_with_mutants(root)?;
    let mut chapters: Vec<&String> = all.iter().collect();
    if !select.is_empty() {
        chapters.retain(|c| select.iter().any(|(s, _)| s == *c));
        if let Some((missing, _)) = select.iter().find(|(s, _)| !all.contains(s)) {
            return Err(format!("there is no {MUTANTS_DIR}/{missing}.toml"));
        }
    }
    let mut mutants = Vec::new();
    let mut errors = Vec::new();
    for chapter in chapters {
        match load(root, chapter) {
            Ok(loaded) => mutants.extend(loaded),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(format!(
            "{} problem(s) in the mutants files:\n  {}",
            errors.len(),
            errors.join("\n  ")
        ));
    }
    let mut missing = Vec::new();
    for (chapter, name) in select {
        if let Some(name) = name
            && !mutants
                .iter()
                .any(|m| &m.chapter == chapter && &m.name == name)
        {
            missing.push(format!(
                "{MUTANTS_DIR}/{chapter}.toml has no mutant `{name}`"
            ));
        }
    }
    if !missing.is_empty() {
        return Err(missing.join("\n"));
    }
    mutants.retain(|m| {
        select.is_empty()
            || select
                .iter()
                .any(|(c, n)| c == &m.chapter && n.as_ref().is_none_or(|n| n == &m.name))
    });
    Ok(mutants)
}

fn list(mutants: &[Mutant]) {
    for m in mutants {
        println!(
            "{}  {}  [{}]  {}",
            m.chapter,
            m.name,
            m.checker.name(),
            m.tests.join(", ")
        );
        println!(
            "      {}",
            m.claim.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    let chapters: BTreeSet<&str> = mutants.iter().map(|m| m.chapter.as_str()).collect();
    println!(
        "{} mutant(s) in {} chapter(s)",
        mutants.len(),
        chapters.len()
    );
}

// ---------------------------------------------------------------------------------------------
// Running the mutants

enum Verdict {
    Caught(String),
    Missed(String),
    Error(String),
}

fn execute(root: &Path, mutants: &[Mutant]) -> Result {
    let started = Instant::now();
    let dir = root.join("target").join("mutants");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let runner = Runner {
        work: dir.join("work"),
        target: dir.join("target"),
        loom_target: dir.join("loom"),
        miri_target: dir.join("miri"),
        logs: dir.join("logs"),
        built: RefCell::default(),
    };
    eprintln!("mutants: {} mutant(s)", mutants.len());

    let mut tally: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    let width = mutants.iter().map(|m| m.name.len()).max().unwrap_or(0);
    let mut chapter_start = 0;
    while chapter_start < mutants.len() {
        let chapter = &mutants[chapter_start].chapter;
        let end = mutants[chapter_start..]
            .iter()
            .position(|m| &m.chapter != chapter)
            .map_or(mutants.len(), |n| chapter_start + n);
        let group = &mutants[chapter_start..end];
        chapter_start = end;

        // One chapter at a time holds the lock, so a run of one chapter waits for a chapter of
        // a long run, not for all of it. Each chapter runs against the work tree as it is then.
        std::thread::sleep(Duration::from_millis(300)); // a waiting run's chance to take it
        let lock = lock(&dir)?;
        let chapter_started = Instant::now();
        let copied = refresh(root, &runner.work)?;
        let _ = fs::remove_dir_all(runner.logs.join(chapter));
        eprintln!(
            "mutants: {chapter}: scratch copy refreshed ({copied} file(s) updated); checking that the unmutated tests pass"
        );
        let broken = runner.baseline(group);
        // Mutants of the same file one after the other: restoring a file costs a rebuild of
        // its binary, which the next mutant of that file makes anyway.
        let mut order: Vec<&Mutant> = group.iter().collect();
        order.sort_by_key(|m| &m.edits[0].file);
        for mutant in order {
            let verdict = match mutant
                .tests
                .iter()
                .find_map(|t| broken.get(&(mutant.checker, t.clone())))
            {
                Some(why) => Verdict::Error(why.clone()),
                None => runner.try_mutant(mutant),
            };
            let counts = tally.entry(chapter).or_default();
            let (word, detail) = match &verdict {
                Verdict::Caught(d) => {
                    counts[0] += 1;
                    ("caught", d)
                }
                Verdict::Missed(d) => {
                    counts[1] += 1;
                    ("MISSED", d)
                }
                Verdict::Error(d) => {
                    counts[2] += 1;
                    ("ERROR", d)
                }
            };
            let (first, more) = detail.split_once('\n').unwrap_or((detail, ""));
            println!("{word:<7} {chapter}  {:<width$}  ({first})", mutant.name);
            for line in more.lines().take(20) {
                println!("            {line}");
            }
        }
        drop(lock);
        eprintln!(
            "mutants: {chapter} took {}",
            duration(chapter_started.elapsed())
        );
    }

    println!();
    let mut totals = [0; 3];
    for (chapter, counts) in &tally {
        println!(
            "{chapter}: {} caught, {} missed, {} error(s)",
            counts[0], counts[1], counts[2]
        );
        for (total, count) in totals.iter_mut().zip(counts) {
            *total += count;
        }
    }
    println!(
        "mutants: {} caught, {} missed, {} error(s) in {}",
        totals[0],
        totals[1],
        totals[2],
        duration(started.elapsed())
    );
    if totals[1] + totals[2] > 0 {
        Err(format!(
            "{} mutant(s) missed and {} error(s): every mutant must make every test it names fail",
            totals[1], totals[2]
        ))
    } else {
        Ok(())
    }
}

fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// Takes the lock on `target/mutants/`, waiting (and saying so) while another run holds it.
fn lock(dir: &Path) -> Result<File> {
    let path = dir.join("lock");
    let file = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "mutants: another `cargo xtask mutants` is running; waiting for it to finish"
            );
        }
        Err(fs::TryLockError::Error(e)) => return Err(format!("{}: {e}", path.display())),
    }
    file.lock()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(file)
}

/// Makes `work` a copy of the files git would commit (tracked, plus untracked files that are not
/// ignored), without build output. Writes only files whose content differs, so cargo's
/// fingerprints stay valid, and removes files the work tree no longer has. Returns how many
/// files it wrote or removed.
fn refresh(root: &Path, work: &Path) -> Result<usize> {
    let output = Command::new("git")
        .current_dir(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git ls-files failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let listed =
        String::from_utf8(output.stdout).map_err(|_| "git ls-files: a path is not UTF-8")?;
    let mut keep = BTreeSet::new();
    let mut written = 0;
    for file in listed.split('\0').filter(|f| !f.is_empty()) {
        let skipped = file.starts_with("book/")
            || file.starts_with(".git/")
            || file
                .split('/')
                .any(|part| part == "target" || part == "node_modules");
        let from = root.join(file);
        let Ok(meta) = fs::symlink_metadata(&from) else {
            continue; // deleted in the work tree, not yet in the index
        };
        if skipped || meta.is_dir() {
            continue;
        }
        let to = work.join(file);
        keep.insert(to.clone());
        if meta.file_type().is_symlink() {
            let link = fs::read_link(&from).map_err(|e| format!("{file}: {e}"))?;
            if fs::read_link(&to).ok().as_ref() != Some(&link) {
                let _ = fs::remove_file(&to);
                create_parent(&to)?;
                std::os::unix::fs::symlink(&link, &to).map_err(|e| format!("{file}: {e}"))?;
                written += 1;
            }
            continue;
        }
        let content = fs::read(&from).map_err(|e| format!("{file}: {e}"))?;
        let same = fs::symlink_metadata(&to).is_ok_and(|m| m.is_file())
            && fs::read(&to).is_ok_and(|old| old == content)
            && fs::metadata(&to).is_ok_and(|m| m.permissions() == meta.permissions());
        if !same {
            let _ = fs::remove_file(&to);
            create_parent(&to)?;
            fs::copy(&from, &to).map_err(|e| format!("{file}: {e}"))?;
            written += 1;
        }
    }
    let mut stack = vec![work.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let meta = fs::symlink_metadata(&path).map_err(|e| e.to_string())?;
            if meta.is_dir() {
                stack.push(path);
            } else if !keep.contains(&path) {
                fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                written += 1;
            }
        }
    }
    Ok(written)
}

fn create_parent(path: &Path) -> Result {
    let parent = path.parent().expect("a file has a parent");
    fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))
}

/// A test executable that cargo builds: the listing tests, one loom model file, or the book.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Suite {
    Listings,
    Loom(String),
    Book,
}

impl Suite {
    /// The suite a test belongs to, and its name inside that executable.
    fn of(checker: Checker, test: &str) -> Option<(Suite, String)> {
        match checker {
            Checker::Test => Some((Suite::Listings, test.to_owned())),
            Checker::Loom => {
                let (file, name) = test.split_once("::")?;
                Some((Suite::Loom(file.to_owned()), name.to_owned()))
            }
            Checker::Book => Some((Suite::Book, test.to_owned())),
            Checker::Miri | Checker::Compiler => None,
        }
    }

    fn target(&self) -> &str {
        match self {
            Suite::Listings => "listings",
            Suite::Loom(file) => file,
            Suite::Book => "book",
        }
    }

    fn package(&self) -> &str {
        match self {
            Suite::Listings | Suite::Loom(_) => "listings",
            Suite::Book => "concurrency-book",
        }
    }
}

/// The listing binaries a test file runs: `listing!("NAME")` and `env!("CARGO_BIN_EXE_NAME")`.
fn binaries_run_by(tests: &str) -> BTreeSet<String> {
    let name = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect()
    };
    let mut bins = BTreeSet::new();
    for marker in ["listing!(\"", "CARGO_BIN_EXE_"] {
        for (at, _) in tests.match_indices(marker) {
            let bin = name(&tests[at + marker.len()..]);
            if !bin.is_empty() {
                bins.insert(bin);
            }
        }
    }
    bins
}

/// What one run of one test showed.
enum Outcome {
    Passed,
    Failed(String),
    /// The run says nothing about the test: it does not exist, is ignored, or cannot run.
    NotRun(String),
}

struct Runner {
    work: PathBuf,
    target: PathBuf,
    loom_target: PathBuf,
    miri_target: PathBuf,
    /// Each test run's output: `logs/chNN/NAME.N.txt`, `logs/chNN/baseline.SUITE.txt`.
    logs: PathBuf,
    /// The test executable each suite's last full build produced.
    built: RefCell<BTreeMap<Suite, PathBuf>>,
}

impl Runner {
    /// Where the output of one run goes: `logs/<chapter>/<name>.txt`.
    fn log(&self, chapter: &str, name: &str) -> PathBuf {
        let dir = self.logs.join(chapter);
        let _ = fs::create_dir_all(&dir);
        dir.join(format!("{name}.txt"))
    }

    fn cargo(&self, target_dir: &Path) -> Command {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut command = Command::new(cargo);
        command
            .current_dir(&self.work)
            .env("CARGO_TARGET_DIR", target_dir)
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
        command
    }

    /// Builds a suite's tests; returns its executable, or the compiler's errors.
    fn build(&self, suite: &Suite) -> std::result::Result<PathBuf, String> {
        let target_dir = match suite {
            Suite::Loom(_) => &self.loom_target,
            _ => &self.target,
        };
        let mut command = self.cargo(target_dir);
        command.args([
            "test",
            "--no-run",
            "--message-format=json-render-diagnostics",
            "-p",
            suite.package(),
            "--test",
            suite.target(),
        ]);
        if let Suite::Loom(_) = suite {
            // As .ci/loom.sh: without kv-server, which does not build under `--cfg loom`.
            command
                .env("RUSTFLAGS", "--cfg loom")
                .arg("--no-default-features");
        }
        let output = command
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !output.status.success() {
            return Err(compiler_errors(&String::from_utf8_lossy(&output.stderr)));
        }
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == suite.target())
            .filter(|m| m["profile"]["test"] == true)
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .inspect(|exe| {
                self.built.borrow_mut().insert(suite.clone(), exe.clone());
            })
            .ok_or_else(|| {
                format!(
                    "cargo built no test executable for `--test {}`",
                    suite.target()
                )
            })
    }

    /// The listing tests' executable for a mutant that only edits listing binaries: the one the
    /// chapter's baseline built, after rebuilding just the binaries the chapter's tests run (and
    /// the edited ones). The tests run binaries by path, so they need no relinking; a binary
    /// restored after an earlier mutant is rebuilt here, as it is one of the chapter's. `None`
    /// when the mutant edits anything else, or a listing some test file compiles in with
    /// `#[path]`: then the whole suite is rebuilt.
    fn rebuild_listings_only(
        &self,
        mutant: &Mutant,
    ) -> Option<std::result::Result<PathBuf, String>> {
        let exe = self.built.borrow().get(&Suite::Listings).cloned()?;
        let mut bins = BTreeSet::new();
        for edit in &mutant.edits {
            let rest = edit.file.strip_prefix("listings/src/bin/")?;
            let bin = rest
                .split_once('/')
                .map_or(rest.strip_suffix(".rs")?, |(dir, _)| dir);
            bins.insert(bin.to_owned());
        }
        // A test file that compiles a listing in (`#[path = "../../src/bin/NAME.rs"] mod x;`)
        // needs the test executable rebuilt.
        let test_dir = self.work.join("listings/tests/listings");
        for entry in fs::read_dir(&test_dir).ok()? {
            let text = fs::read_to_string(entry.ok()?.path()).ok()?;
            if bins.iter().any(|bin| {
                text.contains(&format!("/{bin}.rs\"")) || text.contains(&format!("/{bin}/"))
            }) {
                return None;
            }
        }
        let tests = test_dir.join(format!("{}.rs", mutant.chapter));
        bins.extend(binaries_run_by(&fs::read_to_string(tests).ok()?));
        let mut command = self.cargo(&self.target);
        command.args(["build", "-p", "listings"]);
        for bin in &bins {
            command.args(["--bin", bin]);
        }
        Some(match command.output() {
            Err(e) => Err(format!("cannot run cargo: {e}")),
            Ok(output) if output.status.success() => Ok(exe),
            Ok(output) => Err(compiler_errors(&String::from_utf8_lossy(&output.stderr))),
        })
    }

    /// Builds one listing binary; returns the compiler's errors if it does not compile.
    fn build_bin(&self, bin: &str) -> std::result::Result<(), String> {
        let output = self
            .cargo(&self.target)
            .args(["build", "-p", "listings", "--bin", bin])
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(compiler_errors(&String::from_utf8_lossy(&output.stderr)))
        }
    }

    /// Runs the named tests of one executable, each with `--exact`, all in one process.
    fn run_tests(&self, suite: &Suite, exe: &Path, names: &[String], log: &Path) -> Vec<Outcome> {
        let package_dir = match suite {
            Suite::Book => self.work.clone(),
            _ => self.work.join("listings"),
        };
        let mut command = Command::new(exe);
        command
            .current_dir(&package_dir)
            .env("CARGO_MANIFEST_DIR", &package_dir)
            .env("RUST_BACKTRACE", "0")
            .env(
                "LISTING_TIME_LIMIT_SECS",
                LISTING_LIMIT.as_secs().to_string(),
            )
            .arg("--exact")
            .args(names);
        let limit = TEST_LIMIT * names.len().max(1) as u32;
        match run_limited(command, limit, log) {
            Err(e) => names.iter().map(|_| Outcome::NotRun(e.clone())).collect(),
            Ok(run) => {
                // `/…/target/mutants/target/debug/ch01_move` → `ch01_move`
                let mut output = run.output;
                for dir in [&self.target, &self.loom_target] {
                    output = output.replace(&format!("{}/debug/", dir.display()), "");
                    output = output.replace(&format!("{}/", dir.display()), "");
                }
                names
                    .iter()
                    .map(|name| test_outcome(&output, name, run.timed_out.then_some(limit)))
                    .collect()
            }
        }
    }

    /// `bash .ci/miri.sh --only BIN` in the scratch copy.
    fn run_miri(&self, bin: &str, log: &Path) -> Outcome {
        let script = self.work.join(".ci").join("miri.sh");
        let has_only = fs::read_to_string(&script).is_ok_and(|s| s.contains("--only"));
        if !has_only {
            return Outcome::NotRun(".ci/miri.sh has no `--only BIN` option".to_owned());
        }
        let mut command = Command::new("bash");
        command
            .current_dir(&self.work)
            .env("CARGO_TARGET_DIR", &self.miri_target)
            .args([".ci/miri.sh", "--only", bin]);
        match run_limited(command, MIRI_LIMIT, log) {
            Err(e) => Outcome::NotRun(e),
            Ok(run) if run.output.contains("MIRI SKIPPED") => Outcome::NotRun(format!(
                "Miri is not available here: {}",
                first_line_with(&run.output, "MIRI SKIPPED").unwrap_or_default()
            )),
            Ok(run) if run.timed_out => Outcome::Failed(format!(
                "Miri ran for {} s without finishing: a hang counts as a failure",
                MIRI_LIMIT.as_secs()
            )),
            Ok(run) if run.success => Outcome::Passed,
            // Undefined behaviour or a leak, else a panic in the listing, else miri.sh's verdict.
            Ok(run) => Outcome::Failed(
                run.output
                    .lines()
                    .find(|l| l.starts_with("error: ") && !l.starts_with("error: aborting"))
                    .map(|l| shorten(l, 240))
                    .or_else(|| {
                        panic_summary(&run.output)
                            .map(|p| shorten(&format!("the listing panicked under Miri: {p}"), 240))
                    })
                    .or_else(|| first_line_with(&run.output, "FAILED"))
                    .unwrap_or_else(|| "miri.sh failed".to_owned()),
            ),
        }
    }

    /// Runs every test the chapter's mutants name, unmutated; returns those that do not pass.
    fn baseline(&self, group: &[Mutant]) -> BTreeMap<(Checker, String), String> {
        let chapter = &group[0].chapter;
        let mut broken = BTreeMap::new();
        let mut suites: BTreeMap<Suite, Vec<(Checker, String, String)>> = BTreeMap::new();
        let mut bins: BTreeSet<(Checker, String)> = BTreeSet::new();
        for mutant in group {
            for test in &mutant.tests {
                match Suite::of(mutant.checker, test) {
                    Some((suite, name)) => {
                        let tests = suites.entry(suite).or_default();
                        if !tests.iter().any(|(_, t, _)| t == test) {
                            tests.push((mutant.checker, test.clone(), name));
                        }
                    }
                    None => {
                        bins.insert((mutant.checker, test.clone()));
                    }
                }
            }
        }
        for (suite, tests) in &suites {
            let exe = match self.build(suite) {
                Ok(exe) => exe,
                Err(e) => {
                    for (checker, test, _) in tests {
                        broken.insert(
                            (*checker, test.clone()),
                            format!("the unmutated tests do not build:\n{e}"),
                        );
                    }
                    continue;
                }
            };
            let names: Vec<String> = tests.iter().map(|(_, _, name)| name.clone()).collect();
            let log = self.log(chapter, &format!("baseline.{}", suite.target()));
            let outcomes = self.run_tests(suite, &exe, &names, &log);
            for ((checker, test, _), outcome) in tests.iter().zip(outcomes) {
                let problem = match outcome {
                    Outcome::Passed => continue,
                    Outcome::Failed(why) => format!(
                        "{test} fails without the mutant, so its failure would prove nothing: {why}\noutput: {}",
                        log.display()
                    ),
                    Outcome::NotRun(why) => format!("{test}: {why}"),
                };
                broken.insert((*checker, test.clone()), problem);
            }
        }
        for (checker, bin) in bins {
            let problem = match (checker, self.build_bin(&bin)) {
                (_, Err(e)) => format!("the unmutated {bin} does not build:\n{e}"),
                (Checker::Miri, Ok(())) => {
                    match self.run_miri(&bin, &self.log(chapter, &format!("baseline.{bin}"))) {
                        Outcome::Passed => continue,
                        Outcome::Failed(why) => {
                            format!("miri.sh --only {bin} fails without the mutant: {why}")
                        }
                        Outcome::NotRun(why) => why,
                    }
                }
                (_, Ok(())) => continue,
            };
            broken.insert((checker, bin), problem);
        }
        broken
    }

    fn try_mutant(&self, mutant: &Mutant) -> Verdict {
        let applied = match Applied::apply(&self.work, &mutant.edits) {
            Ok(applied) => applied,
            Err(e) => return Verdict::Error(e),
        };
        let verdict = self.judge(mutant);
        match applied.restore() {
            Ok(()) => verdict,
            Err(e) => Verdict::Error(format!("cannot restore the scratch copy: {e}")),
        }
    }

    fn judge(&self, mutant: &Mutant) -> Verdict {
        let does_not_compile = |errors: String| {
            Verdict::Error(format!(
                "the mutant does not compile, so it proves nothing about the test (only the compiler checker expects that): {errors}"
            ))
        };
        // For the book and Miri, compile the listings it edits first: a block or a Miri run
        // that fails to build would otherwise count as a failed test.
        if matches!(mutant.checker, Checker::Book | Checker::Miri) {
            for edit in &mutant.edits {
                if let Some(bin) = edit
                    .file
                    .strip_prefix("listings/src/bin/")
                    .and_then(|f| f.strip_suffix(".rs"))
                    && let Err(errors) = self.build_bin(bin)
                {
                    return does_not_compile(errors);
                }
            }
        }
        let mut results: Vec<(&String, Outcome)> = Vec::new();
        let mut logs: Vec<PathBuf> = Vec::new();
        match mutant.checker {
            Checker::Test | Checker::Loom | Checker::Book => {
                let mut suites: BTreeMap<Suite, Vec<(&String, String)>> = BTreeMap::new();
                for test in &mutant.tests {
                    if let Some((suite, name)) = Suite::of(mutant.checker, test) {
                        suites.entry(suite).or_default().push((test, name));
                    }
                }
                for (suite, tests) in &suites {
                    let quick = match suite {
                        Suite::Listings => self.rebuild_listings_only(mutant),
                        _ => None,
                    };
                    let exe = match quick.unwrap_or_else(|| self.build(suite)) {
                        Ok(exe) => exe,
                        Err(errors) => return does_not_compile(errors),
                    };
                    for (test, name) in tests {
                        let log = self.log(
                            &mutant.chapter,
                            &format!("{}.{}", mutant.name, logs.len() + 1),
                        );
                        let outcome = self.run_tests(suite, &exe, std::slice::from_ref(name), &log);
                        logs.push(log);
                        results.push((test, outcome.into_iter().next().expect("one outcome")));
                    }
                }
            }
            Checker::Miri => {
                for bin in &mutant.tests {
                    let log = self.log(
                        &mutant.chapter,
                        &format!("{}.{}", mutant.name, logs.len() + 1),
                    );
                    results.push((bin, self.run_miri(bin, &log)));
                    logs.push(log);
                }
            }
            Checker::Compiler => {
                for bin in &mutant.tests {
                    let outcome = match self.build_bin(bin) {
                        Ok(()) => Outcome::Passed,
                        Err(errors) => Outcome::Failed(format!(
                            "does not compile: {}",
                            errors.lines().next().unwrap_or("")
                        )),
                    };
                    results.push((bin, outcome));
                }
            }
        }
        let mut caught = Vec::new();
        let mut missed = Vec::new();
        let mut not_run = Vec::new();
        for (test, outcome) in results {
            match outcome {
                Outcome::Failed(why) => caught.push(format!("{test} failed: {why}")),
                Outcome::Passed => missed.push(match mutant.checker {
                    Checker::Compiler => format!("{test} compiled with the bug"),
                    _ => format!("{test} passed with the bug"),
                }),
                Outcome::NotRun(why) => not_run.push(format!("{test}: {why}")),
            }
        }
        let output = match &logs[..] {
            [] => String::new(),
            logs => format!(
                "\noutput: {}",
                logs.iter()
                    .map(|l| l.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        if !not_run.is_empty() {
            Verdict::Error(not_run.join("; ") + &output)
        } else if !missed.is_empty() {
            Verdict::Missed(missed.join("; ") + &output)
        } else {
            Verdict::Caught(caught.join("; "))
        }
    }
}

/// A mutant applied to the scratch copy; `restore` (or dropping it) puts the files back.
struct Applied<'a> {
    work: &'a Path,
    changed: Vec<Changed>,
}

impl<'a> Applied<'a> {
    fn apply(work: &'a Path, edits: &[Edit]) -> std::result::Result<Applied<'a>, String> {
        let changed = mutate(work, edits)?;
        let applied = Applied { work, changed };
        for c in &applied.changed {
            fs::write(work.join(&c.file), &c.mutated).map_err(|e| format!("{}: {e}", c.file))?;
        }
        Ok(applied)
    }

    fn restore(mut self) -> std::result::Result<(), String> {
        let changed = std::mem::take(&mut self.changed);
        for c in &changed {
            fs::write(self.work.join(&c.file), &c.original)
                .map_err(|e| format!("{}: {e}", c.file))?;
        }
        Ok(())
    }
}

impl Drop for Applied<'_> {
    fn drop(&mut self) {
        for c in &self.changed {
            let _ = fs::write(self.work.join(&c.file), &c.original);
        }
    }
}

struct Finished {
    success: bool,
    timed_out: bool,
    output: String,
}

/// Runs `command` with its output in `log`, killing its process group after `limit`.
fn run_limited(
    mut command: Command,
    limit: Duration,
    log: &Path,
) -> std::result::Result<Finished, String> {
    use std::os::unix::process::CommandExt;
    let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let started = Instant::now();
    let (success, timed_out) = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break (status.success(), false);
        }
        if started.elapsed() > limit {
            let _ = Command::new("kill")
                .args(["-KILL", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            break (false, true);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = String::from_utf8_lossy(&fs::read(log).unwrap_or_default()).into_owned();
    Ok(Finished {
        success,
        timed_out,
        output,
    })
}

/// What libtest's output says about test `name`.
fn test_outcome(output: &str, name: &str, timed_out: Option<Duration>) -> Outcome {
    let result = output.lines().find_map(|line| {
        line.strip_prefix("test ")?
            .strip_prefix(name)?
            .strip_prefix(" ... ")
            .map(str::trim)
    });
    match result {
        Some("ok") => Outcome::Passed,
        Some(r) if r.starts_with("FAILED") => Outcome::Failed(failure_message(output, name)),
        Some(r) if r.starts_with("ignored") => {
            Outcome::NotRun("the test is #[ignore]d, so it runs nowhere".to_owned())
        }
        _ => match timed_out {
            Some(limit) => Outcome::Failed(format!(
                "no result after {} s: a hang counts as a failure",
                limit.as_secs()
            )),
            None if output.contains("running 0 tests") => {
                Outcome::NotRun("no test has this name".to_owned())
            }
            None => Outcome::Failed(format!(
                "the test process ended without a result: {}",
                output
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("(no output)")
            )),
        },
    }
}

/// The panic message in test `name`'s captured output: its first line, and when it reports a
/// program that panicked in turn (a listing run by the test), that program's message and place.
fn failure_message(output: &str, name: &str) -> String {
    let section = output
        .split_once(&format!("---- {name} stdout ----"))
        .map_or(output, |(_, rest)| rest);
    shorten(
        &panic_summary(section).unwrap_or_else(|| "failed (no panic message)".to_owned()),
        240,
    )
}

/// What the panics in `section` say, if it has any (see `failure_message`).
fn panic_summary(section: &str) -> Option<String> {
    let lines: Vec<&str> = section.lines().collect();
    // `thread 'x' panicked at src/file.rs:1:2:`, then the message on the lines below.
    let panics: Vec<(&str, Vec<&str>)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let place = line.split_once("panicked at ")?.1.trim_end_matches(':');
            let message = lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .skip_while(|l| l.is_empty())
                .take_while(|l| !l.is_empty() && !l.starts_with("note:") && !l.starts_with("```"))
                .take(3)
                .collect();
            Some((place, message))
        })
        .collect();
    let message = match &panics[..] {
        [] => return None,
        [(_, first), .., (place, inner)] if first.first().is_some_and(|l| l.ends_with(':')) => {
            format!("{} {} (at {place})", first[0], inner.join(" "))
        }
        // A listing run by the test failed without a panic: say how it ended.
        [(_, first)] if first.first().is_some_and(|l| l.ends_with(':')) => {
            match section.lines().find_map(|l| l.trim().strip_prefix("code=")) {
                Some("<interrupted>") => format!("{} killed at its time limit (it hung)", first[0]),
                Some(code) => format!("{} exit code {code}", first[0]),
                None => first[0].to_owned(),
            }
        }
        [(place, first), ..] if first.is_empty() => format!("panicked at {place}"),
        [(_, first), ..] => first[0].to_owned(),
    };
    Some(message)
}

fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

fn first_line_with(output: &str, needle: &str) -> Option<String> {
    output
        .lines()
        .find(|line| line.contains(needle))
        .map(|line| shorten(line.trim(), 200))
}

/// The compiler's error lines (not its warnings), for a message.
fn compiler_errors(stderr: &str) -> String {
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("error") && !line.starts_with("error: could not compile"))
        .collect();
    if errors.is_empty() {
        stderr.lines().rev().take(10).collect::<Vec<_>>().join("\n")
    } else {
        errors.join("\n")
    }
}

// ---------------------------------------------------------------------------------------------
// The book's page: src/verification.md

const REPORT_INTRO: &str = "\
# How this book checks its claims

<!-- Generated by `cargo xtask mutants --report` from listings/mutants/*.toml: edit those, not this page. -->

Every claim this book makes about a program is checked by a test: a listing test that runs the
program and reads its output, a loom model that explores every interleaving, a Miri run that looks
for undefined behaviour, or the compiler itself. But a test that passes proves something only if
it could have failed. So for each claim, this page shows a *mutant*: a small edit to the code
that plants the very mistake the claim is about (a `Relaxed` where the text says `Release` is
needed, a missing `join`, a lock released too early). With the mutant in place, the test that
guards the claim must fail.

`cargo xtask mutants` applies every mutant below to a scratch copy of the repository, one at a
time, runs the tests it names, and fails unless each of them fails; `cargo xtask mutants ch01`
does one chapter. The mutants live in `listings/mutants/chNN.toml`.

You can apply a mutant by hand, too. Open the file named above its diff, replace the `-` lines
with the `+` lines, and run the command shown for its test. Watch the test fail and read what it
says. Then undo the edit.

| checker | what fails with the mutant in place |
| --- | --- |
| test | a listing test in `listings/tests/listings/`, which runs the program and checks its output |
| loom | a loom model in `listings/tests/loom_*.rs`, built with `RUSTFLAGS=\"--cfg loom\"` |
| miri | a Miri run of the listing (`.ci/miri.sh`), which reports undefined behaviour or a leak |
| book | the test of a code block in the book itself |
| compiler | the build: the mistake must not compile |
";

fn report(root: &Path, check: bool) -> Result {
    let chapters = chapters_with_mutants(root)?;
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for chapter in &chapters {
        match load(root, chapter) {
            Ok(mutants) => all.push((chapter.clone(), mutants)),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(format!(
            "cannot write {REPORT}: {} problem(s) in the mutants files:\n  {}",
            errors.len(),
            errors.join("\n  ")
        ));
    }
    let page = render(root, &all)?;
    let path = root.join(REPORT);
    let current = fs::read_to_string(&path).unwrap_or_default();
    if current == page {
        println!("{REPORT} is up to date");
        Ok(())
    } else if check {
        Err(format!(
            "{REPORT} is out of date with listings/mutants/ and the files they edit: run `cargo xtask mutants --report`"
        ))
    } else {
        fs::write(&path, page).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {REPORT}");
        Ok(())
    }
}

/// The chapters of `src/SUMMARY.md`: `ch06` → (title, file).
fn chapter_titles(root: &Path) -> Result<BTreeMap<String, (String, String)>> {
    let summary = fs::read_to_string(root.join("src").join("SUMMARY.md"))
        .map_err(|e| format!("src/SUMMARY.md: {e}"))?;
    Ok(summary
        .lines()
        .filter_map(|line| {
            let (title, file) = line
                .trim()
                .strip_prefix("- [")?
                .strip_suffix(')')?
                .split_once("](")?;
            let chapter = file.get(..4).filter(|c| chapter_number(c).is_some())?;
            Some((chapter.to_owned(), (title.to_owned(), file.to_owned())))
        })
        .collect())
}

fn render(root: &Path, all: &[(String, Vec<Mutant>)]) -> Result<String> {
    let titles = chapter_titles(root)?;
    let mut page = String::from(REPORT_INTRO);
    for (chapter, mutants) in all {
        let number = chapter_number(chapter).unwrap_or(0);
        let heading = match titles.get(chapter) {
            Some((title, file)) => format!("Chapter {number}: [{title}]({file})"),
            None => format!("Chapter {number}"),
        };
        page.push_str(&format!("\n## {heading}\n"));
        for m in mutants {
            page.push_str(&format!("\n### `{}`\n\n", m.name));
            page.push_str(&format!("**Claim.** {}\n\n", one_paragraph(&m.claim)));
            let guard = if m.tests.len() == 1 { "test" } else { "tests" };
            page.push_str(&format!(
                "**Guarded by** the {} {guard} (checker `{}`):\n\n",
                match m.checker {
                    Checker::Test => "listing",
                    Checker::Loom => "loom",
                    Checker::Miri => "Miri",
                    Checker::Book => "book",
                    Checker::Compiler => "compiler",
                },
                m.checker.name()
            ));
            for test in &m.tests {
                page.push_str(&format!("- `{test}`: `{}`\n", m.checker.command(test)));
            }
            page.push('\n');
            let changed = mutate(root, &m.edits)
                .map_err(|e| format!("{}:{}: mutant `{}`: {e}", m.toml, m.line, m.name))?;
            let mut texts: BTreeMap<&str, String> = changed
                .iter()
                .map(|c| (c.file.as_str(), c.original.clone()))
                .collect();
            for edit in &m.edits {
                let text = texts
                    .get_mut(edit.file.as_str())
                    .expect("mutate read every file");
                let at = match_position(text, edit).expect("mutate checked every edit");
                page.push_str(&format!("**Mutant** in `{}`:\n\n", edit.file));
                page.push_str(&diff_block(text, at, edit));
                text.replace_range(at..at + edit.find.len(), &edit.replace);
            }
            page.push_str(&format!(
                "**Why the test fails.** {}",
                one_paragraph(&m.why)
            ));
            if let Some(stress) = &m.stress {
                page.push_str(&format!(
                    " (Stress test: caught {}.)",
                    one_paragraph(stress)
                ));
            }
            page.push('\n');
        }
    }
    let missing: Vec<String> = titles
        .iter()
        .filter(|(chapter, _)| !all.iter().any(|(c, _)| c == *chapter))
        .map(|(chapter, (title, file))| {
            format!(
                "- Chapter {}: [{title}]({file})",
                chapter_number(chapter).unwrap_or(0)
            )
        })
        .collect();
    if !missing.is_empty() {
        page.push_str("\n## Chapters without mutants yet\n\n");
        page.push_str("Their tests run with every build, but no mutant shows yet that each of them can fail.\n\n");
        page.push_str(&missing.join("\n"));
        page.push('\n');
    }
    Ok(page)
}

/// Joins a TOML string's lines into one paragraph.
/// Joins a TOML string's lines into one paragraph of Markdown, with `[`, `]` and `<` outside
/// `code spans` escaped: `error[E0373]` or `[1, 2, 3]` is text, not a link, and `Vec<T>` not HTML.
fn one_paragraph(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                part.to_owned()
            } else {
                part.replace('[', "\\[")
                    .replace(']', "\\]")
                    .replace('<', "&lt;")
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// A ```diff block of the whole lines `edit` touches in `text` (match at byte `at`), with lines
/// the edit leaves alone as context and the common indentation removed.
fn diff_block(text: &str, at: usize, edit: &Edit) -> String {
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let match_end = at + edit.find.len();
    // A `find` of whole lines (ending in a newline, replaced by whole lines or nothing) ends
    // where it ends; any other ends at the end of the line it ends in.
    let whole_lines =
        edit.find.ends_with('\n') && (edit.replace.is_empty() || edit.replace.ends_with('\n'));
    let end = if whole_lines {
        match_end - 1
    } else {
        text[match_end..]
            .find('\n')
            .map_or(text.len(), |n| match_end + n)
    };
    let before = &text[start..end];
    let after = format!(
        "{}{}{}",
        &text[start..at],
        edit.replace,
        &text[match_end.min(end)..end]
    );
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut lines: Vec<(char, &str)> = Vec::new();
    lines.extend(old[..prefix].iter().map(|l| (' ', *l)));
    lines.extend(old[prefix..old.len() - suffix].iter().map(|l| ('-', *l)));
    lines.extend(new[prefix..new.len() - suffix].iter().map(|l| ('+', *l)));
    lines.extend(old[old.len() - suffix..].iter().map(|l| (' ', *l)));
    let indent = lines
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(_, l)| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let body: String = lines
        .iter()
        .map(|(sign, line)| {
            let line = line.get(indent..).unwrap_or("").trim_end();
            format!("{sign} {line}").trim_end().to_owned() + "\n"
        })
        .collect();
    let fence = if body.contains("```") { "````" } else { "```" };
    format!("{fence}diff\n{body}{fence}\n\n")
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny repository: `xtask/fixtures/mutants`, with a listing, its tests and a mutants
    /// file whose `find` no longer matches.
    fn fixture() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/mutants")
    }

    const GOOD: &str = r#"
[[mutant]]
name = "off-by-one"
claim = "The sum covers the whole range."
file = "listings/src/bin/ch99_demo.rs"
find = "(1..=4)"
replace = "(1..4)"
checker = "test"
tests = ["ch99::prints_the_total"]
why = "The total is 6, not 10."
"#;

    fn errors_of(text: &str) -> String {
        match parse(&fixture(), "ch99", "listings/mutants/ch99.toml", text) {
            Ok(_) => panic!("expected errors for:\n{text}"),
            Err(errors) => errors.join("\n"),
        }
    }

    #[test]
    fn a_good_mutant_parses_and_applies() {
        let mutants = parse(&fixture(), "ch99", "listings/mutants/ch99.toml", GOOD).unwrap();
        let [m] = &mutants[..] else {
            panic!("one mutant")
        };
        assert_eq!(
            (m.name.as_str(), m.line, m.checker),
            ("off-by-one", 2, Checker::Test)
        );
        let changed = mutate(&fixture(), &m.edits).unwrap();
        assert!(changed[0].mutated.contains("(1..4).sum()"));
        assert!(changed[0].original.contains("(1..=4).sum()"));
    }

    #[test]
    fn find_that_no_longer_matches_names_the_file_and_mutant() {
        let errors = load(&fixture(), "ch99").unwrap_err().join("\n");
        assert!(
            errors.contains("listings/mutants/ch99.toml:1: mutant `stale-find`"),
            "{errors}"
        );
        assert!(
            errors.contains("`find` matches nothing in listings/src/bin/ch99_demo.rs"),
            "{errors}"
        );
        // The file's other mutant is fine: only the stale one is reported.
        assert!(!errors.contains("still-good"), "{errors}");
    }

    #[test]
    fn find_that_matches_twice_needs_an_occurrence() {
        let twice = GOOD
            .replace("(1..=4)", "println!")
            .replace("(1..4)", "print!");
        let errors = errors_of(&twice);
        assert!(errors.contains("matches 2 times"), "{errors}");
        let second = twice.replace("tests =", "occurrence = 2\ntests =");
        let mutants = parse(&fixture(), "ch99", "x.toml", &second).unwrap();
        let changed = mutate(&fixture(), &mutants[0].edits).unwrap();
        let mutated = &changed[0].mutated;
        let first = mutated.find("println!").unwrap();
        assert!(mutated[first..].contains("print!(\"done\")"), "{mutated}");
        let third = twice.replace("tests =", "occurrence = 3\ntests =");
        assert!(errors_of(&third).contains("`occurrence = 3`, but `find` matches 2 time(s)"));
    }

    #[test]
    fn unknown_keys_and_missing_fields_name_file_line_and_mutant() {
        let typo = GOOD.replace("find =", "fnid =");
        let errors = errors_of(&typo);
        assert!(
            errors.contains(
                "listings/mutants/ch99.toml:6: mutant `off-by-one`: unknown field `fnid`"
            ),
            "{errors}"
        );
        let no_claim = GOOD.replace("claim = \"The sum covers the whole range.\"\n", "");
        let errors = errors_of(&no_claim);
        assert!(errors.contains("ch99.toml:"), "{errors}");
        assert!(errors.contains("mutant `off-by-one`"), "{errors}");
        assert!(errors.contains("missing field `claim`"), "{errors}");
        let no_replace = GOOD.replace("replace = \"(1..4)\"\n", "");
        assert!(errors_of(&no_replace).contains("missing `replace`"));
        let top = format!("stray = 1\n{GOOD}");
        assert!(errors_of(&top).contains("ch99.toml:1: unknown field `stray`"));
    }

    #[test]
    fn unknown_checker_missing_file_and_bad_tests_are_errors() {
        let errors = errors_of(&GOOD.replace("\"test\"", "\"lomo\""));
        assert!(
            errors.contains("ch99.toml:2: mutant `off-by-one`: unknown checker `lomo`"),
            "{errors}"
        );
        let errors = errors_of(&GOOD.replace("ch99_demo.rs", "ch99_gone.rs"));
        assert!(
            errors.contains("cannot read `listings/src/bin/ch99_gone.rs`"),
            "{errors}"
        );
        let errors = errors_of(&GOOD.replace("prints_the_total", "prints_the_totl"));
        assert!(errors.contains("has no test `prints_the_totl`"), "{errors}");
        let errors = errors_of(&GOOD.replace("ch99::prints_the_total", "prints_the_total"));
        assert!(errors.contains("takes `chNN::test_name`"), "{errors}");
        let errors = errors_of(&GOOD.replace("tests = [\"ch99::prints_the_total\"]", "tests = []"));
        assert!(errors.contains("`tests` is empty"), "{errors}");
        let compiler = GOOD
            .replace("\"test\"", "\"compiler\"")
            .replace("ch99::prints_the_total", "ch99_nope");
        assert!(errors_of(&compiler).contains("`ch99_nope` is not a listing"));
        let ok = GOOD
            .replace("\"test\"", "\"compiler\"")
            .replace("ch99::prints_the_total", "ch99_demo");
        assert!(parse(&fixture(), "ch99", "x.toml", &ok).is_ok());
    }

    #[test]
    fn duplicate_names_and_bad_names_are_errors() {
        let errors = errors_of(&format!("{GOOD}{GOOD}"));
        assert!(
            errors.contains(
                "ch99.toml:12: mutant `off-by-one`: duplicate name: line 2 already defines"
            ),
            "{errors}"
        );
        let errors = errors_of(&GOOD.replace("off-by-one", "Off_By_One"));
        assert!(errors.contains("kebab-case"), "{errors}");
    }

    #[test]
    fn edits_apply_in_order_and_cannot_mix_with_top_level_fields() {
        let multi = r#"
[[mutant]]
name = "two-edits"
claim = "c"
checker = "test"
tests = ["ch99::prints_the_total"]
why = "w"

[[mutant.edit]]
file = "listings/src/bin/ch99_demo.rs"
find = "(1..=4)"
replace = "(1..=5)"

[[mutant.edit]]
file = "listings/src/bin/ch99_demo.rs"
find = "(1..=5).sum()"
replace = "(1..=5).product()"
"#;
        let mutants = parse(&fixture(), "ch99", "x.toml", multi).unwrap();
        let changed = mutate(&fixture(), &mutants[0].edits).unwrap();
        assert_eq!(changed.len(), 1);
        assert!(changed[0].mutated.contains("(1..=5).product()"));
        let both = multi.replace(
            "why = \"w\"",
            "why = \"w\"\nfile = \"listings/src/bin/ch99_demo.rs\"",
        );
        assert!(errors_of(&both).contains("not both"));
        let none = GOOD
            .replace("file = \"listings/src/bin/ch99_demo.rs\"\n", "")
            .replace("find = \"(1..=4)\"\n", "")
            .replace("replace = \"(1..4)\"\n", "");
        assert!(errors_of(&none).contains("no edit"));
        let same = GOOD.replace("\"(1..4)\"", "\"(1..=4)\"");
        assert!(errors_of(&same).contains("unchanged"));
        let escape = GOOD.replace("listings/src/bin/ch99_demo.rs", "../ch99_demo.rs");
        assert!(errors_of(&escape).contains("without `..`"));
    }

    #[test]
    fn the_binaries_a_test_file_runs_are_found() {
        let tests = "let out = listing!(\"ch01_spawn_join\");\n\
                     let path = env!(\"CARGO_BIN_EXE_kv-server\");\n\
                     macro_rules! m { () => { listing!(\"ch01_move\") } }\n";
        let bins: Vec<String> = binaries_run_by(tests).into_iter().collect();
        assert_eq!(bins, ["ch01_move", "ch01_spawn_join", "kv-server"]);
    }

    #[test]
    fn arguments() {
        let args = |a: &[&str]| parse_args(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let o = args(&["ch6", "ch01:off-by-one", "--list"]).unwrap();
        assert!(o.list && !o.report);
        assert_eq!(
            o.select,
            [
                ("ch06".to_owned(), None),
                ("ch01".to_owned(), Some("off-by-one".to_owned()))
            ]
        );
        assert!(args(&["--check"]).is_err());
        assert!(args(&["--report", "ch01"]).is_err());
        assert!(args(&["--lsit"]).is_err());
        assert!(args(&["six"]).is_err());
        assert!(args(&["--report", "--check"]).is_ok());
    }

    #[test]
    fn libtest_output_is_read_per_test() {
        let output = "\nrunning 2 tests\ntest ch01::a ... ok\ntest ch01::b ... FAILED\n\nfailures:\n\n\
            ---- ch01::b stdout ----\n\nthread 'ch01::b' panicked at listings/tests/listings/ch01.rs:9:5:\n\
            assertion `left == right` failed: nothing else is printed\n  left: 8\n right: 9\n";
        assert!(matches!(
            test_outcome(output, "ch01::a", None),
            Outcome::Passed
        ));
        // A listing run by the test panicked: its message and place say more than the test's.
        let nested = "---- ch01::s stdout ----\n\nthread 'ch01::s' (9) panicked at listings/tests/listings/support.rs:51:29:\n\
            ch01_solution did not exit successfully within 30s:\nUnexpected failure.\ncode=101\nstderr=``````\n\n\
            thread \\'main\\' (20063) panicked at listings/src/bin/ch01_solution.rs:27:5:\n\
            assertion `left == right` failed\n  left: 36\n right: 55\nnote: run with `RUST_BACKTRACE=1`\n```\n";
        assert_eq!(
            failure_message(nested, "ch01::s"),
            "ch01_solution did not exit successfully within 30s: assertion `left == right` failed \
             left: 36 right: 55 (at listings/src/bin/ch01_solution.rs:27:5)"
        );
        let hung = "---- ch01::h stdout ----\nthread 'ch01::h' (9) panicked at support.rs:51:29:\n\
            ch02_channel did not exit successfully within 10s:\nUnexpected failure.\ncode=<interrupted>\n";
        assert_eq!(
            failure_message(hung, "ch01::h"),
            "ch02_channel did not exit successfully within 10s: killed at its time limit (it hung)"
        );
        match test_outcome(output, "ch01::b", None) {
            Outcome::Failed(why) => {
                assert_eq!(
                    why,
                    "assertion `left == right` failed: nothing else is printed"
                )
            }
            _ => panic!("ch01::b failed"),
        }
        assert!(matches!(
            test_outcome("running 0 tests\n", "ch01::c", None),
            Outcome::NotRun(_)
        ));
        match test_outcome("running 1 test\n", "ch01::c", Some(TEST_LIMIT)) {
            Outcome::Failed(why) => assert!(why.contains("a hang counts as a failure")),
            _ => panic!("a hang is a failure"),
        }
        // `ch01::a` must not match the result line of `ch01::ab`.
        assert!(matches!(
            test_outcome("running 1 test\ntest ch01::ab ... ok\n", "ch01::a", None),
            Outcome::Failed(_)
        ));
    }

    #[test]
    fn the_report_shows_whole_lines_as_a_diff() {
        let text = "fn main() {\n    let x = f(1);\n    let y = 2;\n}\n";
        let edit = Edit {
            file: "f.rs".to_owned(),
            find: "f(1)".to_owned(),
            replace: "g(1)".to_owned(),
            occurrence: None,
        };
        let at = match_position(text, &edit).unwrap();
        assert_eq!(
            diff_block(text, at, &edit),
            "```diff\n- let x = f(1);\n+ let x = g(1);\n```\n\n"
        );
        let edit = Edit {
            find: "let x = f(1);\n    let y = 2;".to_owned(),
            replace: "let x = f(1);".to_owned(),
            ..edit
        };
        let at = match_position(text, &edit).unwrap();
        assert_eq!(
            diff_block(text, at, &edit),
            "```diff\n  let x = f(1);\n- let y = 2;\n```\n\n"
        );
        let edit = Edit {
            find: "    let y = 2;\n".to_owned(),
            replace: "    let y = 3;\n    let z = 4;\n".to_owned(),
            ..edit
        };
        let at = match_position(text, &edit).unwrap();
        assert_eq!(
            diff_block(text, at, &edit),
            "```diff\n- let y = 2;\n+ let y = 3;\n+ let z = 4;\n```\n\n"
        );
    }

    #[test]
    fn prose_is_escaped_outside_code_spans() {
        assert_eq!(
            one_paragraph("fails with error[E0373]:\n  `v[0]` is\tVec<u8>, `Vec<u8>`"),
            "fails with error\\[E0373\\]: `v[0]` is Vec&lt;u8>, `Vec<u8>`"
        );
    }

    #[test]
    fn a_toml_error_names_the_mutant_it_is_in() {
        let text = "[[mutant]]\nname = \"a\"\n\n[[mutant]]\nname = 'b'\nwhy = 3\n";
        assert_eq!(
            mutant_name_at(text, text.find("why").unwrap()),
            Some("b".to_owned())
        );
        assert_eq!(mutant_name_at(text, 3), Some("a".to_owned()));
        assert_eq!(mutant_name_at("x = 1\n", 0), None);
    }
}
