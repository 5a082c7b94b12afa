//! Chapter 15: how long a trivial request waits for a runtime thread while CPU-bound jobs are in
//! flight, with the jobs run inline in async tasks, on `spawn_blocking`, or on a rayon pool that
//! answers through a `oneshot` channel.
//!
//! The server is a 2-worker multi-threaded runtime (the machine has 2 cores). A feeder thread
//! keeps exactly JOBS CPU jobs in flight at all times: each job is a task spawned on the runtime,
//! which runs a fixed computation (about a millisecond on an idle core) in the way the variant
//! says, and the feeder spawns the next job as soon as one finishes. While that load runs, the
//! measured routine issues one trivial request, a task that only reads the clock, and records the
//! time from spawning it to its first poll. That is all that is timed: the queueing delay a
//! request sees, not the jobs' own time and not the wake-up of the thread that asked.
//!
//! Run with `cargo bench -p benches --bench ch15_cpu_work`, or `cargo xtask bench ch15_cpu_work`
//! to record the results.
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use tokio::runtime::{Builder, Runtime};
use tokio::sync::oneshot;

/// The CPU-bound job: a fixed amount of arithmetic, about a millisecond on an idle core.
fn cpu_job() -> u64 {
    let mut x = black_box(0x9E37_79B9_7F4A_7C15_u64);
    let mut sum = 0_u64;
    for _ in 0..400_000 {
        // xorshift64: cheap, and the compiler cannot skip it.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sum = sum.wrapping_add(x);
    }
    sum
}

#[derive(Clone, Copy)]
enum Where {
    /// The job runs inside the async task, on a runtime worker.
    Inline,
    /// The task hands the job to tokio's blocking pool and awaits it.
    SpawnBlocking,
    /// The task hands the job to rayon's global pool (one thread per core) and awaits a
    /// `oneshot` answer.
    Rayon,
}

async fn run_job(place: Where) -> u64 {
    match place {
        Where::Inline => cpu_job(),
        Where::SpawnBlocking => tokio::task::spawn_blocking(cpu_job).await.unwrap(),
        Where::Rayon => {
            let (tx, rx) = oneshot::channel();
            rayon::spawn(move || {
                let _ = tx.send(cpu_job());
            });
            rx.await.unwrap()
        }
    }
}

/// Keeps `jobs` jobs in flight on `rt` until `stop` is set, from a thread of its own (so that
/// the feeding never waits for a runtime worker); returns that thread's handle.
fn start_load(
    rt: &Runtime,
    place: Where,
    jobs: usize,
    stop: Arc<AtomicBool>,
) -> thread::JoinHandle<()> {
    let handle = rt.handle().clone();
    thread::spawn(move || {
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let spawn_one = |done: mpsc::Sender<()>| {
            handle.spawn(async move {
                black_box(run_job(place).await);
                let _ = done.send(());
            });
        };
        for _ in 0..jobs {
            spawn_one(done_tx.clone());
        }
        let mut in_flight = jobs;
        while in_flight > 0 {
            done_rx.recv().unwrap();
            in_flight -= 1;
            if !stop.load(Ordering::Relaxed) {
                spawn_one(done_tx.clone());
                in_flight += 1;
            }
        }
    })
}

/// The measured routine: the time from spawning a trivial task to its first poll.
fn request_latency(rt: &Runtime, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let issued = Instant::now();
        let started = rt.block_on(rt.spawn(async { Instant::now() })).unwrap();
        total += started.duration_since(issued);
    }
    total
}

fn server() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn latency(c: &mut Criterion) {
    {
        let rt = server();
        let mut group = c.benchmark_group("ch15_cpu_work_no_jobs");
        group.bench_function("idle", |b| {
            b.iter_custom(|iters| request_latency(&rt, iters))
        });
        group.finish();
    }

    for jobs in [2, 8] {
        let mut group = c.benchmark_group(format!("ch15_cpu_work_{jobs}_jobs"));
        for (name, place) in [
            ("inline", Where::Inline),
            ("spawn_blocking", Where::SpawnBlocking),
            ("rayon", Where::Rayon),
        ] {
            let rt = server();
            let stop = Arc::new(AtomicBool::new(false));
            let feeder = start_load(&rt, place, jobs, Arc::clone(&stop));
            group.bench_function(name, |b| b.iter_custom(|iters| request_latency(&rt, iters)));
            stop.store(true, Ordering::Relaxed);
            feeder.join().unwrap();
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = latency
}
criterion_main!(benches);
