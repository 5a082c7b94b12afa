//! Every block a reader can run on the playground may use only crates the playground offers.
//!
//! mdbook marks runnable Rust blocks with `<pre class="playground">` (blocks marked
//! `noplayground` lose the class). This reads them from the built HTML, finds the crates each one
//! names, and fails on any crate outside `xtask/playground-crates.txt`.

use crate::Result;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

pub fn check(root: &Path, html: &Path) -> Result {
    let allowed = allow_list(root)?;
    let known = locked_crates(root)?;
    check_book_dependencies(root, &allowed)?;
    let mut problems = Vec::new();
    let mut blocks = 0;
    let mut pages: Vec<_> = fs::read_dir(html)
        .map_err(|e| format!("{}: {e}", html.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "html"))
        .filter(|path| path.file_name().is_some_and(|n| n != "print.html"))
        .collect();
    pages.sort();
    for page in pages {
        let text = fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
        for (index, code) in runnable_blocks(&text).iter().enumerate() {
            blocks += 1;
            for krate in crates_used(code, &known) {
                if !allowed.contains(&krate) {
                    problems.push(format!(
                        "{}: runnable Rust block #{} uses `{krate}`, which the playground does not \
                         offer; mark the block `noplayground` and say how to run it locally",
                        chapter_of(&page),
                        index + 1
                    ));
                }
            }
        }
    }
    if blocks == 0 {
        return Err(format!("no runnable blocks found in {}", html.display()));
    }
    if problems.is_empty() {
        println!("all {blocks} runnable blocks use only playground crates");
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// `book/html/ch01-x.html` was rendered from `src/ch01-x.md`.
fn chapter_of(page: &Path) -> String {
    let stem = page.file_stem().unwrap_or_default().to_string_lossy();
    format!("src/{stem}.md")
}

fn allow_list(root: &Path) -> Result<BTreeSet<String>> {
    let path = root.join("xtask").join("playground-crates.txt");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut allowed: BTreeSet<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    allowed.extend(["std", "core", "alloc"].map(String::from));
    Ok(allowed)
}

/// Every package name in `Cargo.lock`, as code spells it (`tokio-util` -> `tokio_util`).
fn locked_crates(root: &Path) -> Result<BTreeSet<String>> {
    let path = root.join("Cargo.lock");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .map(|name| name.trim_end_matches('"').replace('-', "_"))
        .collect())
}

/// The root package's `[dependencies]` are what book blocks compile against: all must be allowed.
fn check_book_dependencies(root: &Path, allowed: &BTreeSet<String>) -> Result {
    let path = root.join("Cargo.toml");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let section = text
        .split("\n[dependencies]\n")
        .nth(1)
        .ok_or("Cargo.toml has no [dependencies] section")?;
    for line in section.lines().take_while(|line| !line.starts_with('[')) {
        let Some((name, _)) = line.split_once('=') else {
            continue;
        };
        // `tokio = "1"`, or `tokio.workspace = true` for a workspace dependency.
        let name = name.trim();
        let name = name
            .split_once('.')
            .map_or(name, |(name, _)| name)
            .replace('-', "_");
        if !name.starts_with('#') && !allowed.contains(&name) {
            return Err(format!(
                "Cargo.toml: the book's dependency `{name}` is not in xtask/playground-crates.txt; \
                 book blocks may use only crates the playground offers"
            ));
        }
    }
    Ok(())
}

/// The text of every `<pre class="playground"><code class="language-rust ...">` block.
fn runnable_blocks(html: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let opening = "<pre class=\"playground\"><code class=\"language-rust";
    let mut rest = html;
    while let Some(start) = rest.find(opening) {
        let after = &rest[start..];
        let body_start = after.find('>').map_or(0, |i| i + 1);
        let body_start = body_start + after[body_start..].find('>').map_or(0, |i| i + 1);
        let end = after.find("</code></pre>").unwrap_or(after.len());
        blocks.push(unescape(&strip_tags(&after[body_start..end])));
        rest = &after[end..];
    }
    blocks
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Crates a block names: the first segment of any path `name::...` where `name` is a crate in
/// `Cargo.lock`, plus anything named by `extern crate`. Items under `#[cfg(loom)]` do not count:
/// the playground compiles them out (listings that double as loom models use this).
fn crates_used(code: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    // Comments name crates too (`loom::model` explores...), but compile to nothing.
    let code: String = code
        .lines()
        .map(|line| line.split_once("//").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n");
    let code = &without_compiled_out_items(&code);
    let mut used = BTreeSet::new();
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for (at, _) in code.match_indices("::") {
        let start = code[..at]
            .bytes()
            .rposition(|b| !is_ident(b))
            .map_or(0, |i| i + 1);
        // A segment after another `::` is not a crate name.
        if start >= 2 && &code[start - 2..start] == "::" {
            continue;
        }
        let name = &code[start..at];
        if !name.is_empty() && !bytes[start].is_ascii_digit() && known.contains(name) {
            used.insert(name.to_owned());
        }
    }
    for line in code.lines() {
        if let Some(rest) = line.trim().strip_prefix("extern crate ") {
            used.insert(rest.trim_end_matches(';').trim().to_owned());
        }
    }
    used
}

/// `code` with every item that follows a `#[cfg(loom)]` or `#[cfg(test)]` attribute removed, up
/// to the `;` or the closing `}` that ends it: the Run button builds neither (an exercise's
/// tests, for instance, run its code under loom).
fn without_compiled_out_items(code: &str) -> String {
    const ATTRIBUTES: [&str; 2] = ["#[cfg(loom)]", "#[cfg(test)]"];
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some((at, attribute)) = ATTRIBUTES
        .iter()
        .filter_map(|a| rest.find(a).map(|at| (at, a)))
        .min()
    {
        out.push_str(&rest[..at]);
        let item = &rest[at + attribute.len()..];
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 && !item[i + 1..].trim_start().starts_with(';') {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeSet<String> {
        ["tokio", "loom", "criterion", "rayon"]
            .map(String::from)
            .into()
    }

    #[test]
    fn comments_do_not_count() {
        let code = "//! `loom::model` runs the tests\nfn main() { rayon::join(|| (), || ()); } // tokio::spawn";
        assert_eq!(
            crates_used(code, &known()),
            BTreeSet::from(["rayon".to_owned()])
        );
    }

    #[test]
    fn finds_crates_by_path_and_by_use() {
        let code =
            "use loom::sync::Arc;\n#[tokio::main]\nasync fn main() { rayon::join(|| (), || ()); }";
        let used = crates_used(code, &known());
        assert_eq!(used, ["loom", "rayon", "tokio"].map(String::from).into());
    }

    #[test]
    fn ignores_later_path_segments_and_local_names() {
        let code = "use std::sync::atomic::Ordering;\nfn main() { let x = criterion_like::f(); my::tokio::g(); }";
        assert!(crates_used(code, &known()).is_empty());
    }

    #[test]
    fn items_under_cfg_loom_or_cfg_test_do_not_count() {
        let code = "#[cfg(loom)]\nuse loom::{sync::Arc, thread};\n#[cfg(loom)]\nmod m { fn f() { loom::g(); } }\nuse rayon::join;\n#[cfg(test)]\nmod tests { use loom::model; }";
        assert_eq!(
            crates_used(code, &known()),
            ["rayon"].map(String::from).into()
        );
    }

    #[test]
    fn reads_runnable_blocks_and_skips_others() {
        let html = "<pre class=\"playground\"><code class=\"language-rust edition2021\">\
            <span class=\"boring\">use loom::x;\n</span>fn main() { a &lt; b; }</code></pre>\
            <pre><code class=\"language-rust noplayground\">use criterion::y;</code></pre>";
        assert_eq!(
            runnable_blocks(html),
            ["use loom::x;\nfn main() { a < b; }"]
        );
    }
}
