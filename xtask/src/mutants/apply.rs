//! Planting a mutant: its edits, in memory or applied to a scratch copy and restored.

use super::spec::Edit;
use std::fs;
use std::path::{Component, Path};

/// A file a mutant changes: its path from the root, and its text before and after.
pub(super) struct Changed {
    pub(super) file: String,
    pub(super) original: String,
    pub(super) mutated: String,
}

/// Applies `edits` in memory to the files under `root`. Fails, naming the file, when a file is
/// missing or a `find` does not match exactly once (or has no `occurrence`-th match).
pub(super) fn mutate(root: &Path, edits: &[Edit]) -> std::result::Result<Vec<Changed>, String> {
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
pub(super) fn match_position(text: &str, edit: &Edit) -> std::result::Result<usize, String> {
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

/// A mutant applied to the scratch copy; `restore` (or dropping it) puts the files back.
pub(super) struct Applied<'a> {
    work: &'a Path,
    changed: Vec<Changed>,
}

impl<'a> Applied<'a> {
    pub(super) fn apply(
        work: &'a Path,
        edits: &[Edit],
    ) -> std::result::Result<Applied<'a>, String> {
        let changed = mutate(work, edits)?;
        let applied = Applied { work, changed };
        for c in &applied.changed {
            fs::write(work.join(&c.file), &c.mutated).map_err(|e| format!("{}: {e}", c.file))?;
        }
        Ok(applied)
    }

    pub(super) fn restore(mut self) -> std::result::Result<(), String> {
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
