//! `cargo xtask bench [TARGET...]`: run the criterion benchmarks and commit their results.
//!
//! Runs each bench target of the `benches` crate (all of them by default), then copies criterion's
//! estimates for that target's groups (named `chNN_...` after the chapter) into
//! `benches/results/TARGET.csv`, describes the machine in `benches/results/machine.txt`, and draws
//! `src/benchmarks/TARGET.svg` from every committed results file, so the plots in the chapters
//! always show committed measurements. `cargo xtask bench --plots` only redraws the plots.

use crate::Result;
use crate::svg;
// `cargo xtask bench capstone`: the capstone server against Redis (not a criterion target).
#[path = "capstone.rs"]
mod capstone;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One benchmark's result, as committed.
pub struct Estimate {
    /// criterion's id: `group/function` or `group/function/parameter`.
    pub id: String,
    pub mean_ns: f64,
    pub lower_ns: f64,
    pub upper_ns: f64,
}

pub fn run(root: &Path, targets: &[String]) -> Result {
    if let [first, rest @ ..] = targets
        && first == "capstone"
    {
        return capstone::run(root, rest);
    }
    let known = all_targets(root)?;
    if let Some(unknown) = targets.iter().find(|t| !known.contains(t)) {
        return Err(format!(
            "no benchmark target `{unknown}`; the targets are: {}",
            known.join(", ")
        ));
    }
    let targets = if targets.is_empty() {
        all_targets(root)?
    } else {
        targets.to_vec()
    };
    let results = root.join("benches").join("results");
    fs::create_dir_all(&results).map_err(|e| format!("{}: {e}", results.display()))?;
    for target in &targets {
        let criterion = root.join("target").join("criterion");
        let prefix = format!("{}_", &target[..4]);
        // Only this run's groups may reach the results: a group left from an earlier run (a
        // renamed group, or a chapter renumbered since) would otherwise be collected as new.
        remove_groups(&criterion, &prefix)?;
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .args(["bench", "-p", "benches", "--bench", target])
            .status()
            .map_err(|e| format!("cannot run cargo bench: {e}"))?;
        if !status.success() {
            return Err(format!("cargo bench --bench {target} failed"));
        }
        let estimates = collect(&criterion, &prefix)?;
        if estimates.is_empty() {
            return Err(format!(
                "{target} produced no criterion groups named {prefix}*"
            ));
        }
        let mut csv = String::from("id,mean_ns,lower_ns,upper_ns\n");
        for e in &estimates {
            let _ = writeln!(
                csv,
                "{},{:.3},{:.3},{:.3}",
                e.id, e.mean_ns, e.lower_ns, e.upper_ns
            );
        }
        let path = results.join(format!("{target}.csv"));
        fs::write(&path, csv).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {} ({} benchmarks)", path.display(), estimates.len());
    }
    let machine = results.join("machine.txt");
    fs::write(&machine, describe_machine()).map_err(|e| format!("{}: {e}", machine.display()))?;
    draw_plots(root)
}

/// One plot per committed results file: `benches/results/T.csv` -> `src/benchmarks/T.svg`.
pub fn draw_plots(root: &Path) -> Result {
    let results = root.join("benches").join("results");
    let machine = fs::read_to_string(results.join("machine.txt")).unwrap_or_default();
    let out_dir = root.join("src").join("benchmarks");
    fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let Ok(entries) = fs::read_dir(&results) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // capstone.csv holds redis-benchmark's numbers, drawn by its own module.
        if path.extension().is_none_or(|e| e != "csv") || path.ends_with("capstone.csv") {
            continue;
        }
        let target = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let estimates = read_results(&path)?;
        let title = format!("cargo bench -p benches --bench {target}");
        let svg = plot(
            &title,
            &format!("Measured on {}", machine.trim()),
            &estimates,
        );
        let out = out_dir.join(format!("{target}.svg"));
        fs::write(&out, svg).map_err(|e| format!("{}: {e}", out.display()))?;
        println!("drew {}", out.display());
    }
    capstone::draw(root)
}

/// The `[[bench]]` targets: the files in `benches/benches/`.
fn all_targets(root: &Path) -> Result<Vec<String>> {
    crate::rust_file_stems(&root.join("benches").join("benches"))
}

/// Deletes criterion's output for every group whose name starts with `prefix`.
fn remove_groups(criterion: &Path, prefix: &str) -> Result {
    let Ok(entries) = fs::read_dir(criterion) else {
        return Ok(()); // no benchmark has run yet
    };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with(prefix) && path.is_dir() {
            fs::remove_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Every `new/estimates.json` under `criterion` whose group starts with `prefix`.
fn collect(criterion: &Path, prefix: &str) -> Result<Vec<Estimate>> {
    let mut found = Vec::new();
    let mut pending: Vec<PathBuf> = fs::read_dir(criterion)
        .map_err(|e| format!("{}: {e}", criterion.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    while let Some(dir) = pending.pop() {
        let new = dir.join("new");
        if new.join("estimates.json").is_file() {
            found.push(read_estimate(&new)?);
            continue;
        }
        for entry in fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "report") {
                pending.push(path);
            }
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found)
}

fn read_estimate(new: &Path) -> Result<Estimate> {
    let read = |name: &str| -> Result<serde_json::Value> {
        let path = new.join(name);
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let benchmark = read("benchmark.json")?;
    let estimates = read("estimates.json")?;
    let mean = &estimates["mean"];
    let number = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    Ok(Estimate {
        id: benchmark["full_id"].as_str().unwrap_or("?").to_owned(),
        mean_ns: number(&mean["point_estimate"]),
        lower_ns: number(&mean["confidence_interval"]["lower_bound"]),
        upper_ns: number(&mean["confidence_interval"]["upper_bound"]),
    })
}

pub fn describe_machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {rustc}, {}\n", std::env::consts::OS)
}

/// Reads a committed results file.
pub fn read_results(path: &Path) -> Result<Vec<Estimate>> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut estimates = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let number = |k: usize| -> Result<f64> {
            fields
                .get(k)
                .and_then(|f| f.parse().ok())
                .ok_or_else(|| format!("{}:{}: malformed line", path.display(), i + 1))
        };
        estimates.push(Estimate {
            id: fields[0].to_owned(),
            mean_ns: number(1)?,
            lower_ns: number(2)?,
            upper_ns: number(3)?,
        });
    }
    Ok(estimates)
}

/// A horizontal bar chart of `estimates`, one panel per criterion group, each panel with its
/// own scale (groups often differ by orders of magnitude), with 95% confidence whiskers.
pub fn plot(title: &str, machine: &str, estimates: &[Estimate]) -> String {
    let mut groups: Vec<(&str, Vec<&Estimate>)> = Vec::new();
    for e in estimates {
        let (group, _) = e.id.split_once('/').unwrap_or((&e.id, ""));
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, members)) => members.push(e),
            None => groups.push((group, vec![e])),
        }
    }
    let (width, left, right, bar, gap) = (900.0, 250.0, 110.0, 16.0, 5.0);
    let rows: usize = groups.iter().map(|(_, m)| m.len()).sum();
    let height = 60.0 + groups.len() as f64 * 34.0 + rows as f64 * (bar + gap) + 10.0;
    let mut svg = svg::start(width, height, title);
    let _ = writeln!(
        svg,
        r##"<text x="10" y="38" fill="#555">mean time per iteration, 95% interval; shorter is faster. {}</text>"##,
        svg::escape(machine)
    );
    let mut y = 60.0;
    for (group, members) in &groups {
        let _ = writeln!(
            svg,
            r#"<text x="10" y="{:.1}" font-weight="bold">{}</text>"#,
            y + 14.0,
            svg::escape(group)
        );
        y += 24.0;
        let max = members
            .iter()
            .map(|e| e.upper_ns)
            .fold(0.0, f64::max)
            .max(1e-9);
        let scale = |ns: f64| ns / max * (width - left - right);
        for e in members {
            let name = e.id.split_once('/').map_or(e.id.as_str(), |(_, n)| n);
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{left}" y="{y:.1}" width="{:.1}" height="{bar}" fill="#3b6ea5"/><line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#222"/><text x="{:.1}" y="{:.1}">{}</text>"##,
                left - 8.0,
                y + 12.0,
                svg::escape(name),
                scale(e.mean_ns),
                left + scale(e.lower_ns),
                left + scale(e.upper_ns),
                y + bar / 2.0,
                y + bar / 2.0,
                left + scale(e.upper_ns) + 6.0,
                y + 12.0,
                human(e.mean_ns)
            );
            y += bar + gap;
        }
        y += 10.0;
    }
    svg.push_str("</svg>\n");
    svg
}

/// 1234.5 ns -> "1.23 µs".
fn human(ns: f64) -> String {
    match ns {
        n if n >= 1e9 => format!("{:.2} s", n / 1e9),
        n if n >= 1e6 => format!("{:.2} ms", n / 1e6),
        n if n >= 1e3 => format!("{:.2} µs", n / 1e3),
        n => format!("{n:.1} ns"),
    }
}
