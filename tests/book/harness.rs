//! What the generated tests need beyond skeptic: one run per distinct program, per-block
//! editions, a watchdog, a check for `compile_fail`, and cargo's own binary for a block that
//! shows a whole listing.
#![allow(dead_code)] // Only generated tests call these, and a book may not need every kind.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};
use std::{env, fs, thread};

/// How a program's test treats it (from the block's attributes).
pub enum Mode {
    /// Compile and run it; it must succeed.
    Run,
    /// Compile it only.
    NoRun,
    /// Compile and run it; it must fail at run time.
    ShouldPanic,
    /// The compiler must reject it with this error code.
    CompileFail(&'static str),
}

/// One distinct program of the book: the blocks at `places` all compile to exactly this text,
/// under this edition, tested this way.
pub struct Program {
    mode: Mode,
    edition: &'static str,
    places: &'static [&'static str],
    text: &'static str,
    /// `NAME` when `text` was the whole of `listings/src/bin/NAME.rs` at build time.
    listing: Option<&'static str>,
    state: Mutex<State>,
}

enum State {
    NotStarted,
    /// The test of the block at this place is compiling or running the program.
    Running(&'static str),
    /// The test of the block at this place ran it, with this outcome.
    Done(&'static str, Result<(), String>),
}

impl Program {
    pub const fn new(
        mode: Mode,
        edition: &'static str,
        places: &'static [&'static str],
        text: &'static str,
        listing: Option<&'static str>,
    ) -> Program {
        Program {
            mode,
            edition,
            places,
            text,
            listing,
            state: Mutex::new(State::NotStarted),
        }
    }

    fn others(&self, at: &str) -> String {
        let others: Vec<&str> = self.places.iter().copied().filter(|p| *p != at).collect();
        if others.is_empty() {
            String::new()
        } else {
            format!(
                "; this run stands for the blocks at {} too: they show the same program under \
                 the same edition",
                others.join(", ")
            )
        }
    }
}

/// The test of the block at `at`. The first test to reach a program compiles and runs it; a
/// test whose program already ran reports that run's outcome, and one whose program another
/// test is running now passes by reference to it (that test's failure names every block).
pub fn check(program: &'static Program, at: &'static str) {
    let mut state = program.state.lock().unwrap_or_else(|e| e.into_inner());
    match &*state {
        State::NotStarted => {
            *state = State::Running(at);
            drop(state);
            let outcome = {
                let _watch = watch(at);
                run(program, at)
            };
            let failure = outcome.as_ref().err().cloned();
            *program.state.lock().unwrap_or_else(|e| e.into_inner()) = State::Done(at, outcome);
            if let Some(message) = failure {
                panic!(
                    "{message}\nthe code block at {at} failed{}",
                    program.others(at)
                );
            }
        }
        State::Running(by) => {
            println!("{at} shows the same program as {by}, whose test is running it now");
        }
        State::Done(by, Ok(())) => {
            println!("{at} shows the same program as {by}, which passed");
        }
        State::Done(by, Err(message)) => {
            panic!(
                "the code block at {at} shows the same program as {by}, which failed \
                 (its output is in that test's report):\n{message}"
            );
        }
    }
}

/// Compiles (and runs) the program as its mode says; `Err` says what went wrong.
fn run(program: &Program, at: &'static str) -> Result<(), String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = env!("OUT_DIR");
    let target = env!("BOOK_TARGET");
    if let Some(name) = program.listing {
        match built_listing(name, program.text) {
            Ok(exe) => return run_built(program, at, &exe),
            Err(why) => println!("{at}: compiling the block: {why}"),
        }
    }
    match program.mode {
        Mode::Run => retrying(|| {
            skeptic::rt::run_test_with_edition(root, out, target, program.edition, program.text)
        }),
        Mode::ShouldPanic => match retrying(|| {
            skeptic::rt::run_test_with_edition(root, out, target, program.edition, program.text)
        }) {
            Ok(()) => Err(format!(
                "{at}: this should_panic block ran to the end without failing"
            )),
            Err(message) if message.contains("--crate-type=bin") => Err(format!(
                "{at}: this should_panic block does not compile:\n{message}"
            )),
            Err(_) => Ok(()),
        },
        Mode::NoRun => {
            let verdict = Verdict::new(program, "compiles");
            if verdict.known() {
                return Ok(());
            }
            catch(|| {
                skeptic::rt::compile_test_with_edition(
                    root,
                    out,
                    target,
                    program.edition,
                    program.text,
                )
            })?;
            verdict.record();
            Ok(())
        }
        Mode::CompileFail(code) => expect_compile_error(program, at, code),
    }
}

/// The binary cargo built from `listings/src/bin/NAME.rs`, when it is this program's: the file
/// still holds `text` (give or take its `// ANCHOR` comment lines, see
/// `book_includes::is_whole_file`), and the binary is newer than every file cargo compiled it
/// from (its dep-info) and than the manifests and the lock file — cargo's own rule for source
/// files. `cargo test` builds the listings before it runs any test, so on a full run the
/// binary is fresh; `cargo test --test book` alone does not, and a listing edited since then
/// is compiled here as any other block. `Err` says why the binary cannot be used.
fn built_listing(name: &str, text: &str) -> Result<PathBuf, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = root.join("listings/src/bin").join(format!("{name}.rs"));
    let now = fs::read_to_string(&source).unwrap_or_default();
    if !book_includes::is_whole_file(text, &now) {
        return Err(format!("{} no longer holds this program", source.display()));
    }
    // target/<profile>/deps/book-<hash> -> target/<profile>
    let exe = env::current_exe().map_err(|e| e.to_string())?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("the test binary is not in target/<profile>/deps")?;
    let built = profile_dir.join(name);
    let dep_info = dep_info_of(profile_dir, name, &built)?;
    let manifests = ["Cargo.lock", "Cargo.toml", "listings/Cargo.toml"].map(|f| root.join(f));
    is_fresh(&built, &dep_info, root, &source, &manifests)?;
    Ok(built)
}

/// The dep-info cargo wrote for the binary `target/<profile>/NAME`: `cargo build` writes
/// `NAME.d` beside it; `cargo test` only writes `deps/NAME-HASH.d`, beside the binary it
/// hard-links to `NAME`, which is found by being the same file.
fn dep_info_of(profile_dir: &Path, name: &str, built: &Path) -> Result<String, String> {
    use std::os::unix::fs::MetadataExt;
    let id = |path: &Path| fs::metadata(path).map(|m| (m.dev(), m.ino())).ok();
    let wanted = id(built).ok_or_else(|| format!("{} does not exist", built.display()))?;
    let prefix = format!("{}-", name.replace('-', "_"));
    let deps = fs::read_dir(profile_dir.join("deps")).map_err(|e| e.to_string())?;
    for path in deps.flatten().map(|entry| entry.path()) {
        let is_binary = path.extension().is_none()
            && path
                .file_name()
                .and_then(|f| f.to_str())
                .is_some_and(|f| f.starts_with(&prefix));
        if is_binary && id(&path) == Some(wanted) {
            return fs::read_to_string(path.with_extension("d"))
                .map_err(|e| format!("{}: {e}", path.display()));
        }
    }
    fs::read_to_string(profile_dir.join(format!("{name}.d")))
        .map_err(|e| format!("no dep-info for {}: {e}", built.display()))
}

/// `Ok` when `built` exists and no input is newer: the files its `dep_info` (make syntax, as
/// cargo writes it; relative paths are relative to `base`) lists, which must include `source`,
/// and the `extra` files.
fn is_fresh(
    built: &Path,
    dep_info: &str,
    base: &Path,
    source: &Path,
    extra: &[PathBuf],
) -> Result<(), String> {
    let modified = |path: &Path| -> Result<SystemTime, String> {
        fs::metadata(path)
            .and_then(|m| m.modified())
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let built_at = modified(built)?;
    let (_, inputs) = dep_info
        .lines()
        .next()
        .and_then(|line| line.split_once(": "))
        .ok_or("dep-info without a rule")?;
    if inputs.contains('\\') {
        return Err("dep-info with escaped characters in a path".to_owned());
    }
    let inputs: Vec<PathBuf> = inputs.split_whitespace().map(|p| base.join(p)).collect();
    if !inputs.iter().any(|input| input == source) {
        return Err(format!(
            "{} was not built from {}",
            built.display(),
            source.display()
        ));
    }
    for input in inputs.iter().chain(extra) {
        if modified(input)? > built_at {
            return Err(format!(
                "{} changed after cargo built {}",
                input.display(),
                built.display()
            ));
        }
    }
    Ok(())
}

/// Runs cargo's binary of a listing as skeptic runs a block (in an empty directory, without
/// the caller's backtrace settings unless `SKEPTIC_BACKTRACE` is set) and judges it by the
/// program's mode; a fresh binary also proves a `no_run` block compiles.
fn run_built(program: &Program, at: &str, exe: &Path) -> Result<(), String> {
    println!("{at}: running {}, built by cargo", exe.display());
    let should_pass = match program.mode {
        Mode::Run => true,
        Mode::ShouldPanic => false,
        Mode::NoRun | Mode::CompileFail(_) => return Ok(()),
    };
    let dir = env::temp_dir().join(format!(
        "book-listing-{}-{}",
        std::process::id(),
        program.listing.unwrap_or("program")
    ));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut command = Command::new(exe);
    command.current_dir(&dir);
    if env::var_os("SKEPTIC_BACKTRACE").is_none() {
        command
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE");
    }
    let output = command.output();
    let _ = fs::remove_dir_all(&dir);
    let output = output.map_err(|e| format!("Could not run {}: {e}", exe.display()))?;
    print!("{}", String::from_utf8_lossy(&output.stdout));
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    match (output.status.success(), should_pass) {
        (true, true) | (false, false) => Ok(()),
        (false, true) => Err(format!("{} failed: {}", exe.display(), output.status)),
        (true, false) => Err(format!(
            "{at}: this should_panic block ran to the end without failing"
        )),
    }
}

/// Runs `f`, turning its panic into `Err(message)`.
fn catch(f: impl FnOnce()) -> Result<(), String> {
    catch_value(f)
}

/// Runs `f` for its value, turning its panic into `Err(message)`.
fn catch_value<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| panic_message(&*payload).to_owned())
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("(a panic without a message)")
}

/// Runs a block through skeptic, retrying when the freshly compiled binary could not be started
/// because it was "busy" (ETXTBSY, os error 26). That is a Linux race, not a failure of the block:
/// skeptic writes a binary into its cache while another worker forks to start a process, the child
/// briefly inherits the open file, and executing the binary in that window fails. Any other
/// failure is reported as it is.
fn retrying(f: impl Fn()) -> Result<(), String> {
    const ATTEMPTS: u32 = 3;
    let mut attempt = 1;
    loop {
        match catch(&f) {
            Err(message) if attempt < ATTEMPTS && is_text_file_busy(&message) => {
                attempt += 1;
                thread::sleep(Duration::from_millis(100));
            }
            outcome => return outcome,
        }
    }
}

fn is_text_file_busy(message: &str) -> bool {
    message.starts_with("Could not run") && message.contains("os error 26")
}

/// A verdict that depends only on the program, its edition and the compiler and libraries the
/// running test binary was built with, remembered across runs: whether a `no_run` block
/// compiles, whether a `compile_fail` block fails with its code. Nothing is run, so nothing
/// else can change the answer. Cargo names the test binary after a hash of the compiler, the
/// profile and every dependency with its version and features, so a change to any of them
/// is a new name, and a new key.
struct Verdict {
    file: Option<PathBuf>,
}

impl Verdict {
    fn new(program: &Program, what: &str) -> Verdict {
        let exe = env::current_exe().ok();
        // target/<profile>/deps/book-<hash> -> target/<profile>/.book-verdicts
        let dir = exe
            .as_ref()
            .and_then(|exe| Some(exe.parent()?.parent()?.join(".book-verdicts")));
        let name = exe.as_ref().and_then(|exe| exe.file_name());
        let file = dir.zip(name).map(|(dir, name)| {
            let hash = |salt: u8| {
                let mut hasher = DefaultHasher::new();
                (salt, name, what, program.edition, program.text).hash(&mut hasher);
                hasher.finish()
            };
            dir.join(format!("{:016x}{:016x}", hash(0), hash(1)))
        });
        Verdict { file }
    }

    fn known(&self) -> bool {
        env::var_os("BOOK_NO_VERDICT_CACHE").is_none()
            && self.file.as_ref().is_some_and(|file| file.exists())
    }

    fn record(&self) {
        if let Some(file) = &self.file {
            if let Some(dir) = file.parent() {
                let _ = fs::create_dir_all(dir);
            }
            let _ = fs::write(file, "");
        }
    }
}

/// How long one block may take to compile and run before the run is declared hung.
fn time_limit() -> Duration {
    let secs = env::var("BOOK_BLOCK_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120);
    Duration::from_secs(secs)
}

/// Blocks running now: where they are in the book, and since when.
static RUNNING: Mutex<Vec<(&'static str, Instant)>> = Mutex::new(Vec::new());

/// Marks the block at `at` (chapter:line) as running until the guard drops. If any block runs
/// longer than the time limit, the whole test process reports it, kills the block's processes
/// and exits: a hang fails the run with the block's place instead of stalling it.
pub fn watch(at: &'static str) -> Watch {
    static MONITOR: OnceLock<()> = OnceLock::new();
    MONITOR.get_or_init(|| {
        thread::spawn(monitor);
    });
    RUNNING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((at, Instant::now()));
    Watch { at }
}

pub struct Watch {
    at: &'static str,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        running.retain(|(at, _)| *at != self.at);
    }
}

fn monitor() {
    let limit = time_limit();
    loop {
        thread::sleep(Duration::from_millis(500));
        let running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, since)) = running.iter().find(|(_, since)| since.elapsed() > limit) {
            // Straight to stderr: this thread inherited a test's output capture, and that
            // test's output is never shown once the process exits.
            let _ = writeln!(
                std::io::stderr(),
                "\nerror: the code block at {at} has run for {} s (limit {} s, set \
                 BOOK_BLOCK_TIMEOUT_SECS to change it): it probably hangs. Stopping the run.",
                since.elapsed().as_secs(),
                limit.as_secs()
            );
            kill_children();
            std::process::exit(101);
        }
    }
}

/// Kills the processes this test binary started (rustc, or a block's program).
fn kill_children() {
    let me = std::process::id().to_string();
    let Ok(entries) = fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // Fields after the command name (which may hold spaces) are: state, ppid, ...
        let parent = stat
            .rsplit(')')
            .next()
            .and_then(|s| s.split_whitespace().nth(1));
        if parent == Some(me.as_str()) {
            let _ = Command::new("kill").args(["-9", &pid]).status();
        }
    }
}

/// Checks that the program fails to compile with `code`: an error code such as `E0373`, or
/// the message of an error that has none. skeptic compiles it as it compiles every block (the
/// book's dependencies, the block's edition) and hands back what the compiler printed.
fn expect_compile_error(program: &Program, at: &str, code: &str) -> Result<(), String> {
    let verdict = Verdict::new(program, code);
    if verdict.known() {
        return Ok(());
    }
    let output = catch_value(|| {
        skeptic::rt::compile_output_with_edition(
            env!("CARGO_MANIFEST_DIR"),
            env!("OUT_DIR"),
            env!("BOOK_TARGET"),
            program.edition,
            program.text,
        )
    })?;
    if output.success {
        return Err(format!(
            "{at}: this compile_fail block compiled (edition {}), but the text says it fails \
             with {code}",
            program.edition
        ));
    }
    // An error code (`E0373`), or the message of an error that has none.
    let is_code = code.len() == 5 && code.starts_with('E');
    let wanted = if is_code {
        format!("error[{code}]")
    } else {
        format!("error: {code}")
    };
    if !(output.stderr.contains(&wanted) || output.stdout.contains(&wanted)) {
        return Err(format!(
            "{at}: this compile_fail block failed, but not with {code} as the text says:\n{}",
            output.stderr
        ));
    }
    verdict.record();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;
    use std::time::Duration;

    /// A listing, its lock file and its binary in a fresh directory, each last written at the
    /// given second (since an arbitrary origin); and dep-info naming `from` as the binary's
    /// only source.
    fn files(case: &str, source: u64, lock: u64, built: u64) -> [PathBuf; 3] {
        let dir = env::temp_dir().join(format!("book-freshness-{}-{case}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let paths = [dir.join("x.rs"), dir.join("Cargo.lock"), dir.join("x")];
        for (path, secs) in paths.iter().zip([source, lock, built]) {
            fs::write(path, "").unwrap();
            let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000 + secs);
            let file = File::options().write(true).open(path).unwrap();
            file.set_modified(when).unwrap();
        }
        paths
    }

    fn dep_info(exe: &Path, sources: &str) -> String {
        format!("{}: {sources}\n\n", exe.display())
    }

    #[test]
    fn a_binary_built_after_its_inputs_is_used() {
        let [source, lock, exe] = files("after", 1, 1, 2);
        let rule = dep_info(&exe, &source.display().to_string());
        assert_eq!(
            is_fresh(
                &exe,
                &rule,
                Path::new("/"),
                &source,
                std::slice::from_ref(&lock)
            ),
            Ok(())
        );
        // `cargo test` writes paths relative to the workspace.
        let relative = dep_info(&exe, "x.rs");
        let base = source.parent().unwrap();
        assert_eq!(is_fresh(&exe, &relative, base, &source, &[lock]), Ok(()));
    }

    #[test]
    fn a_binary_older_than_its_source_or_the_lock_file_is_not_used() {
        let [source, lock, exe] = files("source", 3, 1, 2);
        let rule = dep_info(&exe, &source.display().to_string());
        let stale = is_fresh(&exe, &rule, Path::new("/"), &source, &[lock]);
        assert!(stale.is_err_and(|e| e.contains("x.rs changed")));
        let [source, lock, exe] = files("lock", 1, 3, 2);
        let rule = dep_info(&exe, &source.display().to_string());
        let stale = is_fresh(&exe, &rule, Path::new("/"), &source, &[lock]);
        assert!(stale.is_err_and(|e| e.contains("Cargo.lock changed")));
    }

    #[test]
    fn a_binary_built_from_another_file_or_unreadable_dep_info_is_not_used() {
        let [source, _, exe] = files("other", 1, 1, 2);
        let other = is_fresh(
            &exe,
            &dep_info(&exe, "/elsewhere/y.rs"),
            Path::new("/"),
            &source,
            &[],
        );
        assert!(other.is_err_and(|e| e.contains("not built from")));
        let escaped = dep_info(&exe, &format!("/a\\ b.rs {}", source.display()));
        assert!(is_fresh(&exe, &escaped, Path::new("/"), &source, &[]).is_err());
    }
}
