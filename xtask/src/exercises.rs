//! `cargo xtask exercises [--check]`: the book's Rustlings exercise set, `exercises/`.
//!
//! Each exercise has one source, its solution `exercises/solutions/NAME.rs`. The starter the
//! reader edits, `exercises/exercises/NAME.rs`, is generated from it: every region between
//! `// ANCHOR: todo` and `// ANCHOR_END: todo` becomes the region's leading comment lines (the
//! instructions, the first one marked `TODO:`) followed by `todo!()`; a `// ANCHOR: hide` region
//! becomes its instructions alone (for imports only the solution uses). `// ANCHOR: todo("fmt",
//! args)` gives the `todo!` its message. The markers are anchor lines, so mdBook drops them from
//! every excerpt of the solution the chapter shows.
//!
//! Without flags the starters are rewritten. `--check` instead fails when a committed starter is
//! stale or a marker is unbalanced (naming the file and line), then grades the set in a scratch
//! crate, `target/exercises/`, with one target directory for every build: each starter must fail
//! its own tests at a `todo!()`, each solution must pass them, and each wrong solution in
//! `exercises/wrong/NAME.toml` (a search and replace on the solution) must fail them with output
//! that contains its `expect` text, the chapter section the tests point the reader to.

use crate::Result;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SET: &str = "exercises";
/// How long one test executable may run; the exercises' own watchdogs fire after 5 s.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// `only`: exercise names or their number prefixes (`01`, `17_async_io`); empty for all.
pub fn run(root: &Path, check: bool, only: &[String]) -> Result {
    let set = root.join(SET);
    let mut names = exercise_names(&set)?;
    if let Some(unknown) = only.iter().find(|o| {
        !names
            .iter()
            .any(|n| n == *o || n.starts_with(&format!("{o}_")))
    }) {
        return Err(format!(
            "no exercise `{unknown}` in {SET}/info.toml (the exercises: {})",
            names.join(", ")
        ));
    }
    if !only.is_empty() {
        names.retain(|n| {
            only.iter()
                .any(|o| n == o || n.starts_with(&format!("{o}_")))
        });
    }
    let mut stale = Vec::new();
    let mut starters = BTreeMap::new();
    for name in &names {
        let solution_path = set.join("solutions").join(format!("{name}.rs"));
        let display = format!("{SET}/solutions/{name}.rs");
        let solution = fs::read_to_string(&solution_path)
            .map_err(|e| format!("{display}: {e} (every exercise in info.toml needs one)"))?;
        let starter = rustfmt(root, &starter(&solution, &display)?)?;
        let starter_path = set.join("exercises").join(format!("{name}.rs"));
        if fs::read_to_string(&starter_path).ok().as_deref() != Some(&starter) {
            if check {
                stale.push(format!("{SET}/exercises/{name}.rs"));
            } else {
                fs::write(&starter_path, &starter)
                    .map_err(|e| format!("{}: {e}", starter_path.display()))?;
                println!("wrote {SET}/exercises/{name}.rs");
            }
        }
        starters.insert(name.clone(), (solution, starter));
    }
    if !stale.is_empty() {
        return Err(format!(
            "stale starters (generated from their solutions; run `cargo xtask exercises`): {}",
            stale.join(", ")
        ));
    }
    if !check {
        println!("{} starters up to date", names.len());
        return Ok(());
    }
    println!("{} starters match their solutions", names.len());
    grade(root, &starters)
}

// ---------------------------------------------------------------------------------------------
// The starter: the solution with its regions replaced

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Todo,
    Hide,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Todo => "todo",
            Kind::Hide => "hide",
        }
    }
}

/// A region marker on `line`: `Some(Ok((kind, is_start, todo_args)))`, `None` when the line is
/// not one, an error for a malformed one.
fn marker(line: &str) -> Option<std::result::Result<(Kind, bool, String), String>> {
    let text = line.trim();
    let (rest, start) = if let Some(rest) = text.strip_prefix("// ANCHOR: ") {
        (rest, true)
    } else if let Some(rest) = text.strip_prefix("// ANCHOR_END: ") {
        (rest, false)
    } else {
        return None;
    };
    let (kind, args) = if let Some(args) = rest.strip_prefix("todo") {
        (Kind::Todo, args)
    } else if let Some(args) = rest.strip_prefix("hide") {
        (Kind::Hide, args)
    } else {
        return None; // another anchor, such as the chapter's `exercise`
    };
    Some(match (kind, start, args) {
        (_, _, "") => Ok((kind, start, String::new())),
        (Kind::Todo, true, args) if args.starts_with('(') && args.ends_with(')') => {
            Ok((kind, start, args[1..args.len() - 1].to_owned()))
        }
        // `todox`, `hide(..)`, an end marker with arguments: a typo, not another anchor.
        _ => Err(format!(
            "malformed marker `{text}` (expected `// ANCHOR: todo`, `// ANCHOR: todo(\"message\", \
             args)`, `// ANCHOR: hide` or the matching `// ANCHOR_END:`)"
        )),
    })
}

/// The starter generated from `solution` (not yet formatted); `display` names it in errors.
fn starter(solution: &str, display: &str) -> Result<String> {
    let mut out = String::with_capacity(solution.len());
    // The open region: its kind, the line it opened on, the `todo!` arguments and indentation,
    // whether its leading comment lines (the instructions) are still being read, and whether
    // one has been read (the first one says TODO).
    let mut open: Option<(Kind, usize, String, String, bool, bool)> = None;
    let mut regions = 0;
    let mut instructions = 0;
    for (i, line) in solution.lines().enumerate() {
        let at = format!("{display}:{}", i + 1);
        match marker(line) {
            Some(Err(e)) => return Err(format!("{at}: {e}")),
            Some(Ok((kind, true, args))) => {
                if let Some((open_kind, opened, ..)) = &open {
                    return Err(format!(
                        "{at}: `ANCHOR: {}` inside the `{}` region opened at line {opened}; \
                         close that one first with `// ANCHOR_END: {}`",
                        kind.name(),
                        open_kind.name(),
                        open_kind.name()
                    ));
                }
                let indent = &line[..line.len() - line.trim_start().len()];
                open = Some((kind, i + 1, args, indent.to_owned(), true, false));
            }
            Some(Ok((kind, false, _))) => {
                let Some((open_kind, opened, args, indent, _, instructed)) = open.take() else {
                    return Err(format!(
                        "{at}: `ANCHOR_END: {}` with no region open",
                        kind.name()
                    ));
                };
                if open_kind != kind {
                    return Err(format!(
                        "{at}: `ANCHOR_END: {}` closes the `{}` region opened at line {opened}",
                        kind.name(),
                        open_kind.name()
                    ));
                }
                if !instructed {
                    return Err(format!(
                        "{display}:{opened}: the `{}` region opened here starts with no comment \
                         line: its first lines tell the reader what to do",
                        kind.name()
                    ));
                }
                if kind == Kind::Todo {
                    out.push_str(&format!("{indent}todo!({args})\n"));
                }
                regions += 1;
            }
            None => match &mut open {
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
                Some((.., leading, instructed))
                    if *leading && line.trim_start().starts_with("//") =>
                {
                    // An instruction: kept, and the region's first one says TODO.
                    if !*instructed && !line.contains("TODO") {
                        let at = line.find("//").expect("starts with //") + 2;
                        let rest = line[at..].strip_prefix(' ').unwrap_or(&line[at..]);
                        out.push_str(&format!("{}// TODO: {rest}\n", &line[..at - 2]));
                    } else {
                        out.push_str(line);
                        out.push('\n');
                    }
                    *instructed = true;
                    instructions += 1;
                }
                Some((.., leading, _)) => *leading = false, // the solution's code: dropped
            },
        }
    }
    if let Some((kind, opened, ..)) = open {
        return Err(format!(
            "{display}:{opened}: the `{}` region opened here has no `// ANCHOR_END: {}`",
            kind.name(),
            kind.name()
        ));
    }
    if regions == 0 || instructions == 0 {
        return Err(format!(
            "{display}: no `// ANCHOR: todo` region with instructions: the starter would be the \
             solution (a region starts with the comment lines that tell the reader what to do)"
        ));
    }
    Ok(out)
}

/// `text` formatted as `cargo fmt` formats the exercise set (the repository's rustfmt.toml).
fn rustfmt(root: &Path, text: &str) -> Result<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--config-path"])
        .arg(root.join("rustfmt.toml"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(text.as_bytes())
        .map_err(|e| format!("cannot write to rustfmt: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected a generated starter:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The set: info.toml, the wrong solutions

#[derive(Deserialize)]
struct Info {
    exercises: Vec<InfoExercise>,
}

#[derive(Deserialize)]
struct InfoExercise {
    name: String,
    dir: Option<String>,
}

fn exercise_names(set: &Path) -> Result<Vec<String>> {
    let path = set.join("info.toml");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let info: Info = toml::from_str(&text).map_err(|e| format!("{SET}/info.toml: {e}"))?;
    info.exercises
        .into_iter()
        .map(|e| match e.dir {
            None => Ok(e.name),
            Some(dir) => Err(format!(
                "{SET}/info.toml: exercise `{}` has `dir = \"{dir}\"`; this set keeps every \
                 exercise at the top of exercises/ and solutions/",
                e.name
            )),
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrongFile {
    wrong: Vec<Wrong>,
}

/// A plausible wrong solution: the solution with `find` replaced by `replace`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrong {
    name: String,
    /// The mistake, as the chapter describes it.
    mistake: String,
    find: String,
    replace: String,
    /// Text the failing tests' output must contain: the section they send the reader to.
    expect: String,
}

fn wrong_solutions(root: &Path, name: &str, solution: &str) -> Result<Vec<(Wrong, String)>> {
    let display = format!("{SET}/wrong/{name}.toml");
    let text = fs::read_to_string(root.join(&display))
        .map_err(|e| format!("{display}: {e} (every exercise keeps its wrong solutions there)"))?;
    let file: WrongFile = toml::from_str(&text).map_err(|e| format!("{display}: {e}"))?;
    if file.wrong.len() < 2 {
        return Err(format!(
            "{display}: {} wrong solution(s); keep at least two of the mistakes the chapter warns \
             about",
            file.wrong.len()
        ));
    }
    let mut out = Vec::new();
    for wrong in file.wrong {
        let matches = solution.matches(&wrong.find).count();
        if matches != 1 {
            return Err(format!(
                "{display}: wrong solution `{}`: `find` occurs {matches} times in \
                 {SET}/solutions/{name}.rs (it must occur exactly once)",
                wrong.name
            ));
        }
        if wrong.mistake.trim().is_empty() || wrong.expect.trim().is_empty() {
            return Err(format!(
                "{display}: wrong solution `{}` needs a `mistake` and an `expect`",
                wrong.name
            ));
        }
        let text = solution.replacen(&wrong.find, &wrong.replace, 1);
        out.push((wrong, text));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Grading, in a scratch crate

/// One program the scratch crate builds: a starter, a solution or a wrong solution.
struct Variant {
    exercise: String,
    /// The scratch crate's binary.
    bin: String,
    what: Role,
    source: String,
}

enum Role {
    Starter,
    Solution,
    Wrong { name: String, expect: String },
}

fn grade(root: &Path, starters: &BTreeMap<String, (String, String)>) -> Result {
    let mut variants = Vec::new();
    for (name, (solution, starter)) in starters {
        let bin = name.replace('-', "_");
        variants.push(Variant {
            exercise: name.clone(),
            bin: format!("e{bin}_starter"),
            what: Role::Starter,
            source: starter.clone(),
        });
        variants.push(Variant {
            exercise: name.clone(),
            bin: format!("e{bin}_solution"),
            what: Role::Solution,
            source: solution.clone(),
        });
        for (i, (wrong, text)) in wrong_solutions(root, name, solution)?
            .into_iter()
            .enumerate()
        {
            variants.push(Variant {
                exercise: name.clone(),
                bin: format!("e{bin}_wrong{}", i + 1),
                what: Role::Wrong {
                    name: wrong.name,
                    expect: wrong.expect,
                },
                source: text,
            });
        }
    }
    let scratch = root.join("target").join("exercises");
    let executables = build(root, &scratch, &variants)?;

    let mut failures = Vec::new();
    let started = Instant::now();
    // Two at a time: the machine has two cores, and a wrong solution that hangs waits for its
    // watchdog (5 s) without using them.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(usize, Result<Run>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(variant) = variants.get(i) else {
                            break mine;
                        };
                        mine.push((i, run_tests(&executables[&variant.bin])));
                    }
                })
            })
            .collect();
        let mut all: Vec<_> = workers
            .into_iter()
            .flat_map(|w| w.join().expect("a grading thread panicked"))
            .collect();
        all.sort_by_key(|(i, _)| *i);
        all
    });
    for (i, run) in results {
        let variant = &variants[i];
        let run = run?;
        let label = match &variant.what {
            Role::Starter => format!("{SET}/exercises/{}.rs (starter)", variant.exercise),
            Role::Solution => format!("{SET}/solutions/{}.rs (solution)", variant.exercise),
            Role::Wrong { name, .. } => {
                format!("{SET}/wrong/{}.toml: {name}", variant.exercise)
            }
        };
        let verdict = match &variant.what {
            Role::Starter if run.passed => Err("passes its tests: the starter is solved"),
            Role::Starter if !run.output.contains("not yet implemented") => {
                Err("fails, but not at a `todo!()`")
            }
            Role::Solution if !run.passed => Err("fails its tests"),
            Role::Wrong { .. } if run.passed => Err("passes the tests: they miss this mistake"),
            Role::Wrong { expect, .. } if !run.output.contains(expect.as_str()) => {
                Err("fails, but its output never says the `expect` text")
            }
            _ => Ok(()),
        };
        let outcome = if run.passed { "passed" } else { "failed" };
        match verdict {
            Ok(()) => println!("ok: {label}: {outcome} ({:.1} s)", run.secs),
            Err(why) => {
                println!("FAILED: {label}: {why}");
                failures.push(format!(
                    "{label}: {why}\n--- its test output ---\n{}",
                    run.output.trim_end()
                ));
            }
        }
    }
    println!(
        "graded {} programs in {:.1} s",
        variants.len(),
        started.elapsed().as_secs_f64()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}

/// Writes the scratch crate (only files that changed, so cargo rebuilds only those) and builds
/// every variant's tests; returns each binary's test executable.
fn build(root: &Path, scratch: &Path, variants: &[Variant]) -> Result<BTreeMap<String, PathBuf>> {
    let src = scratch.join("src");
    fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    write_if_changed(&scratch.join("Cargo.toml"), &manifest(root, variants)?)?;
    let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    write_if_changed(&scratch.join("Cargo.lock"), &lock)?;
    for variant in variants {
        write_if_changed(&src.join(format!("{}.rs", variant.bin)), &variant.source)?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(scratch)
        .args([
            "test",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let which: Vec<String> = variants
            .iter()
            .map(|v| match &v.what {
                Role::Starter => format!("src/{}.rs: the starter of {}", v.bin, v.exercise),
                Role::Solution => format!("src/{}.rs: the solution of {}", v.bin, v.exercise),
                Role::Wrong { name, .. } => format!("src/{}.rs: {}: {name}", v.bin, v.exercise),
            })
            .collect();
        return Err(format!(
            "the exercise set does not build in {}:\n{}\n(the scratch files: {})",
            scratch.display(),
            String::from_utf8_lossy(&output.stderr).trim_end(),
            which.join("; ")
        ));
    }
    let mut executables = BTreeMap::new();
    for message in String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
    {
        if let (Some(name), Some(exe)) = (
            message["target"]["name"].as_str(),
            message["executable"].as_str(),
        ) {
            executables.insert(name.to_owned(), PathBuf::from(exe));
        }
    }
    for variant in variants {
        if !executables.contains_key(&variant.bin) {
            return Err(format!(
                "cargo built no test executable for {}",
                variant.bin
            ));
        }
    }
    Ok(executables)
}

/// The scratch crate's manifest: the exercise set's dependencies, with the workspace's versions
/// written out (the scratch crate is a workspace of its own), and one binary per variant.
fn manifest(root: &Path, variants: &[Variant]) -> Result<String> {
    let read = |path: &Path| -> Result<toml::Table> {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let workspace = read(&root.join("Cargo.toml"))?;
    let set = read(&root.join(SET).join("Cargo.toml"))?;
    let inherited = workspace
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    let resolve = |section: &str| -> Result<toml::Table> {
        let mut out = toml::Table::new();
        let Some(deps) = set.get(section).and_then(|d| d.as_table()) else {
            return Ok(out);
        };
        for (name, spec) in deps {
            let from_workspace = spec.get("workspace").and_then(|w| w.as_bool()) == Some(true);
            let spec = if from_workspace {
                inherited.get(name).cloned().ok_or_else(|| {
                    format!("{SET}/Cargo.toml: `{name}` is not in the workspace's dependencies")
                })?
            } else {
                spec.clone()
            };
            out.insert(name.clone(), spec);
        }
        Ok(out)
    };
    let mut manifest = toml::Table::new();
    let mut package = toml::Table::new();
    package.insert("name".into(), "exercises-graded".into());
    package.insert("version".into(), "0.0.0".into());
    package.insert("edition".into(), "2024".into());
    package.insert("publish".into(), false.into());
    package.insert("autobins".into(), false.into());
    manifest.insert("package".into(), package.into());
    manifest.insert("workspace".into(), toml::Table::new().into());
    manifest.insert("dependencies".into(), resolve("dependencies")?.into());
    manifest.insert(
        "dev-dependencies".into(),
        resolve("dev-dependencies")?.into(),
    );
    let bins: Vec<toml::Value> = variants
        .iter()
        .map(|v| {
            let mut bin = toml::Table::new();
            bin.insert("name".into(), v.bin.clone().into());
            bin.insert("path".into(), format!("src/{}.rs", v.bin).into());
            bin.into()
        })
        .collect();
    manifest.insert("bin".into(), bins.into());
    // As the workspace builds them: dependencies without debug info link faster.
    let profile: toml::Table =
        toml::from_str("[dev.package.\"*\"]\ndebug = false").expect("a valid profile table");
    manifest.insert("profile".into(), profile.into());
    toml::to_string(&manifest).map_err(|e| format!("scratch manifest: {e}"))
}

fn write_if_changed(path: &Path, text: &str) -> Result {
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

struct Run {
    passed: bool,
    output: String,
    secs: f64,
}

/// Runs one test executable, killing it after `RUN_LIMIT`.
fn run_tests(exe: &Path) -> Result<Run> {
    let log = exe.with_extension("log");
    let out = fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut child = Command::new(exe)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let passed = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status.success();
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut output = String::from_utf8_lossy(&fs::read(&log).unwrap_or_default()).into_owned();
    if started.elapsed() > RUN_LIMIT {
        output.push_str(&format!("\n(killed after {} s)\n", RUN_LIMIT.as_secs()));
    }
    Ok(Run {
        passed,
        output,
        secs: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::starter;

    const SOLUTION: &str = "\
use std::thread;
// ANCHOR: hide
// You need `std::sync::mpsc`.
use std::sync::mpsc;
// ANCHOR_END: hide

// ANCHOR: exercise
fn f(n: u64) -> u64 {
    // ANCHOR: todo(\"f({n})\")
    // Double `n` on another thread.
    // (Mind the overflow.)
    let h = thread::spawn(move || n * 2);
    // A solution comment, not an instruction.
    h.join().unwrap()
    // ANCHOR_END: todo
}
// ANCHOR_END: exercise
";

    #[test]
    fn regions_become_instructions_and_todo() {
        let out = starter(SOLUTION, "s.rs").unwrap();
        assert_eq!(
            out,
            "\
use std::thread;
// TODO: You need `std::sync::mpsc`.

// ANCHOR: exercise
fn f(n: u64) -> u64 {
    // TODO: Double `n` on another thread.
    // (Mind the overflow.)
    todo!(\"f({n})\")
}
// ANCHOR_END: exercise
"
        );
    }

    #[test]
    fn unbalanced_and_malformed_markers_name_file_and_line() {
        let unclosed = SOLUTION.replace("    // ANCHOR_END: todo\n", "");
        let err = starter(&unclosed, "s.rs").unwrap_err();
        assert!(
            err.starts_with("s.rs:9:") && err.contains("no `// ANCHOR_END: todo`"),
            "{err}"
        );

        let stray = format!("{SOLUTION}// ANCHOR_END: hide\n");
        let err = starter(&stray, "s.rs").unwrap_err();
        assert!(
            err.starts_with("s.rs:18:") && err.contains("no region open"),
            "{err}"
        );

        let nested = SOLUTION.replace("    let h", "    // ANCHOR: hide\n    let h");
        let err = starter(&nested, "s.rs").unwrap_err();
        assert!(
            err.starts_with("s.rs:12:") && err.contains("opened at line 9"),
            "{err}"
        );

        let mismatched = SOLUTION.replace("// ANCHOR_END: todo", "// ANCHOR_END: hide");
        let err = starter(&mismatched, "s.rs").unwrap_err();
        assert!(err.contains("closes the `todo` region"), "{err}");

        let typo = SOLUTION.replace("ANCHOR: todo(\"f({n})\")", "ANCHOR: todo \"f\"");
        let err = starter(&typo, "s.rs").unwrap_err();
        assert!(
            err.starts_with("s.rs:9:") && err.contains("malformed"),
            "{err}"
        );
    }

    #[test]
    fn a_solution_without_regions_is_an_error() {
        let err = starter("fn main() {}\n", "s.rs").unwrap_err();
        assert!(err.contains("no `// ANCHOR: todo` region"), "{err}");
    }
}
