//! Every link between the book's pages must land: the page must exist and, for `page#id`, the
//! page must have an element with that id. mdbook-linkcheck2 checks the Markdown's links to files;
//! this checks what it cannot see, the `#fragments`, on the HTML mdbook wrote, with html5gum
//! (the WHATWG tokenizer lychee uses). Web links are not followed: the machine has no network.

use crate::Result;
use html5gum::{DefaultEmitter, Token, Tokenizer};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// What one HTML page offers and asks for.
#[derive(Default)]
struct Page {
    /// Every `id` (and `<a name>`) on the page.
    ids: BTreeSet<String>,
    /// Every `href` of an `<a>` or `<link>` and `src` of an `<img>` or `<script>`, in order.
    links: Vec<String>,
}

/// Checks every internal link of the HTML book in `html`; broken ones are reported against the
/// chapter (`src/...md:LINE`) they come from.
pub fn check(root: &Path, html: &Path) -> Result {
    let mut pages = BTreeMap::new();
    for path in html_files(html)? {
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let relative = path
            .strip_prefix(html)
            .expect("walked from html")
            .to_path_buf();
        pages.insert(relative, scan(&text));
    }
    let mut broken = Vec::new();
    for (page, found) in &pages {
        // mdbook's 404 page links with absolute site-url paths, which resolve only once published.
        if page == Path::new("404.html") {
            continue;
        }
        for link in &found.links {
            if let Some(why) = problem(html, &pages, page, link) {
                broken.push(crate::book::locate(&root.join("src"), page, link, &why));
            }
        }
    }
    if broken.is_empty() {
        return Ok(());
    }
    broken.sort();
    broken.dedup();
    Err(format!("broken links in the book:\n{}", broken.join("\n")))
}

/// Why `link` on `page` is broken, or `None` when it lands (or is not ours to check).
fn problem(
    html: &Path,
    pages: &BTreeMap<PathBuf, Page>,
    page: &Path,
    link: &str,
) -> Option<String> {
    let is_external = link.starts_with("//")
        || link
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/') && !scheme.contains('#'));
    if is_external {
        return None;
    }
    let (path_part, fragment) = link.split_once('#').unwrap_or((link, ""));
    let path_part = path_part.split('?').next().unwrap_or("");
    let target = if path_part.is_empty() {
        page.to_path_buf()
    } else {
        let Some(joined) = normalise(&page.parent().unwrap_or(Path::new("")).join(path_part))
        else {
            return Some(format!("`{link}` points outside the book"));
        };
        if html.join(&joined).is_dir() {
            joined.join("index.html")
        } else {
            joined
        }
    };
    if !html.join(&target).exists() {
        return Some(format!(
            "no such file `{}` in the built book",
            target.display()
        ));
    }
    if fragment.is_empty() {
        return None;
    }
    match pages.get(&target) {
        Some(found) if found.ids.contains(fragment) => None,
        Some(_) => Some(format!(
            "`{}` has no element with id `{fragment}`",
            target.display()
        )),
        None => None, // a fragment on a non-HTML file (an SVG, say) is not an element id
    }
}

/// `a/b/../c` → `a/c`; `None` when the path climbs out of the book.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(name) => out.push(name),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// The ids a page offers and the links it holds.
fn scan(text: &str) -> Page {
    let mut emitter = DefaultEmitter::default();
    // Treat `<script>`/`<style>` bodies as text, as a browser does, so code in them is not
    // mistaken for tags.
    emitter.naively_switch_states(true);
    let mut page = Page::default();
    for token in Tokenizer::new_with_emitter(text, emitter).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let attribute = |name: &str| {
            tag.attributes
                .get(name.as_bytes())
                .map(|value| String::from_utf8_lossy(value).into_owned())
        };
        let name = String::from_utf8_lossy(&tag.name).into_owned();
        if let Some(id) = attribute("id") {
            page.ids.insert(id);
        }
        if name == "a" {
            page.ids.extend(attribute("name"));
        }
        let link = match name.as_str() {
            "a" | "link" => attribute("href"),
            "img" | "script" => attribute("src"),
            _ => None,
        };
        page.links.extend(link.filter(|l| !l.is_empty()));
    }
    page
}

/// Every `.html` file under `dir`, sorted.
fn html_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(pages: &[(&str, &str)]) -> (tempdir::Dir, BTreeMap<PathBuf, Page>) {
        let dir = tempdir::Dir::new();
        let mut scanned = BTreeMap::new();
        for (name, text) in pages {
            let path = dir.0.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, text).unwrap();
            scanned.insert(PathBuf::from(name), scan(text));
        }
        (dir, scanned)
    }

    mod tempdir {
        /// A fresh directory under the target dir, removed on drop.
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Self {
                use std::sync::atomic::{AtomicUsize, Ordering};
                static NEXT: AtomicUsize = AtomicUsize::new(0);
                let n = NEXT.fetch_add(1, Ordering::Relaxed);
                let path =
                    std::env::temp_dir().join(format!("xtask-links-{}-{n}", std::process::id()));
                let _ = std::fs::remove_dir_all(&path);
                std::fs::create_dir_all(&path).unwrap();
                Dir(path)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn finds_ids_and_links_but_not_inside_scripts() {
        let page = scan(
            r##"<h2 id="intro">x</h2><a name="old"></a><a href="b.html#x">b</a>
               <script>var s = '<a href="nowhere.html">';</script><img src="i.svg">"##,
        );
        assert_eq!(page.ids, BTreeSet::from(["intro".into(), "old".into()]));
        assert_eq!(page.links, ["b.html#x", "i.svg"]);
    }

    #[test]
    fn reports_a_missing_page_and_a_missing_fragment_only() {
        let (dir, pages) = book(&[
            ("a.html", ""),
            ("b.html", r#"<p id="here"></p>"#),
            ("sub/c.html", ""),
        ]);
        let check = |page: &str, link: &str| problem(&dir.0, &pages, Path::new(page), link);
        assert_eq!(check("a.html", "b.html#here"), None);
        assert_eq!(check("sub/c.html", "../b.html#here"), None);
        assert_eq!(check("a.html", "https://example.com/x#y"), None);
        assert_eq!(check("a.html", "mailto:someone@example.com"), None);
        assert!(
            check("a.html", "b.html#gone")
                .unwrap()
                .contains("no element with id `gone`")
        );
        assert!(
            check("a.html", "#gone")
                .unwrap()
                .contains("`a.html` has no element")
        );
        assert!(
            check("a.html", "missing.html")
                .unwrap()
                .contains("no such file")
        );
        assert!(
            check("a.html", "../../escape.html")
                .unwrap()
                .contains("outside the book")
        );
    }
}
