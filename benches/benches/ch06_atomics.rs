//! Chapter 6: how much does a shared increment cost, as an atomic and behind a mutex?
//!
//! One iteration = every thread increments the shared counter once, so the reported
//! throughput is total increments per second across all threads.
//! Run with `cargo bench -p benches --bench ch06_atomics`.
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// Runs `increment` `iters` times on each of `threads` threads and returns the wall time.
fn run(threads: u64, iters: u64, increment: impl Fn() + Sync) -> Duration {
    let start = Instant::now();
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..iters {
                    increment();
                }
            });
        }
    });
    start.elapsed()
}

fn increments(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch06_increment");
    for threads in [1_u64, 2] {
        group.throughput(Throughput::Elements(threads));

        group.bench_with_input(
            BenchmarkId::new("atomic_relaxed", threads),
            &threads,
            |b, &t| {
                b.iter_custom(|iters| {
                    let counter = AtomicU64::new(0);
                    let time = run(t, iters, || {
                        counter.fetch_add(1, Ordering::Relaxed);
                    });
                    assert_eq!(counter.into_inner(), t * iters);
                    time
                })
            },
        );

        group.bench_with_input(
            BenchmarkId::new("atomic_seqcst", threads),
            &threads,
            |b, &t| {
                b.iter_custom(|iters| {
                    let counter = AtomicU64::new(0);
                    let time = run(t, iters, || {
                        counter.fetch_add(1, Ordering::SeqCst);
                    });
                    assert_eq!(counter.into_inner(), t * iters);
                    time
                })
            },
        );

        group.bench_with_input(BenchmarkId::new("mutex", threads), &threads, |b, &t| {
            b.iter_custom(|iters| {
                let counter = Mutex::new(0_u64);
                let time = run(t, iters, || *counter.lock().unwrap() += 1);
                assert_eq!(counter.into_inner().unwrap(), t * iters);
                time
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = increments
}
criterion_main!(benches);
