//! The scratch copies mutants are applied to, and the locks that keep two runs out of each
//! other's copy.
//!
//! A *slot* is one scratch copy of the repository with its own target directories: slot 1 is
//! `target/mutants/{work,target,loom,miri}`, slot N is `target/mutants/slotN/{work,...}`. Each
//! worker of a run uses one slot, and holds the slot's lock for one chapter at a time. A slot
//! needs its own target directories: the listing tests run the listings by the absolute path
//! cargo compiled into them (`env!("CARGO_BIN_EXE_...")`), and two copies building different
//! mutants into one target directory would overwrite each other's binaries.

use crate::Result;
use std::collections::BTreeSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// One scratch copy and its target directories.
#[derive(Clone, Debug)]
pub(super) struct Slot {
    pub(super) number: usize,
    /// The directory that holds it all: `target/mutants` or `target/mutants/slotN`.
    pub(super) dir: PathBuf,
    pub(super) work: PathBuf,
    pub(super) target: PathBuf,
    pub(super) loom: PathBuf,
    pub(super) miri: PathBuf,
}

impl Slot {
    /// Slot `number` (1-based) under `target/mutants`.
    pub(super) fn new(mutants: &Path, number: usize) -> Slot {
        let dir = if number == 1 {
            mutants.to_path_buf()
        } else {
            mutants.join(format!("slot{number}"))
        };
        Slot {
            number,
            work: dir.join("work"),
            target: dir.join("target"),
            loom: dir.join("loom"),
            miri: dir.join("miri"),
            dir,
        }
    }

    /// Takes this slot's lock, waiting (and saying so) while another run holds it.
    pub(super) fn lock(&self) -> Result<File> {
        fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let path = self.dir.join("lock");
        let file = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) => eprintln!(
                "mutants: another `cargo xtask mutants` is using {}; waiting for it",
                self.dir.display()
            ),
            Err(fs::TryLockError::Error(e)) => return Err(format!("{}: {e}", path.display())),
        }
        file.lock()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(file)
    }

    /// Whether this slot has been built (or cloned) before: then it only needs a refresh.
    pub(super) fn exists(&self) -> bool {
        self.work.is_dir() && self.target.is_dir()
    }

    /// Makes this slot a copy of `from`'s (which must be built, and locked by the caller like
    /// this one), so that it needs no build of its own: the scratch copy and the target
    /// directories are copied with their mtimes, which keeps cargo's fingerprints valid (cargo
    /// records the paths of a workspace's packages relative to the workspace).
    ///
    /// But cargo does not notice that paths compiled into a unit have moved: a copied listing
    /// test would still run `from`'s listings (`env!("CARGO_BIN_EXE_...")`) and read `from`'s
    /// sources (`env!("CARGO_MANIFEST_DIR")`), and the book's tests compile the blocks into the
    /// `OUT_DIR` its build script saw. So the copy's test crates and build script get a new mtime,
    /// and only they are rebuilt; `foreign_paths` checks every test executable the slot builds.
    pub(super) fn clone_from(&self, from: &Slot) -> Result<()> {
        for (source, copy) in [
            (&from.work, &self.work),
            (&from.target, &self.target),
            (&from.loom, &self.loom),
            (&from.miri, &self.miri),
        ] {
            if !source.is_dir() {
                continue;
            }
            let partial = copy.with_extension("partial");
            for old in [&partial, copy] {
                if old.exists() {
                    fs::remove_dir_all(old).map_err(|e| format!("{}: {e}", old.display()))?;
                }
            }
            fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
            let status = Command::new("cp")
                .arg("-a")
                .arg(source)
                .arg(&partial)
                .status()
                .map_err(|e| format!("cannot run cp: {e}"))?;
            if !status.success() {
                return Err(format!(
                    "cp -a {} {} failed",
                    source.display(),
                    partial.display()
                ));
            }
            fs::rename(&partial, copy).map_err(|e| format!("{}: {e}", copy.display()))?;
        }
        let now = SystemTime::now();
        for dir in ["listings/tests", "tests"] {
            touch_all(&self.work.join(dir), now)?;
        }
        touch_all(&self.work.join("build.rs"), now)
    }

    /// The other slot's paths found in an executable this slot built, if any (see `clone_from`).
    pub(super) fn foreign_paths(&self, exe: &Path, others: &[Slot]) -> Option<String> {
        let bytes = fs::read(exe).ok()?;
        others
            .iter()
            .filter(|other| other.number != self.number)
            .flat_map(|other| [&other.work, &other.target, &other.loom])
            .map(|dir| format!("{}/", dir.display()))
            .find(|needle| {
                let needle = needle.as_bytes();
                bytes
                    .windows(needle.len())
                    .any(|window| window[0] == needle[0] && window == needle)
            })
    }
}

/// Sets the mtime of `path`, or of every file under it, to `time`.
fn touch_all(path: &Path, time: SystemTime) -> Result<()> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(_) => return Ok(()),
    };
    if meta.is_dir() {
        for entry in fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))? {
            touch_all(&entry.map_err(|e| e.to_string())?.path(), time)?;
        }
        Ok(())
    } else if meta.is_file() {
        File::options()
            .write(true)
            .open(path)
            .and_then(|file| file.set_modified(time))
            .map_err(|e| format!("{}: {e}", path.display()))
    } else {
        Ok(())
    }
}

/// Makes `work` a copy of the files git would commit (tracked, plus untracked files that are not
/// ignored), without build output, plus the `generated` files (path from the root, content)
/// that only the scratch copy has. Writes only files whose content differs, so cargo's
/// fingerprints stay valid, and removes files the work tree no longer has. Returns how many
/// files it wrote or removed.
pub(super) fn refresh(root: &Path, work: &Path, generated: &[(String, String)]) -> Result<usize> {
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
    for (file, text) in generated {
        let to = work.join(file);
        keep.insert(to.clone());
        if fs::read(&to).ok().as_deref() != Some(text.as_bytes()) {
            create_parent(&to)?;
            fs::write(&to, text).map_err(|e| format!("{}: {e}", to.display()))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_copies_the_work_tree_and_keeps_the_generated_files_unwritten_while_unchanged() {
        let dir = std::env::temp_dir().join(format!("mutants-refresh-{}", std::process::id()));
        let (root, work) = (dir.join("root"), dir.join("work"));
        fs::create_dir_all(&root).unwrap();
        let git = Command::new("git")
            .current_dir(&root)
            .args(["init", "-q"])
            .status()
            .unwrap();
        assert!(git.success());
        fs::write(root.join("a.rs"), "fn main() {}\n").unwrap();
        let generated = [("tests/gen.rs".to_owned(), "mod a;\n".to_owned())];
        assert_eq!(refresh(&root, &work, &generated).unwrap(), 2);
        assert_eq!(
            fs::read_to_string(work.join("tests/gen.rs")).unwrap(),
            "mod a;\n"
        );
        // Unchanged: nothing written, so cargo rebuilds nothing.
        assert_eq!(refresh(&root, &work, &generated).unwrap(), 0);
        // Not generated any more: removed, like a file the work tree no longer has.
        assert_eq!(refresh(&root, &work, &[]).unwrap(), 1);
        assert!(!work.join("tests/gen.rs").exists());
        assert!(work.join("a.rs").exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
