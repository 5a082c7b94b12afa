//! A key-value server that speaks enough of Redis's protocol for real Redis clients and
//! `redis-benchmark`: the capstone of the book (chapters 28 to 31).
//!
//! ```text
//! cargo run --release --bin kv-server -- --port 6380 [--stage threads|tokio]
//!     [--state lock|sharded|actors] [--shards N] [--max-clients N] [--idle-ms N]
//!     [--max-bulk BYTES]
//! ```

// The modules live in kv-server/ (the paths are spelled out because `kv-server` is not a
// module name).
#[path = "kv-server/command.rs"]
pub mod command;
#[path = "kv-server/resp.rs"]
pub mod resp;
#[path = "kv-server/server.rs"]
pub mod server;
#[path = "kv-server/store.rs"]
pub mod store;
#[path = "kv-server/threads.rs"]
pub mod threads;

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;

use server::Limits;
use store::{Design, State};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stage {
    Threads,
    Tokio,
}

/// The command line, parsed.
#[derive(Clone, Debug)]
pub struct Options {
    pub port: u16,
    pub stage: Stage,
    pub design: Design,
    pub shards: usize,
    pub limits: Limits,
}

const USAGE: &str = "usage: kv-server [--port N] [--stage threads|tokio] \
    [--state lock|sharded|actors] [--shards N] [--max-clients N] [--idle-ms N] [--max-bulk BYTES]";

pub fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        port: 6379,
        stage: Stage::Tokio,
        design: Design::Sharded,
        shards: 16,
        limits: Limits {
            max_clients: 10_000,
            idle: Duration::from_secs(300),
            max_bulk: 512 * 1024 * 1024,
        },
    };
    let number = |flag: &str, value: &str| -> Result<u64, String> {
        value
            .parse()
            .map_err(|_| format!("{flag} takes a number, not `{value}`"))
    };
    for pair in args.chunks(2) {
        let [flag, value] = pair else {
            return Err(format!("{} needs a value", pair[0]));
        };
        match flag.as_str() {
            "--port" => {
                options.port = u16::try_from(number(flag, value)?).map_err(|_| {
                    format!("--port takes a port number (0 to 65535), not `{value}`")
                })?;
            }
            "--stage" => {
                options.stage = match value.as_str() {
                    "threads" => Stage::Threads,
                    "tokio" => Stage::Tokio,
                    _ => return Err(format!("unknown stage `{value}`")),
                }
            }
            "--state" => {
                options.design = match value.as_str() {
                    "lock" => Design::Lock,
                    "sharded" => Design::Sharded,
                    "actors" => Design::Actors,
                    _ => return Err(format!("unknown state design `{value}`")),
                }
            }
            "--shards" => options.shards = number(flag, value)?.max(1) as usize,
            "--max-clients" => options.limits.max_clients = number(flag, value)?.max(1) as usize,
            "--idle-ms" => options.limits.idle = Duration::from_millis(number(flag, value)?.max(4)),
            "--max-bulk" => options.limits.max_bulk = number(flag, value)? as usize,
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    if options.stage == Stage::Threads && options.design == Design::Actors {
        return Err("the actor design needs the tokio stage".into());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_options(&args) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("{error}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let outcome = match options.stage {
        Stage::Threads => run_threads(&options),
        Stage::Tokio => {
            tokio::runtime::Runtime::new().and_then(|rt| rt.block_on(run_tokio(options)))
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kv-server: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Stage 1 has no shutdown of its own: SIGINT or SIGTERM ends the process where it stands.
fn run_threads(options: &Options) -> std::io::Result<()> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", options.port))?;
    println!("listening on {}", listener.local_addr()?);
    let state = Arc::new(State::new(options.design, options.shards));
    threads::serve(listener, state, options.limits.max_bulk);
    Ok(())
}

// ANCHOR: main
async fn run_tokio(options: Options) -> std::io::Result<()> {
    // Listen for the signals before saying we are ready, so none can arrive unhandled.
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let shutdown = CancellationToken::new();
    let trigger = shutdown.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
        trigger.cancel();
    });

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port)).await?;
    println!("listening on {}", listener.local_addr()?);
    let state = Arc::new(State::new(options.design, options.shards));
    let (replies, running) = server::serve(listener, state, options.limits, shutdown).await;
    // Whoever started us may have stopped reading our output: that is no reason to panic now.
    let _ = writeln!(
        std::io::stdout(),
        "shut down after {replies} replies, {running} connections still running"
    );
    Ok(())
}
// ANCHOR_END: main
