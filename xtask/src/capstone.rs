//! `cargo xtask bench capstone [REDIS_SERVER]`: the capstone's `kv-server` measured against Redis.
//!
//! Builds `kv-server` in release mode, then on this machine, one after the other, starts
//! `redis-server` (from PATH, or the path given; installed with apt-get if missing) and each stage
//! and store design of `kv-server`, and runs `redis-benchmark -t set,get -n 200000 -c 50` against
//! each, without and with `-P 16`. Writes `benches/results/capstone.csv` (every number),
//! `benches/results/capstone.md` (the table chapter 31 includes, with the machine and its load)
//! and `src/benchmarks/capstone.svg`.

use crate::Result;
use crate::svg;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The servers measured: a label, `kv-server`'s arguments (`None`: Redis itself), and the number
/// of tokio worker threads (`None`: tokio's default, one per core).
type ServerSpec = (&'static str, Option<&'static [&'static str]>, Option<u32>);
const SERVERS: [ServerSpec; 7] = [
    ("redis-server", None, None),
    (
        "threads + lock",
        Some(&["--stage", "threads", "--state", "lock"]),
        None,
    ),
    (
        "tokio + lock",
        Some(&["--stage", "tokio", "--state", "lock"]),
        None,
    ),
    (
        "tokio + sharded",
        Some(&["--stage", "tokio", "--state", "sharded"]),
        None,
    ),
    (
        "tokio + actors",
        Some(&["--stage", "tokio", "--state", "actors"]),
        None,
    ),
    (
        "threads + sharded",
        Some(&["--stage", "threads", "--state", "sharded"]),
        None,
    ),
    // Chapter 31 measured what a second worker costs when the client shares the two cores;
    // tokio reads TOKIO_WORKER_THREADS when the runtime is built with its defaults.
    (
        "tokio + sharded on 1 worker",
        Some(&["--stage", "tokio", "--state", "sharded"]),
        Some(1),
    ),
];

const REQUESTS: &str = "200000";
const CLIENTS: &str = "50";
/// How many times each server is measured; the table gives the median.
const ROUNDS: usize = 5;

/// What one redis-benchmark run reported for one test.
struct Sample {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// One server, test and pipeline depth: the medians of its rounds, and the spread of requests/s.
struct Row {
    server: String,
    test: String,
    pipeline: u32,
    rps: f64,
    rps_min: f64,
    rps_max: f64,
    p50_ms: f64,
    p99_ms: f64,
}

pub fn run(root: &Path, args: &[String]) -> Result {
    // capstone.csv has no quoting: a comma in a label would shift every column after it.
    if let Some((label, ..)) = SERVERS.iter().find(|(label, ..)| label.contains(',')) {
        return Err(format!("server label {label:?} contains a comma"));
    }
    let redis_server = match args {
        [] => find_or_install("redis-server")?,
        [path] => PathBuf::from(path),
        _ => return Err("usage: cargo xtask bench capstone [PATH/TO/redis-server]".into()),
    };
    let benchmark = find_or_install("redis-benchmark")?;
    let load_before = load_average();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["build", "--release", "-p", "listings", "--bin", "kv-server"])
        .status()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build --release --bin kv-server failed".into());
    }
    let kv_server = root.join("target").join("release").join("kv-server");

    // Every server once per round, rounds one after the other: a slow spell of the machine
    // (another process, the CPU's clock) then hurts every server a little instead of one a lot.
    // Each cell of the table is the median of its rounds.
    let mut samples: Vec<(String, String, u32, Vec<Sample>)> = Vec::new();
    for round in 1..=ROUNDS {
        for pipeline in [1, 16] {
            for (label, kv_args, workers) in SERVERS {
                let server = match kv_args {
                    None => start_redis(&redis_server)?,
                    Some(kv_args) => start_kv(&kv_server, kv_args, workers)?,
                };
                let outcome = bench(&benchmark, server.port, pipeline);
                server.stop();
                for (test, sample) in outcome? {
                    println!(
                        "round {round}/{ROUNDS} {label:>18} -P {pipeline:<2} {test}: {:>10.0} requests/s, p50 {} ms, p99 {} ms",
                        sample.rps, sample.p50_ms, sample.p99_ms
                    );
                    match samples
                        .iter_mut()
                        .find(|(s, t, p, _)| s == label && *t == test && *p == pipeline)
                    {
                        Some((_, _, _, found)) => found.push(sample),
                        None => samples.push((label.into(), test, pipeline, vec![sample])),
                    }
                }
            }
        }
    }
    let rows: Vec<Row> = samples
        .into_iter()
        .map(|(server, test, pipeline, runs)| {
            let median = |value: fn(&Sample) -> f64| {
                let mut values: Vec<f64> = runs.iter().map(value).collect();
                values.sort_by(f64::total_cmp);
                values[values.len() / 2]
            };
            let rps: Vec<f64> = runs.iter().map(|s| s.rps).collect();
            Row {
                server,
                test,
                pipeline,
                rps: median(|s| s.rps),
                rps_min: rps.iter().copied().fold(f64::INFINITY, f64::min),
                rps_max: rps.iter().copied().fold(0.0, f64::max),
                p50_ms: median(|s| s.p50_ms),
                p99_ms: median(|s| s.p99_ms),
            }
        })
        .collect();
    let load_after = load_average();

    let results = root.join("benches").join("results");
    fs::create_dir_all(&results).map_err(|e| format!("{}: {e}", results.display()))?;
    let mut csv = String::from("server,test,pipeline,rps,rps_min,rps_max,p50_ms,p99_ms\n");
    for r in &rows {
        let _ = writeln!(
            csv,
            "{},{},{},{:.0},{:.0},{:.0},{:.3},{:.3}",
            r.server, r.test, r.pipeline, r.rps, r.rps_min, r.rps_max, r.p50_ms, r.p99_ms
        );
    }
    write(&results.join("capstone.csv"), &csv)?;
    let redis_version = Command::new(&redis_server)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let machine = format!(
        "{}; {redis_version}. Load average (1 min) {load_before:.2} before the run, {load_after:.2} after: {}.",
        crate::bench::describe_machine().trim(),
        if load_before < 1.0 {
            "nothing else was running (the load after is the benchmark's own). redis-benchmark \
             shares the cores with the server it measures, so compare ratios within this run only"
        } else {
            "a busy machine, so compare ratios within this run only"
        }
    );
    write(&results.join("capstone.md"), &table(&rows, &machine))?;
    write(
        &results.join("capstone-machine.txt"),
        &format!("{machine}\n"),
    )?;
    draw(root)
}

/// Redraws `src/benchmarks/capstone.svg` from the committed results.
pub fn draw(root: &Path) -> Result {
    let results = root.join("benches").join("results");
    let Ok(csv) = fs::read_to_string(results.join("capstone.csv")) else {
        return Ok(());
    };
    let machine = fs::read_to_string(results.join("capstone-machine.txt")).unwrap_or_default();
    let rows = parse_csv(&csv)?;
    let out_dir = root.join("src").join("benchmarks");
    fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let out = out_dir.join("capstone.svg");
    write(&out, &plot(&rows, machine.trim()))?;
    println!("drew {}", out.display());
    Ok(())
}

fn write(path: &Path, text: &str) -> Result {
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

fn find_or_install(tool: &str) -> Result<PathBuf> {
    let found = || {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(tool))
                .find(|p| p.is_file())
        })
    };
    if let Some(path) = found() {
        return Ok(path);
    }
    println!("{tool} not found: installing Debian's redis-server package (apt-get)");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let mut install = if root {
        Command::new("apt-get")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.arg("apt-get");
        sudo
    };
    let status = install
        .args(["install", "-y", "redis-server", "redis-tools"])
        .status()
        .map_err(|e| format!("cannot run apt-get: {e}"))?;
    match found() {
        Some(path) if status.success() => Ok(path),
        _ => Err(format!(
            "{tool} is missing and apt-get could not install it; install Redis, or pass the path of redis-server"
        )),
    }
}

struct Server {
    child: Child,
    port: u16,
    /// kv-server's stdout, kept open until it has exited: it prints a last line at shutdown.
    _stdout: Option<BufReader<std::process::ChildStdout>>,
}

impl Server {
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_redis(redis_server: &Path) -> Result<Server> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let child = Command::new(redis_server)
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", redis_server.display()))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err("redis-server did not start listening within 10 s".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(Server {
        child,
        port,
        _stdout: None,
    })
}

fn start_kv(kv_server: &Path, args: &[&str], workers: Option<u32>) -> Result<Server> {
    let mut command = Command::new(kv_server);
    match workers {
        Some(n) => command.env("TOKIO_WORKER_THREADS", n.to_string()),
        None => command.env_remove("TOKIO_WORKER_THREADS"),
    };
    let mut child = command
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", kv_server.display()))?;
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    stdout.read_line(&mut line).map_err(|e| e.to_string())?;
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("kv-server {args:?} printed {line:?}"))?;
    Ok(Server {
        child,
        port,
        _stdout: Some(stdout),
    })
}

/// Runs redis-benchmark once; returns what it measured for SET and for GET.
fn bench(benchmark: &Path, port: u16, pipeline: u32) -> Result<Vec<(String, Sample)>> {
    let output = Command::new(benchmark)
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(["-t", "set,get", "-n", REQUESTS, "-c", CLIENTS])
        .args(["-P", &pipeline.to_string(), "--csv"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run redis-benchmark: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut found = Vec::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').map(|f| f.trim_matches('"')).collect();
        let number = |k: usize| fields.get(k).and_then(|f| f.parse::<f64>().ok());
        if let (Some(test), Some(rps), Some(p50), Some(p99)) =
            (fields.first(), number(1), number(4), number(6))
        {
            found.push((
                test.to_string(),
                Sample {
                    rps,
                    p50_ms: p50,
                    p99_ms: p99,
                },
            ));
        }
    }
    if found.len() != 2 {
        return Err(format!(
            "redis-benchmark printed no SET and GET results:\n{text}"
        ));
    }
    Ok(found)
}

fn parse_csv(csv: &str) -> Result<Vec<Row>> {
    csv.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let n = |k: usize| -> Result<f64> {
                f.get(k)
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format!("capstone.csv: malformed line {line:?}"))
            };
            Ok(Row {
                server: f[0].to_owned(),
                test: f.get(1).copied().unwrap_or("?").to_owned(),
                pipeline: n(2)? as u32,
                rps: n(3)?,
                rps_min: n(4)?,
                rps_max: n(5)?,
                p50_ms: n(6)?,
                p99_ms: n(7)?,
            })
        })
        .collect()
}

fn redis_row<'a>(rows: &'a [Row], r: &Row) -> Option<&'a Row> {
    rows.iter()
        .find(|x| x.server == "redis-server" && x.test == r.test && x.pipeline == r.pipeline)
}

/// The Markdown table chapter 31 includes.
fn table(rows: &[Row], machine: &str) -> String {
    let mut md = format!(
        "Measured with `cargo xtask bench capstone`: `redis-benchmark -t set,get -n {REQUESTS} -c {CLIENTS}`, \
         without and with `-P 16`, against each server in turn, {ROUNDS} rounds; each cell is the median \
         of the rounds, and the range is the lowest and highest requests/s. {machine}\n\n\
         | server | test | pipeline | requests/s | range | × Redis | p50 ms | p99 ms | p99 × Redis |\n\
         | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    );
    for r in rows {
        let redis = redis_row(rows, r);
        let ratio = |ours: f64, theirs: Option<f64>| {
            theirs.map_or("?".to_owned(), |t| format!("{:.2}", ours / t))
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.0} | {:.0}–{:.0} | {} | {:.3} | {:.3} | {} |",
            r.server,
            r.test,
            if r.pipeline == 1 {
                "none".to_owned()
            } else {
                format!("-P {}", r.pipeline)
            },
            r.rps,
            r.rps_min,
            r.rps_max,
            ratio(r.rps, redis.map(|x| x.rps)),
            r.p50_ms,
            r.p99_ms,
            ratio(r.p99_ms, redis.map(|x| x.p99_ms)),
        );
    }
    md
}

/// Requests per second as a fraction of Redis's, one panel per test and pipeline depth.
fn plot(rows: &[Row], machine: &str) -> String {
    let mut panels: Vec<(String, Vec<&Row>)> = Vec::new();
    for r in rows {
        let name = format!(
            "{} {}",
            r.test,
            if r.pipeline == 1 {
                "unpipelined".to_owned()
            } else {
                format!("pipelined -P {}", r.pipeline)
            }
        );
        match panels.iter_mut().find(|(n, _)| *n == name) {
            Some((_, members)) => members.push(r),
            None => panels.push((name, vec![r])),
        }
    }
    let (width, left, right, bar, gap) = (900.0, 200.0, 190.0, 16.0, 5.0);
    let height = 60.0 + panels.len() as f64 * 34.0 + rows.len() as f64 * (bar + gap) + 10.0;
    let mut out = svg::start(width, height, "cargo xtask bench capstone");
    let _ = writeln!(
        out,
        r##"<text x="10" y="38" fill="#555">requests/s relative to redis-server (the line at 1.0); longer is faster. {}</text>"##,
        svg::escape(machine)
    );
    let max = rows
        .iter()
        .filter_map(|r| redis_row(rows, r).map(|x| r.rps / x.rps))
        .fold(1.0, f64::max);
    let scale = |ratio: f64| ratio / max * (width - left - right);
    let mut y = 60.0;
    for (name, members) in &panels {
        let _ = writeln!(
            out,
            r#"<text x="10" y="{:.1}" font-weight="bold">{}</text>"#,
            y + 14.0,
            svg::escape(name)
        );
        y += 24.0;
        let top = y;
        for r in members {
            let ratio = redis_row(rows, r).map_or(0.0, |x| r.rps / x.rps);
            let _ = writeln!(
                out,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{left}" y="{y:.1}" width="{:.1}" height="{bar}" fill="{}"/><text x="{:.1}" y="{:.1}">{:.2}× ({:.0}/s, p99 {} ms)</text>"##,
                left - 8.0,
                y + 12.0,
                svg::escape(&r.server),
                scale(ratio),
                if r.server == "redis-server" {
                    "#a53b3b"
                } else {
                    "#3b6ea5"
                },
                left + scale(ratio) + 6.0,
                y + 12.0,
                ratio,
                r.rps,
                r.p99_ms
            );
            y += bar + gap;
        }
        let one = left + scale(1.0);
        let _ = writeln!(
            out,
            r##"<line x1="{one:.1}" x2="{one:.1}" y1="{:.1}" y2="{:.1}" stroke="#222" stroke-dasharray="3,3"/>"##,
            top - 2.0,
            y - gap + 2.0
        );
        y += 10.0;
    }
    out.push_str("</svg>\n");
    out
}

fn load_average() -> f64 {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|l| l.parse().ok()))
        .unwrap_or(f64::NAN)
}
