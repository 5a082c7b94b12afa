//! Chapter 17, listing 6: bounded concurrency with `buffer_unordered`, and the ordered
//! `buffered`. A counter of the futures in flight shows the bound.
use std::cell::Cell;
use std::time::Duration;

use futures::stream::{self, StreamExt};
use tokio::time::{Instant, sleep};

// ANCHOR: counter
/// How many jobs are running right now, and the most that ever were.
#[derive(Default)]
pub struct InFlight {
    now: Cell<usize>,
    max: Cell<usize>,
}

/// Counts a job as running from its first poll (when its body starts) until it is dropped,
/// finished or not.
struct Running<'a>(&'a InFlight);

impl InFlight {
    fn start(&self) -> Running<'_> {
        self.now.set(self.now.get() + 1);
        self.max.set(self.max.get().max(self.now.get()));
        Running(self)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.now.set(self.0.now.get() - 1);
    }
}
// ANCHOR_END: counter

// ANCHOR: job
/// A request that takes `ms` milliseconds, such as a call to another service.
async fn fetch(id: usize, ms: u64, in_flight: &InFlight) -> usize {
    let _running = in_flight.start();
    sleep(Duration::from_millis(ms)).await;
    id
}
// ANCHOR_END: job

/// What a run did: the order the results came out in, the most jobs at once, the time taken.
#[derive(Debug, PartialEq)]
pub struct Report {
    pub order: Vec<usize>,
    pub max_in_flight: usize,
    pub elapsed: Duration,
}

/// How long each job takes, in milliseconds: job 0 is slow.
pub const DURATIONS: [u64; 8] = [100, 10, 20, 30, 10, 20, 30, 10];

// ANCHOR: run
pub async fn run(limit: usize, ordered: bool) -> Report {
    let in_flight = InFlight::default();
    let start = Instant::now();
    // A stream of futures; none of them runs until buffer_unordered (or buffered) polls it.
    let jobs =
        stream::iter(DURATIONS.iter().enumerate()).map(|(id, &ms)| fetch(id, ms, &in_flight));
    let order: Vec<usize> = if ordered {
        jobs.buffered(limit).collect().await // results in the order of the jobs
    } else {
        jobs.buffer_unordered(limit).collect().await // results as they finish
    };
    Report {
        order,
        max_in_flight: in_flight.max.get(),
        elapsed: start.elapsed(),
    }
}
// ANCHOR_END: run

// ANCHOR: slow_consumer
/// Four jobs that each wait 10 ms, two at a time, and a consumer that spends `per_item` on each
/// result. Returns how long each job took, from its start until it ran again after its wait.
pub async fn slow_consumer(per_item: Duration) -> Vec<Duration> {
    let jobs = stream::iter(0..4).map(|_| async {
        let start = Instant::now();
        sleep(Duration::from_millis(10)).await;
        start.elapsed()
    });
    let mut results = jobs.buffer_unordered(2);
    let mut took = Vec::new();
    while let Some(job_took) = results.next().await {
        took.push(job_took);
        sleep(per_item).await; // slow work on the result: nothing polls the jobs meanwhile
    }
    took
}
// ANCHOR_END: slow_consumer

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    for (name, ordered) in [("buffer_unordered(3)", false), ("buffered(3)", true)] {
        let report = run(3, ordered).await;
        println!(
            "{name}: order {:?}, at most {} in flight, {} ms",
            report.order,
            report.max_in_flight,
            report.elapsed.as_millis()
        );
    }
    for per_item in [0, 50] {
        let took = slow_consumer(Duration::from_millis(per_item)).await;
        let longest = took.iter().max().unwrap().as_millis();
        println!("consumer busy {per_item} ms per item: the slowest 10 ms job took {longest} ms");
    }
    // ANCHOR_END: main
}
