//! `cargo xtask mutants`: prove that every test guarding a claim can fail.
//!
//! - `cargo xtask mutants [chNN | chNN:NAME ...] [--jobs N]`: apply each mutant of
//!   `listings/mutants/chNN.toml` (every chapter's when none is named) to a scratch copy of the
//!   repository, run the tests it names, and fail unless every one of them fails.
//!   `listings/mutants/README.md` has the format. `--jobs N` runs N chapters at a time (default:
//!   the number of CPUs, at most 2), each in its own scratch copy; fewer chapters than that are
//!   split into parts of about equal estimated time (see `split`), so one chapter uses every
//!   worker too.
//! - `--list`: check and print the mutants (chapter, name, checker, tests, claim); run nothing.
//! - `--report [--check]`: write (or check) `src/verification.md`, the book's page of mutants.
//!
//! The modules: `spec` reads and checks the mutants files, `apply` plants a mutant's edits,
//! `scratch` keeps the scratch copies (*slots*) and their locks, `runner` runs one chapter in one
//! slot (baseline, build, run, judge), `output` reads what tests and compilers print, `report`
//! writes the book's page.
//!
//! A slot's scratch copy is refreshed from the work tree before each chapter, writing only files
//! whose content differs so cargo's fingerprints stay valid, and it keeps its target directories
//! between runs, so the dependencies build once. Workers take chapters (or parts of one) from a
//! queue, the longest first (as `estimate` reckons from the last runs), and each holds its slot's
//! lock for one at a time, so concurrent runs take turns instead of clobbering each other's
//! copy. A new slot is a copy of slot 1 once slot 1 is built: copying takes seconds, a build minutes.
//!
//! The unmutated tests of a chapter run first: a test that fails without its mutant proves
//! nothing. Then, per mutant: apply the edits, rebuild (cargo rebuilds only what changed), run
//! each named test in a process of its own (side by side) straight from the prebuilt test
//! executable, restore the files.

mod apply;
mod output;
mod report;
mod runner;
mod scratch;
mod spec;

use crate::Result;
use runner::{ChapterReport, Runner, Suite};
use scratch::{Slot, refresh};
use spec::{Checker, MUTANTS_DIR, Mutant, chapter_number, chapters_with_mutants, load};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

/// `--jobs` by default: one worker per CPU, at most this many (each slot costs GBs of disk, and
/// on 2 CPUs a third worker only waits for the other two's builds).
const DEFAULT_JOBS: usize = 2;

struct Options {
    list: bool,
    report: bool,
    check: bool,
    /// `--jobs N`: how many chapters run at a time.
    jobs: Option<usize>,
    /// `(chapter, Some(mutant name))` for `chNN:NAME`.
    select: Vec<(String, Option<String>)>,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        list: false,
        report: false,
        check: false,
        jobs: None,
        select: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--list" => options.list = true,
            "--report" => options.report = true,
            "--check" => options.check = true,
            "--jobs" => {
                let n = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n >= 1)
                    .ok_or("`--jobs` takes a number of workers, 1 or more: `--jobs 2`")?;
                options.jobs = Some(n);
            }
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
    if options.report && (options.list || options.jobs.is_some() || !options.select.is_empty()) {
        return Err(
            "`--report` covers every chapter: it takes no chapter, no `--list` and no `--jobs`"
                .to_owned(),
        );
    }
    Ok(options)
}

pub fn run(root: &Path, args: &[String]) -> Result {
    let options = parse_args(args)?;
    if options.report {
        return report::report(root, options.check);
    }
    let mutants = select(root, &options.select)?;
    if options.list {
        list(&mutants);
        return Ok(());
    }
    let jobs = options.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(DEFAULT_JOBS))
    });
    execute(root, &mutants, jobs)
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

/// Runs the mutants, `jobs` chapters at a time, and prints each chapter's results as it ends.
fn execute(root: &Path, mutants: &[Mutant], jobs: usize) -> Result {
    let started = Instant::now();
    let dir = root.join("target").join("mutants");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let groups: Vec<&[Mutant]> = mutants.chunk_by(|a, b| a.chapter == b.chapter).collect();
    let chapter_count = groups.len();
    let times_file = dir.join("times.txt");
    let times = read_times(&times_file);
    // The units of work: whole chapters, or, when there are fewer chapters than workers, each
    // chapter in as many parts of about the same estimated time (see `split`), so that
    // `cargo xtask mutants ch18` uses every worker too.
    let parts = jobs.div_ceil(chapter_count.max(1));
    let mut chapters: Vec<Unit> = Vec::new();
    for group in groups {
        let pieces = split(group, parts, &times);
        let count = pieces.len();
        for (index, mutants) in pieces.into_iter().enumerate() {
            chapters.push(Unit {
                chapter: group[0].chapter.clone(),
                part: match count {
                    1 => String::new(),
                    n => format!(" (part {} of {n})", index + 1),
                },
                estimate: estimate(&mutants, &times),
                mutants,
            });
        }
    }
    let jobs = jobs.clamp(1, chapters.len().max(1));
    let slots: Vec<Slot> = (1..=jobs).map(|n| Slot::new(&dir, n)).collect();
    let in_parts = match parts {
        1 => String::new(),
        n => format!(", each in up to {n} parts"),
    };
    eprintln!(
        "mutants: {} mutant(s) in {} chapter(s){in_parts}, {jobs} at a time",
        mutants.len(),
        chapter_count
    );
    prepare(root, &slots, mutants)?;

    // The longest first, so that the last to end is a short one.
    let mut queue: Vec<usize> = (0..chapters.len()).collect();
    queue.sort_by_key(|&i| std::cmp::Reverse(chapters[i].estimate));
    queue.reverse(); // popped from the end
    let queue = Mutex::new(queue);

    let width = mutants.iter().map(|m| m.name.len()).max().unwrap_or(0);
    let mut reports: BTreeMap<usize, ChapterReport> = BTreeMap::new();
    let mut failure = None;
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel::<(usize, Result<ChapterReport>)>();
        for slot in &slots {
            let sender = sender.clone();
            let queue = &queue;
            let chapters = &chapters;
            let runner = Runner::new(slot.clone(), slots.clone());
            scope.spawn(move || {
                loop {
                    let Some(index) = queue.lock().expect("no worker panics").pop() else {
                        break;
                    };
                    // One chapter at a time holds the slot's lock, so a run of one chapter
                    // waits for a chapter of a long run, not for all of it.
                    std::thread::sleep(Duration::from_millis(300)); // a waiting run's chance
                    let result = slot
                        .lock()
                        .and_then(|_lock| runner.chapter(root, &chapters[index].mutants, width));
                    let failed = result.is_err();
                    if sender.send((index, result)).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(sender);
        for (index, result) in receiver {
            match result {
                Ok(report) => {
                    for line in &report.lines {
                        println!("{line}");
                    }
                    eprintln!(
                        "mutants: {}{} took {} ({} of it checking the unmutated tests)",
                        report.chapter,
                        chapters[index].part,
                        duration(report.elapsed),
                        duration(report.unmutated)
                    );
                    reports.insert(index, report);
                }
                Err(e) => {
                    // The other workers finish their chapter; the queue is emptied.
                    queue.lock().expect("no worker panics").clear();
                    failure.get_or_insert(format!("{}: {e}", chapters[index].chapter));
                }
            }
        }
    });
    // A chapter's counts are its parts' together.
    let mut by_chapter: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for report in reports.values() {
        let counts = by_chapter.entry(&report.chapter).or_default();
        for (count, add) in counts.iter_mut().zip(report.counts) {
            *count += add;
        }
    }
    // Read again: another run may have written its times since.
    let mut times = read_times(&times_file);
    times.extend(reports.values().flat_map(|r| r.times.iter().cloned()));
    write_times(&times_file, &times);
    if let Some(e) = failure {
        return Err(e);
    }

    println!();
    let mut totals = [0; 3];
    for (chapter, counts) in &by_chapter {
        println!(
            "{chapter}: {} caught, {} missed, {} error(s)",
            counts[0], counts[1], counts[2]
        );
        for (total, count) in totals.iter_mut().zip(counts) {
            *total += count;
        }
    }
    println!(
        "mutants: {} caught, {} missed, {} error(s) in {} ({jobs} at a time)",
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

/// A unit of work for one worker: a chapter's mutants, or a part of them.
struct Unit {
    chapter: String,
    /// ` (part 1 of 2)`, or nothing for a whole chapter.
    part: String,
    /// How long it should take (see `estimate`).
    estimate: Duration,
    mutants: Vec<Mutant>,
}

/// A mutant's time when no run has measured it yet: a guess by checker.
fn guess(checker: Checker) -> Duration {
    Duration::from_secs(match checker {
        Checker::Compiler => 1,
        Checker::Test | Checker::Loom => 3,
        Checker::Book | Checker::Miri => 5,
    })
}

/// An unmutated test's time when no run has measured it yet: Miri runs take seconds (chapter
/// 20's ~5-10 s), the others a fraction of one.
fn guess_unmutated(checker: Checker) -> Duration {
    match checker {
        Checker::Miri => Duration::from_secs(10),
        _ => Duration::from_millis(500),
    }
}

/// What a unit costs besides its mutants and its unmutated tests: refreshing its slot and
/// building the unmutated tests (1-2 s).
const UNIT_OVERHEAD: Duration = Duration::from_secs(2);

/// How long `mutants` should take in one unit, from the last times measured (`times.txt`): each
/// mutant's, each test's unmutated run (once, however many mutants name it), and the overhead.
fn estimate(mutants: &[Mutant], times: &BTreeMap<String, Duration>) -> Duration {
    let mut unmutated = BTreeSet::new();
    let mut total = UNIT_OVERHEAD;
    for m in mutants {
        total += times
            .get(&runner::mutant_time_key(m))
            .copied()
            .unwrap_or_else(|| guess(m.checker));
        if m.checker != Checker::Compiler {
            unmutated.extend(m.tests.iter().map(|t| (m.checker, t)));
        }
    }
    for (checker, test) in unmutated {
        total += times
            .get(&runner::unmutated_time_key(checker, test))
            .copied()
            .unwrap_or_else(|| guess_unmutated(checker));
    }
    total
}

/// Splits one chapter's mutants into at most `parts` parts of about the same estimated time.
/// The mutants of one checker and one file stay together (they share their unmutated checks:
/// a part costs a build of the unmutated tests, and Miri's unmutated runs take seconds); the
/// groups go, longest first, to the part with the least time so far.
fn split(chapter: &[Mutant], parts: usize, times: &BTreeMap<String, Duration>) -> Vec<Vec<Mutant>> {
    let mut sorted = chapter.to_vec();
    sorted.sort_by(|a, b| a.unit_key().cmp(&b.unit_key()));
    let mut groups: Vec<&[Mutant]> = sorted
        .chunk_by(|a, b| a.unit_key() == b.unit_key())
        .collect();
    groups.sort_by_key(|g| std::cmp::Reverse(estimate(g, times)));
    let mut split: Vec<(Duration, Vec<Mutant>)> = vec![(Duration::ZERO, Vec::new()); parts.max(1)];
    for group in groups {
        let lightest = split
            .iter_mut()
            .min_by_key(|(time, _)| *time)
            .expect("at least one part");
        lightest.0 += estimate(group, times);
        lightest.1.extend_from_slice(group);
    }
    split
        .into_iter()
        .map(|(_, mutants)| mutants)
        .filter(|mutants| !mutants.is_empty())
        .collect()
}

/// Makes every slot but the first a copy of the first when it does not exist yet: builds slot 1
/// (the suites these mutants need), then copies it, instead of building each slot from scratch.
fn prepare(root: &Path, slots: &[Slot], mutants: &[Mutant]) -> Result {
    let [first, rest @ ..] = slots else {
        return Ok(());
    };
    if rest.iter().all(Slot::exists) {
        return Ok(());
    }
    let started = Instant::now();
    let first_lock = first.lock()?;
    let copied = refresh(root, &first.work, &[])?;
    eprintln!(
        "mutants: building slot 1 ({copied} file(s) refreshed) to copy it to {} more",
        rest.iter().filter(|s| !s.exists()).count()
    );
    let suites: BTreeSet<Suite> = mutants
        .iter()
        .flat_map(|m| m.tests.iter().filter_map(|t| Suite::of(m.checker, t)))
        .map(|(suite, _)| suite)
        .chain([Suite::Listings])
        .collect();
    let runner = Runner::new(first.clone(), slots.to_vec());
    for suite in &suites {
        // A suite that does not build is reported by the chapters that need it.
        let _ = runner.prebuild(suite);
    }
    // A mutant rebuilds its listings with `cargo build`, which resolves the dependencies'
    // features without the dev-dependencies: a second build of them, which the copies share.
    if let Some(bin) = mutants.iter().flat_map(|m| &m.edits).find_map(|e| {
        let bin = e
            .file
            .strip_prefix("listings/src/bin/")?
            .strip_suffix(".rs")?;
        (!bin.contains('/')).then_some(bin)
    }) {
        let _ = runner.prebuild_bin(bin);
    }
    for slot in rest {
        let _lock = slot.lock()?;
        if !slot.exists() {
            let copy_started = Instant::now();
            slot.clone_from(first)?;
            eprintln!(
                "mutants: slot {} copied from slot 1 in {}",
                slot.number,
                duration(copy_started.elapsed())
            );
        }
    }
    drop(first_lock);
    eprintln!("mutants: slots ready in {}", duration(started.elapsed()));
    Ok(())
}

/// `KEY SECONDS` lines: how long each mutant (`ch06:NAME`) and each unmutated test
/// (`unmutated miri BIN`, `unmutated test ch06::NAME`) took the last time it ran.
fn read_times(path: &Path) -> BTreeMap<String, Duration> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let (chapter, secs) = line.rsplit_once(' ')?;
            Some((
                chapter.to_owned(),
                Duration::from_secs_f64(secs.trim().parse().ok()?),
            ))
        })
        .collect()
}

fn write_times(path: &Path, times: &BTreeMap<String, Duration>) {
    let text: String = times
        .iter()
        .map(|(chapter, time)| format!("{chapter} {:.1}\n", time.as_secs_f64()))
        .collect();
    let _ = fs::write(path, text);
}

fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(args(&["--jobs", "3", "ch01"]).unwrap().jobs, Some(3));
        assert!(args(&["--jobs"]).is_err());
        assert!(args(&["--jobs", "0"]).is_err());
        assert!(args(&["--jobs", "two"]).is_err());
        assert!(args(&["--report", "--jobs", "2"]).is_err());
    }

    #[test]
    fn times_survive_a_round_trip() {
        let path = std::env::temp_dir().join(format!("mutants-times-{}", std::process::id()));
        let times = BTreeMap::from([
            (
                "ch06:publish-with-relaxed".to_owned(),
                Duration::from_millis(1_500),
            ),
            (
                "miri ch20_epoch_stack".to_owned(),
                Duration::from_millis(12_300),
            ),
        ]);
        write_times(&path, &times);
        assert_eq!(read_times(&path), times);
        let _ = fs::remove_file(&path);
        assert!(read_times(&path).is_empty());
    }

    fn mutant(name: &str, checker: Checker, file: &str, tests: &[&str]) -> Mutant {
        Mutant {
            chapter: "ch20".to_owned(),
            toml: "listings/mutants/ch20.toml".to_owned(),
            line: 1,
            name: name.to_owned(),
            claim: String::new(),
            edits: vec![spec::Edit {
                file: file.to_owned(),
                find: String::new(),
                replace: String::new(),
                occurrence: None,
            }],
            checker,
            tests: tests.iter().map(|t| t.to_string()).collect(),
            why: String::new(),
            stress: None,
        }
    }

    #[test]
    fn a_chapter_splits_into_parts_of_about_equal_time_keeping_a_file_s_mutants_together() {
        let (stack, solution) = ("listings/src/bin/stack.rs", "exercises/sol.rs");
        let chapter = [
            mutant("a", Checker::Test, stack, &["ch20::t"]),
            mutant("b", Checker::Miri, stack, &["stack"]),
            mutant("c", Checker::Miri, stack, &["stack"]),
            mutant("d", Checker::Test, stack, &["ch20::t"]),
            mutant("e", Checker::Miri, solution, &["sol"]),
            mutant("f", Checker::Loom, "listings/tests/loom.rs", &["loom::m"]),
        ];
        let secs = |s| Duration::from_secs(s);
        let mut times = BTreeMap::from([
            ("unmutated miri stack".to_owned(), secs(10)),
            ("unmutated miri sol".to_owned(), secs(10)),
        ]);
        let names = |parts: &[Vec<Mutant>]| -> Vec<String> {
            parts
                .iter()
                .map(|p| p.iter().map(|m| m.name.as_str()).collect())
                .collect()
        };
        // Each slow Miri part gets a worker of its own; the quick ones fill the gaps.
        assert_eq!(names(&split(&chapter, 2, &times)), ["bcf", "ead"]);
        // One part: everything. More parts than groups: one group each, no empty part.
        assert_eq!(names(&split(&chapter, 1, &times)), ["bceadf"]);
        assert_eq!(split(&chapter, 8, &times).len(), 4);
        // Measured times win over guesses: a slow loom model now goes alone.
        times.insert("ch20:f".to_owned(), secs(60));
        assert_eq!(names(&split(&chapter, 2, &times)), ["f", "bcead"]);
    }
}
