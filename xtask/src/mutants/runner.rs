//! Running one chapter's mutants in one slot: check that the unmutated tests pass, then per
//! mutant apply its edits, rebuild what they touch, run the tests it names, judge, restore.

use super::apply::Applied;
use super::output::{
    Outcome, compiler_errors, first_line_with, panic_summary, run_limited, shorten, test_outcome,
};
use super::scratch::{Slot, refresh};
use super::spec::{Checker, Mutant, binary_of, is_chapter_name, package_of};
use crate::Result;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long one test may run before it counts as hung (and so as failed).
pub(super) const TEST_LIMIT: Duration = Duration::from_secs(120);
/// A listing test's own limit for one run of a listing (`LISTING_TIME_LIMIT_SECS`, read by
/// listings/tests/listings/support.rs; 30 s there by default). The unmutated tests run with
/// this one, and must pass with it.
const LISTING_LIMIT: Duration = Duration::from_secs(10);
/// A mutant's tests get a shorter limit: `LISTING_FACTOR` times the longest time one of them took
/// unmutated (a whole test, so at least one listing run), but never less than `LISTING_FLOOR` nor
/// more than `LISTING_LIMIT`. A mutant that hangs a listing then costs seconds, not 10 s, while a
/// listing the mutant only slows down is still far from the limit.
const LISTING_FACTOR: u32 = 5;
const LISTING_FLOOR: Duration = Duration::from_secs(3);
/// `.ci/miri.sh --only BIN` runs a listing (or an exercise's tests) under Miri on several seeds:
/// slower by far.
const MIRI_LIMIT: Duration = Duration::from_secs(900);
/// Miri runs, unmutated and mutated, on the first this many of the binary's seeds (`--seeds`):
/// every Miri mutant is caught on them, and chapter 20's two unmutated runs, side by side, take
/// 5-9 s each instead of 23-30 s on all seeds. A bug that only a later seed finds shows as a missed mutant, never as a caught one;
/// `.ci/miri.sh` checks the unmutated binaries on all their seeds.
const MIRI_SEEDS: &str = "2";
/// Every cargo run in a slot compiles the listings package incrementally, in 256 codegen units
/// (the work tree's Cargo.toml says neither, for a faster cold build). A mutant recompiles one
/// chapter's test target, with that chapter's listings compiled in: `cargo xtask mutants ch18`
/// takes 22.8 s with these settings, 28.2 s with 16 units, and each mutant of chapter 17 twice as
/// long with Cargo.toml's. A slot's cold build of the listings takes 54 s instead of 30 s, once.
const SLOT_CONFIG: [&str; 2] = [
    "profile.dev.package.listings.incremental=true",
    "profile.dev.package.listings.codegen-units=256",
];

pub(super) enum Verdict {
    Caught(String),
    Missed(String),
    Error(String),
}

impl Verdict {
    pub(super) fn word(&self) -> &'static str {
        match self {
            Verdict::Caught(_) => "caught",
            Verdict::Missed(_) => "MISSED",
            Verdict::Error(_) => "ERROR",
        }
    }

    pub(super) fn detail(&self) -> &str {
        match self {
            Verdict::Caught(d) | Verdict::Missed(d) | Verdict::Error(d) => d,
        }
    }
}

/// What one chapter's run printed and counted.
pub(super) struct ChapterReport {
    pub(super) chapter: String,
    /// The result lines, one per mutant (and the lines of detail under it).
    pub(super) lines: Vec<String>,
    /// Caught, missed, errors.
    pub(super) counts: [usize; 3],
    pub(super) elapsed: Duration,
    /// The part of it spent checking the unmutated tests.
    pub(super) unmutated: Duration,
    /// What it measured for later runs' estimates: each mutant's time (`mutant_time_key`) and
    /// each unmutated test's or Miri run's (`unmutated_time_key`).
    pub(super) times: Vec<(String, Duration)>,
}

/// The tests that do not pass unmutated (by checker and name), and why.
type Broken = BTreeMap<(Checker, String), String>;

/// The key of a mutant's time in `times.txt`.
pub(super) fn mutant_time_key(mutant: &Mutant) -> String {
    format!("{}:{}", mutant.chapter, mutant.name)
}

/// The key of an unmutated test's time in `times.txt` (a Miri run's: the binary's). Tests run
/// together in one process (loom models, book blocks) each get their share of its time.
pub(super) fn unmutated_time_key(checker: Checker, test: &str) -> String {
    format!("unmutated {} {test}", checker.name())
}

/// A test executable that cargo builds: the listing tests, one loom model file, or the book.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Suite {
    Listings,
    Loom(String),
    Book,
}

impl Suite {
    /// The suite a test belongs to, and its name inside that executable.
    pub(super) fn of(checker: Checker, test: &str) -> Option<(Suite, String)> {
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

/// The test target `listings/tests/mutants_chNN.rs` for the scratch copy: only the
/// listing-test modules of the work tree at `root` that `group` needs (its chapter's, the
/// chapters its tests are in, the chapters those use through `super::chNN`, and every module of
/// `tests/listings/main.rs` that is not a chapter, such as `support`), so that a mutant rebuilds
/// one chapter's tests, not all of them. Returns the target's name and its file (path from the
/// root, text). The tests keep their names (`ch18::name`).
fn chapter_tests(root: &Path, group: &[Mutant]) -> Result<(String, (String, String))> {
    let dir = root.join("listings/tests/listings");
    let read = |file: &str| -> Result<String> {
        let path = dir.join(file);
        fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let mut modules: BTreeSet<String> = read("main.rs")?
        .lines()
        .filter_map(|line| line.trim().strip_prefix("mod ")?.strip_suffix(';'))
        .filter(|name| !is_chapter_name(name))
        .map(str::to_owned)
        .collect();
    // The chapter's own tests whether or not this group names them, so that every part of a
    // chapter writes the same target (a different one would cost a rebuild at each switch).
    let own = &group[0].chapter;
    let mut chapters: Vec<String> = group
        .iter()
        .filter(|m| m.checker == Checker::Test)
        .flat_map(|m| &m.tests)
        .filter_map(|test| Some(test.split_once("::")?.0.to_owned()))
        .chain(dir.join(format!("{own}.rs")).exists().then(|| own.clone()))
        .collect();
    while let Some(chapter) = chapters.pop() {
        if !modules.insert(chapter.clone()) {
            continue;
        }
        let text = read(&format!("{chapter}.rs"))?;
        for (at, _) in text.match_indices("super::ch") {
            if let Some(used) = text[at + "super::".len()..].get(..4)
                && is_chapter_name(used)
            {
                chapters.push(used.to_owned());
            }
        }
    }
    let name = format!("mutants_{}", group[0].chapter);
    let mut text = format!(
        "//! Written by `cargo xtask mutants` in its scratch copy: the listing tests {} needs,\n\
         //! without the other chapters', so that a mutant rebuilds one chapter's tests.\n\
         #![allow(dead_code, unused_imports, unused_macros)]\n",
        group[0].chapter
    );
    for module in &modules {
        text.push_str(&format!(
            "#[path = \"listings/{module}.rs\"]\nmod {module};\n"
        ));
    }
    let file = format!("listings/tests/{name}.rs");
    Ok((name, (file, text)))
}

/// The listing binaries a test file runs: `listing!("NAME")` and `env!("CARGO_BIN_EXE_NAME")`.
pub(super) fn binaries_run_by(tests: &str) -> BTreeSet<String> {
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
/// The time limits for one run of a test executable.
#[derive(Clone, Copy, Debug)]
struct Limits {
    /// For each listing a test runs (`LISTING_TIME_LIMIT_SECS`).
    listing: Duration,
    /// For the whole test.
    test: Duration,
}

/// Runs chapters in one slot (one worker's scratch copy and target directories).
pub(super) struct Runner {
    slot: Slot,
    /// Every slot of the run, to check that no executable runs another slot's files.
    others: Vec<Slot>,
    /// Each test run's output: `logs/chNN/NAME.N.txt`, `logs/chNN/baseline.TEST.txt`, in the
    /// slot's directory (two runs may check one chapter at once, each in its own slot).
    logs: PathBuf,
    /// The test executable each suite's last full build produced.
    built: RefCell<BTreeMap<Suite, PathBuf>>,
    /// The suites whose executable `build` has checked for other slots' paths.
    checked: RefCell<BTreeSet<Suite>>,
    /// How long each listing test (`chNN::name`) took unmutated, in this chapter's baseline.
    times: RefCell<BTreeMap<String, Duration>>,
    /// While a chapter runs, the test target its listing tests build from (see
    /// `chapter_tests`); before, `listings`, every chapter's.
    listings_target: RefCell<String>,
}

impl Runner {
    pub(super) fn new(slot: Slot, others: Vec<Slot>) -> Runner {
        Runner {
            logs: slot.dir.join("logs"),
            slot,
            others,
            built: RefCell::default(),
            checked: RefCell::default(),
            times: RefCell::default(),
            listings_target: RefCell::new("listings".to_owned()),
        }
    }

    /// Refreshes the slot's scratch copy from the work tree, checks the chapter's unmutated
    /// tests, and tries each mutant of `group` (one chapter's). The caller holds the slot's lock.
    pub(super) fn chapter(
        &self,
        root: &Path,
        group: &[Mutant],
        width: usize,
    ) -> Result<ChapterReport> {
        let started = Instant::now();
        let chapter = group[0].chapter.clone();
        let (target, file) = chapter_tests(root, group)?;
        let copied = refresh(root, &self.slot.work, &[file])?;
        *self.listings_target.borrow_mut() = target;
        eprintln!(
            "mutants: {chapter}: slot {}: scratch copy refreshed ({} file(s) updated); checking that the unmutated tests pass",
            self.slot.number, copied
        );
        let prepared = started.elapsed();
        let (broken, times) = self.baseline(group);
        let mut report = ChapterReport {
            chapter: chapter.clone(),
            lines: Vec::new(),
            counts: [0; 3],
            elapsed: Duration::ZERO,
            unmutated: started.elapsed() - prepared,
            times,
        };
        // Mutants of the same file one after the other: restoring a file costs a rebuild of
        // its binary, which the next mutant of that file makes anyway.
        let mut order: Vec<&Mutant> = group.iter().collect();
        order.sort_by_key(|m| &m.edits[0].file);
        for mutant in order {
            let mutant_started = Instant::now();
            let verdict = match mutant
                .tests
                .iter()
                .find_map(|t| broken.get(&(mutant.checker, t.clone())))
            {
                Some(why) => Verdict::Error(why.clone()),
                None => self.try_mutant(mutant),
            };
            report.counts[match verdict {
                Verdict::Caught(_) => 0,
                Verdict::Missed(_) => 1,
                Verdict::Error(_) => 2,
            }] += 1;
            let detail = verdict.detail();
            let (first, more) = detail.split_once('\n').unwrap_or((detail, ""));
            report.lines.push(format!(
                "{:<7} {chapter}  {:<width$}  ({}; {first})",
                verdict.word(),
                mutant.name,
                super::duration(mutant_started.elapsed())
            ));
            report
                .times
                .push((mutant_time_key(mutant), mutant_started.elapsed()));
            for line in more.lines().take(20) {
                report.lines.push(format!("            {line}"));
            }
        }
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Where the output of one run goes: `logs/<chapter>/<name>.txt`.
    fn log(&self, chapter: &str, name: &str) -> PathBuf {
        let dir = self.logs.join(chapter);
        let _ = fs::create_dir_all(&dir);
        dir.join(format!("{name}.txt"))
    }

    fn cargo(&self, target_dir: &Path) -> Command {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut command = Command::new(cargo);
        for setting in SLOT_CONFIG {
            command.args(["--config", setting]);
        }
        command
            .current_dir(&self.slot.work)
            .env("CARGO_TARGET_DIR", target_dir)
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
        command
    }

    /// Builds `suite` without running anything: what the slot needs before it is cloned.
    pub(super) fn prebuild(&self, suite: &Suite) -> std::result::Result<PathBuf, String> {
        self.build(suite)
    }

    /// Builds one listing with `cargo build`, as a mutant's rebuild does.
    pub(super) fn prebuild_bin(&self, bin: &str) -> std::result::Result<(), String> {
        self.build_bin(bin)
    }

    /// Builds a suite's tests; returns its executable, or the compiler's errors.
    fn build(&self, suite: &Suite) -> std::result::Result<PathBuf, String> {
        let target_dir = match suite {
            Suite::Loom(_) => &self.slot.loom,
            _ => &self.slot.target,
        };
        let target = match suite {
            Suite::Listings => self.listings_target.borrow().clone(),
            _ => suite.target().to_owned(),
        };
        let mut command = self.cargo(target_dir);
        command.args([
            "test",
            "--no-run",
            "--message-format=json-render-diagnostics",
            "-p",
            suite.package(),
            "--test",
            &target,
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
        let exe = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == *target)
            .filter(|m| m["profile"]["test"] == true)
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .ok_or_else(|| format!("cargo built no test executable for `--test {target}`"))?;
        // Once per suite and run: the executable must not run another slot's listings (see
        // `Slot::clone_from`). Later builds only recompile what a mutant changed.
        if self.checked.borrow_mut().insert(suite.clone())
            && let Some(path) = self.slot.foreign_paths(&exe, &self.others)
        {
            return Err(format!(
                "{} has {path} compiled in: it would test another scratch copy; delete {} and run again",
                exe.display(),
                self.slot.dir.display()
            ));
        }
        self.built.borrow_mut().insert(suite.clone(), exe.clone());
        Ok(exe)
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
        let test_dir = self.slot.work.join("listings/tests/listings");
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
        let mut command = self.cargo(&self.slot.target);
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

    /// Builds one listing binary, or an exercise's solution with its tests (what Miri runs);
    /// returns the compiler's errors if it does not compile.
    fn build_bin(&self, bin: &str) -> std::result::Result<(), String> {
        let package = package_of(bin);
        let build: &[&str] = match package {
            "exercises" => &["test", "--no-run"],
            _ => &["build"],
        };
        let output = self
            .cargo(&self.slot.target)
            .args(build)
            .args(["-p", package, "--bin", bin])
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(compiler_errors(&String::from_utf8_lossy(&output.stderr)))
        }
    }

    /// The limits for a mutant's tests, from how long they took unmutated (see `LISTING_FACTOR`).
    fn limits(&self, tests: &[String]) -> Limits {
        let times = self.times.borrow();
        let slowest = tests
            .iter()
            .map(|t| times.get(t).copied())
            .try_fold(Duration::ZERO, |max, t| t.map(|t| max.max(t)));
        match slowest {
            // Whole seconds, rounded up: `LISTING_TIME_LIMIT_SECS` takes an integer.
            Some(slowest) => {
                let listing = (slowest * LISTING_FACTOR).clamp(LISTING_FLOOR, LISTING_LIMIT);
                let listing =
                    Duration::from_secs(listing.as_secs() + u64::from(listing.subsec_nanos() > 0));
                Limits {
                    listing,
                    test: TEST_LIMIT,
                }
            }
            None => Limits {
                listing: LISTING_LIMIT,
                test: TEST_LIMIT,
            },
        }
    }

    /// `bash .ci/miri.sh --only BIN --seeds MIRI_SEEDS` in the scratch copy.
    fn run_miri(&self, bin: &str, log: &Path) -> Outcome {
        let script = self.slot.work.join(".ci").join("miri.sh");
        let has_options = fs::read_to_string(&script)
            .is_ok_and(|s| s.contains("--only") && s.contains("--seeds"));
        if !has_options {
            return Outcome::NotRun(".ci/miri.sh has no `--only BIN --seeds N` options".to_owned());
        }
        let mut command = Command::new("bash");
        command
            .current_dir(&self.slot.work)
            .env("CARGO_TARGET_DIR", &self.slot.miri)
            .args([".ci/miri.sh", "--only", bin, "--seeds", MIRI_SEEDS]);
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
    /// Each listing test runs on its own, so that its time sets its mutants' limits. Also
    /// returns the time each test took (see `unmutated_time_key`).
    fn baseline(&self, group: &[Mutant]) -> (Broken, Vec<(String, Duration)>) {
        let chapter = &group[0].chapter;
        let mut broken = BTreeMap::new();
        let mut suites: BTreeMap<Suite, Vec<(Checker, String, String)>> = BTreeMap::new();
        let mut bins: BTreeSet<(Checker, String)> = BTreeSet::new();
        let mut times = Vec::new();
        self.times.borrow_mut().clear();
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
        let limits = Limits {
            listing: LISTING_LIMIT,
            test: TEST_LIMIT,
        };
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
            // The listing tests one by one, timed; the others (loom models, book blocks) in
            // one process, as their time sets no limit.
            let runs: Vec<Vec<&(Checker, String, String)>> = match suite {
                Suite::Listings => tests.iter().map(|t| vec![t]).collect(),
                _ => vec![tests.iter().collect()],
            };
            for run in runs {
                let names: Vec<String> = run.iter().map(|(_, _, name)| name.clone()).collect();
                let log = match &run[..] {
                    [(_, test, _)] if *suite == Suite::Listings => {
                        self.log(chapter, &format!("baseline.{test}"))
                    }
                    _ => self.log(chapter, &format!("baseline.{}", suite.target())),
                };
                let started = Instant::now();
                let outcomes = run_tests(&self.slot, suite, &exe, &names, &log, limits);
                let elapsed = started.elapsed();
                for (checker, test, _) in &run {
                    let share = elapsed / run.len() as u32;
                    times.push((unmutated_time_key(*checker, test), share));
                }
                for ((checker, test, _), outcome) in run.iter().zip(outcomes) {
                    let problem = match outcome {
                        Outcome::Passed => {
                            if *suite == Suite::Listings {
                                self.times.borrow_mut().insert(test.clone(), elapsed);
                            }
                            continue;
                        }
                        Outcome::Failed(why) => format!(
                            "{test} fails without the mutant, so its failure would prove nothing: {why}\noutput: {}",
                            log.display()
                        ),
                        Outcome::NotRun(why) => format!("{test}: {why}"),
                    };
                    broken.insert((*checker, test.clone()), problem);
                }
            }
        }
        for (checker, bin) in bins {
            let problem = match (checker, self.build_bin(&bin)) {
                (_, Err(e)) => format!("the unmutated {bin} does not build:\n{e}"),
                (Checker::Miri, Ok(())) => {
                    let log = self.log(chapter, &format!("baseline.{bin}"));
                    let started = Instant::now();
                    let outcome = self.run_miri(&bin, &log);
                    times.push((unmutated_time_key(checker, &bin), started.elapsed()));
                    match outcome {
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
        (broken, times)
    }

    fn try_mutant(&self, mutant: &Mutant) -> Verdict {
        let applied = match Applied::apply(&self.slot.work, &mutant.edits) {
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
        // For the book and Miri, compile the listings and exercise solutions it edits first: a
        // block or a Miri run that fails to build would otherwise count as a failed test.
        if matches!(mutant.checker, Checker::Book | Checker::Miri) {
            for edit in &mutant.edits {
                if let Some((_, bin)) = binary_of(&edit.file)
                    && let Err(errors) = self.build_bin(&bin)
                {
                    return does_not_compile(errors);
                }
            }
        }
        let limits = self.limits(&mutant.tests);
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
                let mut runs = Vec::new();
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
                        let n = runs.len() + 1;
                        let log = self.log(&mutant.chapter, &format!("{}.{n}", mutant.name));
                        runs.push((*test, suite, exe.clone(), name, log));
                    }
                }
                // The named tests side by side, each in a process of its own: one that hangs
                // until its limit holds up no other, and each is judged by its own output (a
                // test that aborts its process says nothing about another test).
                let slot = &self.slot;
                let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
                    let running: Vec<_> = runs
                        .iter()
                        .map(|(_, suite, exe, name, log)| {
                            scope.spawn(move || {
                                let names = std::slice::from_ref(*name);
                                run_tests(slot, suite, exe, names, log, limits)
                            })
                        })
                        .collect();
                    running
                        .into_iter()
                        .map(|run| run.join().expect("running a test does not panic"))
                        .map(|outcomes| outcomes.into_iter().next().expect("one outcome"))
                        .collect()
                });
                for ((test, _, _, _, log), outcome) in runs.into_iter().zip(outcomes) {
                    logs.push(log);
                    results.push((test, outcome));
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

/// Runs the named tests of one executable of `slot`, each with `--exact`, all in one process.
fn run_tests(
    slot: &Slot,
    suite: &Suite,
    exe: &Path,
    names: &[String],
    log: &Path,
    limits: Limits,
) -> Vec<Outcome> {
    let package_dir = match suite {
        Suite::Book => slot.work.clone(),
        _ => slot.work.join("listings"),
    };
    let mut command = Command::new(exe);
    command
        .current_dir(&package_dir)
        .env("CARGO_MANIFEST_DIR", &package_dir)
        .env("RUST_BACKTRACE", "0")
        .env(
            "LISTING_TIME_LIMIT_SECS",
            limits.listing.as_secs().to_string(),
        )
        .arg("--exact")
        .args(names);
    let limit = limits.test * names.len().max(1) as u32;
    match run_limited(command, limit, log) {
        Err(e) => names.iter().map(|_| Outcome::NotRun(e.clone())).collect(),
        Ok(run) => {
            // `/…/target/mutants/target/debug/ch01_move` → `ch01_move`
            let mut output = run.output;
            for dir in [&slot.target, &slot.loom] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binaries_a_test_file_runs_are_found() {
        let tests = "let out = listing!(\"ch01_spawn_join\");\n\
                     let path = env!(\"CARGO_BIN_EXE_kv-server\");\n\
                     macro_rules! m { () => { listing!(\"ch01_move\") } }\n";
        let bins: Vec<String> = binaries_run_by(tests).into_iter().collect();
        assert_eq!(bins, ["ch01_move", "ch01_spawn_join", "kv-server"]);
    }

    #[test]
    fn a_chapters_test_target_has_its_chapter_what_it_uses_and_no_other_chapter() {
        let work = std::env::temp_dir().join(format!("mutants-chapter-{}", std::process::id()));
        let dir = work.join("listings/tests/listings");
        fs::create_dir_all(&dir).unwrap();
        let files = [
            (
                "main.rs",
                "//! All.\n\nmod support;\n\nmod ch01;\nmod ch28;\nmod ch29;\n",
            ),
            ("ch28.rs", "pub const LIMIT: u32 = 5;\n"),
            ("ch29.rs", "use super::ch28::LIMIT;\n#[test]\nfn t() {}\n"),
        ];
        for (file, text) in files {
            fs::write(dir.join(file), text).unwrap();
        }
        let mutant = Mutant {
            chapter: "ch29".to_owned(),
            toml: "listings/mutants/ch29.toml".to_owned(),
            line: 1,
            name: "m".to_owned(),
            claim: String::new(),
            edits: Vec::new(),
            checker: Checker::Test,
            tests: vec!["ch29::t".to_owned()],
            why: String::new(),
            stress: None,
        };
        let loom_only = Mutant {
            checker: Checker::Loom,
            tests: vec!["loom_server::t".to_owned()],
            ..mutant.clone()
        };
        let (name, (file, text)) = chapter_tests(&work, &[mutant]).unwrap();
        // A part of the chapter without its listing tests writes the same target.
        assert_eq!(chapter_tests(&work, &[loom_only]).unwrap().1.1, text);
        assert_eq!(name, "mutants_ch29");
        assert_eq!(file, "listings/tests/mutants_ch29.rs");
        let modules: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("mod ")?.strip_suffix(';'))
            .collect();
        assert_eq!(modules, ["ch28", "ch29", "support"]);
        assert!(text.contains("#[path = \"listings/ch28.rs\"]\nmod ch28;"));
        let _ = fs::remove_dir_all(&work);
    }
}
