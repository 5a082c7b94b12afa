//! The mutants files, `listings/mutants/chNN.toml`: reading them and checking each mutant against
//! the repository (its edits apply, the tests it names exist). `listings/mutants/README.md` has
//! the format.

use super::apply::{match_position, mutate};
use crate::Result;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

pub(super) const MUTANTS_DIR: &str = "listings/mutants";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Checker {
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

    pub(super) fn name(self) -> &'static str {
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
    pub(super) fn command(self, test: &str) -> String {
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
pub(super) struct Edit {
    pub(super) file: String,
    pub(super) find: String,
    pub(super) replace: String,
    /// Which match to replace (1-based), when `find` occurs several times on purpose.
    pub(super) occurrence: Option<usize>,
}

#[derive(Clone, Debug)]
pub(super) struct Mutant {
    pub(super) chapter: String,
    /// `listings/mutants/chNN.toml`
    pub(super) toml: String,
    pub(super) line: usize,
    pub(super) name: String,
    pub(super) claim: String,
    pub(super) edits: Vec<Edit>,
    pub(super) checker: Checker,
    pub(super) tests: Vec<String>,
    pub(super) why: String,
    pub(super) stress: Option<String>,
}

impl Mutant {
    /// What a chapter is split by when it runs on several workers: its checker and the file of
    /// its first edit (the mutants of one part share their unmutated checks).
    pub(super) fn unit_key(&self) -> (Checker, &str) {
        (self.checker, &self.edits[0].file)
    }
}

/// The chapters that have a mutants file, sorted (`ch01`, `ch06`, ...).
pub(super) fn chapters_with_mutants(root: &Path) -> Result<Vec<String>> {
    let dir = root.join(MUTANTS_DIR);
    let mut chapters = Vec::new();
    for entry in fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        let Some(stem) = name.strip_suffix(".toml") else {
            continue;
        };
        if is_chapter_name(stem) {
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
pub(super) fn chapter_number(chapter: &str) -> Option<u32> {
    let digits = chapter.strip_prefix("ch")?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Whether `name` is a chapter as files name it: `ch06`, never `ch6`.
pub(super) fn is_chapter_name(name: &str) -> bool {
    name.len() == 4 && chapter_number(name).is_some()
}

/// Reads and checks `listings/mutants/<chapter>.toml` against the files under `root`.
pub(super) fn load(root: &Path, chapter: &str) -> std::result::Result<Vec<Mutant>, Vec<String>> {
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
        Checker::Miri if test.ends_with("_sol") => check_exercise_solution(root, test),
        Checker::Miri | Checker::Compiler => bin(test),
        Checker::Book => check_book_test(root, test),
    }
}

/// The listing binary (`listings/src/bin/NAME.rs`) or exercise solution
/// (`exercises/solutions/NN_topic.rs`, binary `NN_topic_sol`) that a file is, and its package.
pub(super) fn binary_of(file: &str) -> Option<(&'static str, String)> {
    if let Some(bin) = file
        .strip_prefix("listings/src/bin/")
        .and_then(|f| f.strip_suffix(".rs"))
    {
        return Some(("listings", bin.to_owned()));
    }
    let topic = file
        .strip_prefix("exercises/solutions/")?
        .strip_suffix(".rs")?;
    (!topic.contains('/')).then(|| ("exercises", format!("{topic}_sol")))
}

/// The package a binary named by a `miri` or `compiler` mutant belongs to: an exercise's
/// solution (`NN_topic_sol`, as `.ci/miri.sh` tells them apart) or a listing.
pub(super) fn package_of(bin: &str) -> &'static str {
    if bin.ends_with("_sol") {
        "exercises"
    } else {
        "listings"
    }
}

/// Checks that `NN_topic_sol` is an exercise's solution: `exercises/solutions/NN_topic.rs`, a
/// binary of exercises/Cargo.toml.
fn check_exercise_solution(root: &Path, test: &str) -> Result {
    let topic = test.strip_suffix("_sol").unwrap_or(test);
    let file = format!("exercises/solutions/{topic}.rs");
    if !root.join(&file).is_file() {
        return Err(format!(
            "`{test}` is not an exercise's solution: there is no {file} (the miri checker takes a listing's name or `NN_topic_sol`)"
        ));
    }
    let manifest = "exercises/Cargo.toml";
    let text = fs::read_to_string(root.join(manifest)).map_err(|e| format!("{manifest}: {e}"))?;
    let bins: toml::Table = toml::from_str(&text).map_err(|e| format!("{manifest}: {e}"))?;
    let listed = bins
        .get("bin")
        .and_then(toml::Value::as_array)
        .is_some_and(|bins| {
            bins.iter()
                .any(|b| b.get("name").and_then(toml::Value::as_str) == Some(test))
        });
    if listed {
        Ok(())
    } else {
        Err(format!("`{test}`: {manifest} has no binary `{test}`"))
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
    Ok(book_includes::test_name(&edit.file, fence_line + 1) + suffix)
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
            book_includes::test_ident(&display) == ident
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

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
    fn miri_takes_a_listing_or_an_exercise_solution_that_is_a_binary() {
        let exercise = GOOD
            .replace(
                "listings/src/bin/ch99_demo.rs",
                "exercises/solutions/99_demo.rs",
            )
            .replace("\"test\"", "\"miri\"");
        let ok = exercise.replace("ch99::prints_the_total", "99_demo_sol");
        let mutants = parse(&fixture(), "ch99", "x.toml", &ok).unwrap();
        let edit = &mutants[0].edits[0].file;
        assert_eq!(
            binary_of(edit),
            Some(("exercises", "99_demo_sol".to_owned()))
        );
        assert_eq!(package_of(&mutants[0].tests[0]), "exercises");
        let listing = GOOD
            .replace("\"test\"", "\"miri\"")
            .replace("ch99::prints_the_total", "ch99_demo");
        let mutants = parse(&fixture(), "ch99", "x.toml", &listing).unwrap();
        assert_eq!(
            binary_of(&mutants[0].edits[0].file),
            Some(("listings", "ch99_demo".to_owned()))
        );
        assert_eq!(package_of(&mutants[0].tests[0]), "listings");
        let errors = errors_of(&exercise.replace("ch99::prints_the_total", "97_gone_sol"));
        assert!(
            errors.contains("there is no exercises/solutions/97_gone.rs"),
            "{errors}"
        );
        let errors = errors_of(&exercise.replace("ch99::prints_the_total", "98_unlisted_sol"));
        assert!(
            errors.contains("exercises/Cargo.toml has no binary `98_unlisted_sol`"),
            "{errors}"
        );
        // The compiler checker still takes listings only.
        let compiler = exercise
            .replace("\"miri\"", "\"compiler\"")
            .replace("ch99::prints_the_total", "99_demo_sol");
        assert!(errors_of(&compiler).contains("`99_demo_sol` is not a listing"));
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
