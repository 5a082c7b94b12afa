//! Chapter 25: the chapter's thread pool against rayon's, on many tiny tasks.
//!
//! One iteration = submit TASKS tiny tasks and wait until all have run; the reported
//! throughput is tasks per second. Every pool has as many threads as the machine has cores,
//! and is built outside the timed region.
//! The chapter's pool is the listing itself, included from the listings crate.
//! Run with `cargo bench -p benches --bench ch25_thread_pools`.
use std::hint::black_box;
use std::num::NonZeroUsize;
use std::thread;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use crossbeam::channel;
use rayon::prelude::*;

#[allow(dead_code)] // the listing's own `main`, `spawn` and `TaskHandle` are not used here
#[path = "../../listings/src/bin/ch25_pool.rs"]
mod pool;
use pool::ThreadPool;

const TASKS: u64 = 10_000;

/// A few nanoseconds of work that the optimiser cannot remove.
fn tiny(i: u64) -> u64 {
    black_box(i)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(7)
}

fn pools(c: &mut Criterion) {
    let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let ours = ThreadPool::new(cores);
    let rayon_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .build()
        .unwrap();

    let mut group = c.benchmark_group("ch25_tiny_tasks");
    group
        .throughput(Throughput::Elements(TASKS))
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));

    // Each task sends its result back on a channel; the caller waits for all of them.
    group.bench_function("our_pool_execute", |b| {
        b.iter(|| {
            let (done, results) = channel::unbounded();
            for i in 0..TASKS {
                let done = done.clone();
                ours.execute(move || done.send(tiny(i)).unwrap());
            }
            drop(done);
            results.iter().fold(0, u64::wrapping_add)
        })
    });

    // The same shape on rayon's pool: `spawn` from outside goes through its global queue.
    group.bench_function("rayon_spawn", |b| {
        b.iter(|| {
            let (done, results) = channel::unbounded();
            for i in 0..TASKS {
                let done = done.clone();
                rayon_pool.spawn(move || done.send(tiny(i)).unwrap());
            }
            drop(done);
            results.iter().fold(0, u64::wrapping_add)
        })
    });

    // rayon's scope: spawned from inside the pool onto a worker's own deque, no channel;
    // the scope returns when every task has run.
    group.bench_function("rayon_scope_spawn", |b| {
        b.iter(|| {
            rayon_pool.scope(|s| {
                for i in 0..TASKS {
                    s.spawn(move |_| {
                        black_box(tiny(i));
                    });
                }
            })
        })
    });

    // Not one task per item at all: rayon splits the range into a few large pieces.
    group.bench_function("rayon_par_iter", |b| {
        b.iter(|| {
            rayon_pool.install(|| {
                (0..TASKS)
                    .into_par_iter()
                    .map(tiny)
                    .reduce(|| 0, u64::wrapping_add)
            })
        })
    });

    // No pool: a new thread per task.
    group.bench_function("thread_per_task", |b| {
        b.iter(|| {
            thread::scope(|s| {
                for i in 0..TASKS {
                    s.spawn(move || black_box(tiny(i)));
                }
            })
        })
    });
    group.finish();
}

criterion_group!(benches, pools);
criterion_main!(benches);
