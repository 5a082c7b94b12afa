//! Chapter 18, listing 3: a worker loop that flushes on a timer, stops on a shutdown signal, and
//! finishes the work already queued.
use std::time::Duration;
use tokio::select;
use tokio::sync::mpsc;
use tokio::time::{MissedTickBehavior, interval, sleep};
use tokio_util::sync::CancellationToken;

// ANCHOR: worker
/// What the worker did.
#[derive(Debug, PartialEq)]
pub struct Summary {
    pub handled: u32,
    pub flushes: u32,
}

/// Handles jobs (each one says how long it takes) and flushes every 10 ms, until `shutdown`;
/// then finishes the jobs already queued.
pub async fn worker(mut jobs: mpsc::Receiver<Duration>, shutdown: CancellationToken) -> Summary {
    let mut summary = Summary {
        handled: 0,
        flushes: 0,
    };
    let mut flush = interval(Duration::from_millis(10));
    flush.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        select! {
            // Poll the branches in the order written: the rare events first, the busy queue last.
            biased;
            _ = shutdown.cancelled() => break,
            _ = flush.tick() => summary.flushes += 1,
            job = jobs.recv() => match job {
                Some(work) => {
                    sleep(work).await; // the job itself
                    summary.handled += 1;
                }
                None => break, // every sender is gone: nothing more will come
            },
        }
    }
    // Graceful: refuse new work, but finish what was already queued.
    jobs.close();
    while let Some(work) = jobs.recv().await {
        sleep(work).await;
        summary.handled += 1;
    }
    summary
}
// ANCHOR_END: worker

// ANCHOR: run
/// Queues `jobs` jobs that take `work` each, lets the worker run for `run_for`, then signals
/// shutdown.
pub async fn run(jobs: u32, work: Duration, run_for: Duration) -> Summary {
    let shutdown = CancellationToken::new();
    let (tx, rx) = mpsc::channel(64);
    let handle = tokio::spawn(worker(rx, shutdown.clone()));
    for _ in 0..jobs {
        tx.send(work).await.unwrap();
    }
    sleep(run_for).await;
    shutdown.cancel();
    // `tx` is still alive: the worker's drain ends because it closed the channel, not
    // because every sender is gone.
    handle.await.unwrap()
}
// ANCHOR_END: run

#[tokio::main]
async fn main() {
    // ANCHOR: main
    let summary = run(10, Duration::from_millis(1), Duration::from_millis(3)).await;
    // However the signal and the jobs interleaved, every job sent before it was handled.
    assert_eq!(summary.handled, 10);
    println!("shut down after handling all {} jobs", summary.handled);
    // ANCHOR_END: main
}
