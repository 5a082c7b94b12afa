//! Chapter 17, listing 3: a worker loop that stops on a shutdown signal, and finishes the
//! work already queued.
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

pub async fn worker(mut jobs: mpsc::Receiver<u32>, shutdown: CancellationToken) -> Summary {
    let mut summary = Summary {
        handled: 0,
        flushes: 0,
    };
    let mut flush = interval(Duration::from_millis(10));
    flush.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        select! {
            // Check the branches in order, not at random: shutdown first.
            biased;
            _ = shutdown.cancelled() => break,
            job = jobs.recv() => match job {
                Some(_job) => summary.handled += 1,
                None => break, // every sender is gone: nothing more will come
            },
            _ = flush.tick() => summary.flushes += 1,
        }
    }
    // Graceful: accept nothing new, but finish what was already queued.
    jobs.close();
    while let Some(_job) = jobs.recv().await {
        summary.handled += 1;
    }
    summary
}
// ANCHOR_END: worker

// ANCHOR: run
/// Sends `jobs` jobs, lets the worker run for `run_for`, then signals shutdown.
pub async fn run(jobs: u32, run_for: Duration) -> Summary {
    let shutdown = CancellationToken::new();
    let (tx, rx) = mpsc::channel(64);
    let handle = tokio::spawn(worker(rx, shutdown.clone()));
    for job in 0..jobs {
        tx.send(job).await.unwrap();
    }
    sleep(run_for).await;
    shutdown.cancel();
    let summary = handle.await.unwrap();
    // The worker closed its receiver on the way out.
    assert!(tx.send(99).await.is_err());
    summary
}
// ANCHOR_END: run

#[tokio::main]
async fn main() {
    // ANCHOR: main
    let summary = run(10, Duration::from_millis(3)).await;
    // However the signal and the jobs interleaved, every job sent before it was handled.
    assert_eq!(summary.handled, 10);
    println!("shut down after handling all {} jobs", summary.handled);
    // ANCHOR_END: main
}
