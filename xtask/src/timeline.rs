//! `cargo xtask diagrams`: thread timelines drawn from real runs of the listings.
//!
//! Each diagram runs a listing binary, timestamps every line of its output as it arrives (Rust's
//! stdout is line-buffered, so a line arrives when it is printed), assigns the line to a lane
//! (a thread) and draws the lanes over time as an SVG under `src/diagrams/`. The files are
//! committed; rerun the command to redraw them from a fresh run. It also draws the benchmark plots
//! from the committed results (see `bench.rs`).

use crate::Result;
use crate::svg;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// One diagram: which listing to run, and how to read its lines.
struct Diagram {
    listing: &'static str,
    file: &'static str,
    title: &'static str,
    /// Splits an output line into its lane, its kind (which picks the colour) and its label;
    /// `None` leaves the line out.
    classify: fn(&str) -> Option<Line>,
}

const DIAGRAMS: &[Diagram] = &[
    Diagram {
        listing: "ch01_spawn_join",
        file: "ch01-spawn-join.svg",
        title: "ch01_spawn_join: two threads, then join",
        classify: |line| match line.split_once(": ") {
            // "worker: step 3" / "main: step 2"
            Some((lane, label)) => Some(Line::new(lane, "step", label.trim_start_matches("step "))),
            // "worker returned 15" is printed by main, after join.
            None => Some(Line::new("main", "join returned", "15")),
        },
    },
    Diagram {
        listing: "ch08_phases",
        file: "ch08-barrier-phases.svg",
        title: "ch08_phases: four workers, one barrier, several phases",
        classify: |line| {
            // "worker 3 arrived at barrier 0" / "worker 3 passed barrier 0"
            let rest = line.strip_prefix("worker ")?;
            let (id, event) = rest.split_once(' ')?;
            let phase = event.rsplit(' ').next()?;
            let kind = if event.starts_with("arrived") {
                "arrived at barrier"
            } else {
                "passed barrier"
            };
            Some(Line::new(&format!("worker {id}"), kind, phase))
        },
    },
    Diagram {
        listing: "ch05_timeline",
        file: "ch05-backpressure.svg",
        title: "ch05_timeline: sync_channel(2), a consumer that takes 2 ms per item",
        classify: |line| {
            // "producer: sent 3" / "consumer: received 3"
            let (lane, event) = line.split_once(": ")?;
            let (kind, item) = event.rsplit_once(' ')?;
            Some(Line::new(lane, kind, item))
        },
    },
    Diagram {
        listing: "ch11_timeline",
        file: "ch11-condvar.svg",
        title: "ch11_timeline: two waiters, one notifier, one late waiter",
        classify: |line| {
            // "waiter 0: waiting" / "notifier: set ready=true, notify_all" /
            // "waiter 0: woke, ready=true" / "late waiter: found ready=true, did not wait"
            let (lane, event) = line.split_once(": ")?;
            let (kind, label) = match event {
                "waiting" => ("waiting (asleep in wait)", "wait"),
                e if e.starts_with("set ready") => ("set ready=true, notify_all", "notify"),
                e if e.starts_with("woke") => ("woke, saw ready=true", "woke"),
                _ => ("found ready=true, did not wait", "no wait"),
            };
            Some(Line::new(lane, kind, label))
        },
    },
    Diagram {
        listing: "ch18_timeline",
        file: "ch18-select-timeout.svg",
        title: "ch18_timeline: select! between a 7 ms timer and an operation that never ends",
        classify: |line| {
            // "main: select started" / "slow: step 2" / "timer: fired after 7 ms" / "slow: dropped"
            let (lane, event) = line.split_once(": ")?;
            let (kind, label) = match (lane, event.strip_prefix("step ")) {
                ("main", _) => ("main", event.split(',').next()?),
                ("slow", Some(step)) => ("slow operation: step", step),
                ("slow", None) => ("slow operation: dropped", "dropped"),
                _ => ("timer fired", "7 ms"),
            };
            Some(Line::new(lane, kind, label))
        },
    },
    Diagram {
        listing: "ch25_timeline",
        file: "ch25-pool-workers.svg",
        title: "ch25_timeline: two workers, eight jobs of 1 to 3 ms, one shared queue",
        classify: |line| {
            // "worker 1: job 3 started" / "worker 1: queue closed and empty, exiting" /
            // "main: queued 8 jobs". A job's "finished" line comes a few microseconds before
            // the worker's next "started" line, so it is left out: the gap between two dots
            // in a lane is one job.
            let (lane, event) = line.split_once(": ")?;
            if let Some(job) = event.strip_prefix("job ") {
                let id = job.strip_suffix(" started")?;
                Some(Line::new(lane, "job started", id))
            } else if lane == "main" {
                Some(Line::new(lane, "main", event))
            } else {
                Some(Line::new(
                    lane,
                    "queue closed and empty: worker exits",
                    "exit",
                ))
            }
        },
    },
];

pub fn run(root: &Path) -> Result {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["build", "--quiet", "-p", "listings", "--bins"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building the listings failed".into());
    }
    // Where that build put the binaries: `CARGO_TARGET_DIR` if set (relative to the root, where
    // the build ran), else `target`.
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), |dir| root.join(dir));
    let out_dir = root.join("src").join("diagrams");
    fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    for diagram in DIAGRAMS {
        let binary = target_dir.join("debug").join(diagram.listing);
        let events = record(&binary, diagram.classify)?;
        let svg = render(diagram.title, &events);
        let path = out_dir.join(diagram.file);
        fs::write(&path, svg).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("drew {} ({} events)", path.display(), events.len());
    }
    Ok(())
}

/// What a line of output says: which thread (lane), what kind of event, and a short label.
struct Line {
    lane: String,
    kind: String,
    label: String,
}

impl Line {
    fn new(lane: &str, kind: &str, label: &str) -> Line {
        Line {
            lane: lane.to_owned(),
            kind: kind.to_owned(),
            label: label.to_owned(),
        }
    }
}

/// A line and when it arrived (ms since the program started).
struct Event {
    at_ms: f64,
    line: Line,
}

const PALETTE: &[&str] = &["#3b6ea5", "#d9822b", "#3c9d5d", "#b04a8f"];

fn record(binary: &Path, classify: fn(&str) -> Option<Line>) -> Result<Vec<Event>> {
    let start = Instant::now();
    let mut child = Command::new(binary)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut events = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let at_ms = start.elapsed().as_secs_f64() * 1000.0;
        if let Some(line) = classify(&line) {
            events.push(Event { at_ms, line });
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("{} failed: {status}", binary.display()));
    }
    if events.is_empty() {
        return Err(format!("{} printed nothing to draw", binary.display()));
    }
    Ok(events)
}

fn render(title: &str, events: &[Event]) -> String {
    let mut lanes: Vec<&str> = events.iter().map(|e| e.line.lane.as_str()).collect();
    lanes.sort();
    lanes.dedup();
    let mut kinds: Vec<&str> = Vec::new();
    for event in events {
        if !kinds.contains(&event.line.kind.as_str()) {
            kinds.push(&event.line.kind);
        }
    }
    let colour =
        |kind: &str| PALETTE[kinds.iter().position(|k| *k == kind).unwrap() % PALETTE.len()];
    let first = events.first().map_or(0.0, |e| e.at_ms);
    let span = (events.last().map_or(1.0, |e| e.at_ms) - first).max(1.0);
    let (left, right, top, lane_height, width) = (90.0, 30.0, 70.0, 56.0, 900.0);
    let height = top + lane_height * lanes.len() as f64 + 30.0;
    let x = |ms: f64| left + (ms - first) / span * (width - left - right);
    let y = |lane: &str| {
        top + lane_height * lanes.iter().position(|l| *l == lane).unwrap() as f64 + 10.0
    };

    let mut svg = svg::start(width, height, title);
    let mut legend_x = 10.0;
    for kind in &kinds {
        let _ = writeln!(
            svg,
            r#"<circle cx="{:.1}" cy="42" r="5" fill="{}"/><text x="{:.1}" y="46">{}</text>"#,
            legend_x + 5.0,
            colour(kind),
            legend_x + 14.0,
            svg::escape(kind)
        );
        legend_x += 30.0 + 6.5 * kind.len() as f64;
    }
    for lane in &lanes {
        let ly = y(lane);
        let _ = writeln!(
            svg,
            r##"<text x="10" y="{:.1}" font-weight="bold">{}</text><line x1="{left}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="#bbb"/>"##,
            ly + 4.0,
            svg::escape(lane),
            width - right
        );
    }
    // Labels go above a lane's line, or below it where the one above would overlap the previous
    // label; a label that fits in neither place is left to the dot's tooltip. Dots of the same
    // kind that (nearly) coincide share one label, "1,2,3", so a burst of events stays readable.
    struct Label {
        x: f64,
        y: f64,
        text: String,
    }
    let text_width = |text: &str| 6.2 * text.chars().count() as f64;
    let mut labels: Vec<Label> = Vec::new();
    // Per lane and row (above, below): the right end of the last label in that row. For the row
    // above also, if the lane's previous event put it there: which label it was, the kind of its
    // events and where its last dot was.
    let mut right_end = vec![[f64::NEG_INFINITY; 2]; lanes.len()];
    let mut last_above: Vec<Option<(usize, &str, f64)>> = vec![None; lanes.len()];
    for event in events {
        let lane = lanes.iter().position(|l| *l == event.line.lane).unwrap();
        let (ex, ey) = (x(event.at_ms), y(&event.line.lane));
        let _ = writeln!(
            svg,
            r#"<circle cx="{ex:.1}" cy="{ey:.1}" r="4.5" fill="{}"><title>{}: {} {} at {:.2} ms</title></circle>"#,
            colour(&event.line.kind),
            svg::escape(&event.line.lane),
            svg::escape(&event.line.kind),
            svg::escape(&event.line.label),
            event.at_ms - first
        );
        if let Some((index, kind, dot_x)) = last_above[lane]
            && kind == event.line.kind
            && ex - dot_x < 6.0
        {
            let label = &mut labels[index];
            label.text.push(',');
            label.text.push_str(&event.line.label);
            right_end[lane][0] = label.x + text_width(&label.text) / 2.0;
            last_above[lane] = Some((index, kind, ex));
            continue;
        }
        // Only consecutive events of a lane share a label.
        last_above[lane] = None;
        let half = text_width(&event.line.label) / 2.0;
        // Keep labels at the ends inside the picture.
        let lx = ex.clamp(half + 2.0, width - half - 2.0);
        let Some(row) = (0..2).find(|&row| lx - half > right_end[lane][row] + 4.0) else {
            continue;
        };
        right_end[lane][row] = lx + half;
        if row == 0 {
            last_above[lane] = Some((labels.len(), &event.line.kind, ex));
        }
        labels.push(Label {
            x: lx,
            y: if row == 0 { ey - 9.0 } else { ey + 17.0 },
            text: event.line.label.clone(),
        });
    }
    for label in &labels {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}</text>"##,
            label.x,
            label.y,
            svg::escape(&label.text)
        );
    }
    let axis_y = height - 12.0;
    let _ = writeln!(
        svg,
        r##"<line x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#666"/><text x="{left}" y="{axis_y:.1}">first line</text><text x="{:.1}" y="{axis_y:.1}" text-anchor="end">{span:.1} ms later (time each line reached the reader)</text>"##,
        axis_y - 14.0,
        width - right,
        axis_y - 14.0,
        width - right
    );
    svg.push_str("</svg>\n");
    svg
}
