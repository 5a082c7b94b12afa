//! `cargo xtask mutants`: prove that every test guarding a claim can fail.
//!
//! - `cargo xtask mutants [chNN | chNN:NAME ...] [--jobs N]`: apply each mutant of
//!   `listings/mutants/chNN.toml` (every chapter's when none is named) to a scratch copy of the
//!   repository, run the tests it names, and fail unless every one of them fails.
//!   `listings/mutants/README.md` has the format. `--jobs N` runs N chapters at a time (default:
//!   the number of CPUs, at most 2), each in its own scratch copy; fewer chapters than that are
//!   split into parts (one checker's mutants of one file each), so one chapter uses every
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
//! queue, the longest first (as long as the last run measured them), and each holds its slot's
//! lock for one at a time, so concurrent runs take turns instead of clobbering each other's
//! copy. A new slot is a copy of slot 1 once slot 1 is built: copying takes seconds, a build minutes.
//!
//! The unmutated tests of a chapter run first: a test that fails without its mutant proves
//! nothing. Then, per mutant: apply the edits, rebuild (cargo rebuilds only what changed), run
//! each named test on its own straight from the prebuilt test executable, restore the files.

mod apply;
mod output;
mod report;
mod runner;
mod scratch;
mod spec;

use crate::Result;
use runner::{ChapterReport, Runner, Suite};
use scratch::{Slot, refresh};
use spec::{MUTANTS_DIR, Mutant, chapter_number, chapters_with_mutants, load};
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
    // The units of work: whole chapters, or, when there are fewer chapters than workers, each
    // chapter's mutants of one checker and one file (each unit checks its own tests unmutated
    // first), so that `cargo xtask mutants ch18` uses every worker too. Chapter 20's two Miri
    // baselines, ~10 s each, then run on both workers while the quick mutants fill the gaps.
    let split = chapter_count < jobs;
    let mut chapters: Vec<Unit> = Vec::new();
    for group in groups {
        let chapter = group[0].chapter.clone();
        if !split {
            chapters.push(Unit {
                key: chapter.clone(),
                chapter,
                part: String::new(),
                share: 1.0,
                mutants: group.to_vec(),
            });
            continue;
        }
        let mut sorted = group.to_vec();
        sorted.sort_by(|a, b| a.unit_key().cmp(&b.unit_key()));
        for part in sorted.chunk_by(|a, b| a.unit_key() == b.unit_key()) {
            let (checker, file) = part[0].unit_key();
            let name = file.rsplit('/').next().unwrap_or(file);
            chapters.push(Unit {
                key: format!("{chapter} {} {file}", checker.name()),
                chapter: chapter.clone(),
                part: format!(" ({} mutants of {name})", checker.name()),
                share: part.len() as f64 / group.len() as f64,
                mutants: part.to_vec(),
            });
        }
    }
    let jobs = jobs.clamp(1, chapters.len().max(1));
    let slots: Vec<Slot> = (1..=jobs).map(|n| Slot::new(&dir, n)).collect();
    let split = match split {
        false => String::new(),
        true => format!(" in {} parts (by checker and file)", chapters.len()),
    };
    eprintln!(
        "mutants: {} mutant(s) in {} chapter(s){split}, {jobs} at a time",
        mutants.len(),
        chapter_count
    );
    prepare(root, &slots, mutants)?;

    // The longest chapters first, so that the last to end is a short one.
    let times_file = dir.join("chapter-times.txt");
    let times = read_times(&times_file);
    let mut queue: Vec<usize> = (0..chapters.len()).collect();
    queue.sort_by_key(|&i| {
        let unit = &chapters[i];
        // Unmeasured units: their share of the chapter's time, else a few seconds a mutant.
        let guess = Duration::from_secs(4 * unit.mutants.len() as u64);
        let measured = times
            .get(&unit.key)
            .copied()
            .or_else(|| times.get(&unit.chapter).map(|t| t.mul_f64(unit.share)));
        std::cmp::Reverse(measured.unwrap_or(guess))
    });
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
                        "mutants: {}{} took {}",
                        report.chapter,
                        chapters[index].part,
                        duration(report.elapsed)
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
    // Read again: another run may have written its chapters' times since.
    // A chapter's time and counts are its parts' together.
    let mut by_chapter: BTreeMap<&str, (Duration, [usize; 3])> = BTreeMap::new();
    for report in reports.values() {
        let (time, counts) = by_chapter.entry(&report.chapter).or_default();
        *time += report.elapsed;
        for (count, add) in counts.iter_mut().zip(report.counts) {
            *count += add;
        }
    }
    let mut times = read_times(&times_file);
    for (chapter, (time, _)) in &by_chapter {
        times.insert(chapter.to_string(), *time);
    }
    for (index, report) in &reports {
        times.insert(chapters[*index].key.clone(), report.elapsed);
    }
    write_times(&times_file, &times);
    if let Some(e) = failure {
        return Err(e);
    }

    println!();
    let mut totals = [0; 3];
    for (chapter, (_, counts)) in &by_chapter {
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
    /// Its line in `chapter-times.txt`: `ch20`, or `ch20 miri listings/src/bin/ch20_epoch_stack.rs`
    /// for a part.
    key: String,
    /// ` (miri mutants of ch20_epoch_stack.rs)`, or nothing for a whole chapter.
    part: String,
    /// Its share of the chapter's mutants, to estimate its time from the chapter's.
    share: f64,
    mutants: Vec<Mutant>,
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
    let copied = refresh(root, &first.work, &[])?.written;
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

/// `KEY SECONDS` lines: how long each chapter (or part of one, see `Unit::key`) took the last
/// time it ran.
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
    fn chapter_times_survive_a_round_trip() {
        let path = std::env::temp_dir().join(format!("mutants-times-{}", std::process::id()));
        let times = BTreeMap::from([
            ("ch06".to_owned(), Duration::from_millis(61_500)),
            ("ch21".to_owned(), Duration::from_secs(9)),
            (
                "ch20 miri listings/src/bin/ch20_epoch_stack.rs".to_owned(),
                Duration::from_millis(12_300),
            ),
        ]);
        write_times(&path, &times);
        assert_eq!(read_times(&path), times);
        let _ = fs::remove_file(&path);
        assert!(read_times(&path).is_empty());
    }
}
