//! What every picture `cargo xtask diagrams` draws has in common.

use std::fmt::Write as _;

/// Opens an SVG document `width` by `height` with a white background and `title` as both its
/// accessible title and its heading.
pub fn start(width: f64, height: f64, title: &str) -> String {
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(title));
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#fdfdfd"/>"##
    );
    let _ = writeln!(
        svg,
        r#"<text x="10" y="20" font-size="13" font-weight="bold">{}</text>"#,
        escape(title)
    );
    svg
}

/// `text` made safe to put in SVG text or attributes.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
