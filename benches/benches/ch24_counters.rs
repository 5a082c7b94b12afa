//! Chapter 24: a shared counter four ways, at 1, 2 and 4 threads.
//!
//! One iteration = every thread increments once, so the reported throughput is total
//! increments per second across all threads. Threads are spawned before the clock starts
//! and wait at a barrier; the span timed runs from the first thread starting its increments
//! to the last one finishing them.
//! Run with `cargo bench -p benches --bench ch24_counters`.
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use crossbeam::utils::CachePadded;

// ANCHOR: timed
/// Runs `work(thread_index, iters)` on `threads` threads and times only the work: from the
/// first thread starting its increments to the last one finishing them. Each thread reads
/// the clock itself, so a thread (or `main`) that is scheduled late cannot shorten the
/// measured span.
fn timed(threads: usize, iters: u64, work: impl Fn(usize, u64) + Sync) -> Duration {
    let start_line = Barrier::new(threads);
    let spans: Vec<(Instant, Instant)> = thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (start_line, work) = (&start_line, &work);
                s.spawn(move || {
                    start_line.wait();
                    let start = Instant::now();
                    work(t, iters);
                    (start, Instant::now())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let first_start = spans.iter().map(|&(start, _)| start).min().unwrap();
    let last_end = spans.iter().map(|&(_, end)| end).max().unwrap();
    last_end - first_start
}
// ANCHOR_END: timed

fn counters(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch24_counter");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));

    for threads in [1_usize, 2, 4] {
        group.throughput(Throughput::Elements(threads as u64));

        group.bench_with_input(BenchmarkId::new("mutex", threads), &threads, |b, &t| {
            b.iter_custom(|iters| {
                let counter = Mutex::new(0_u64);
                let time = timed(t, iters, |_, n| {
                    for _ in 0..n {
                        *counter.lock().unwrap() += 1;
                    }
                });
                assert_eq!(counter.into_inner().unwrap(), t as u64 * iters);
                time
            })
        });

        // ANCHOR: atomic
        group.bench_with_input(BenchmarkId::new("atomic", threads), &threads, |b, &t| {
            b.iter_custom(|iters| {
                let counter = AtomicU64::new(0);
                let time = timed(t, iters, |_, n| {
                    for _ in 0..n {
                        counter.fetch_add(1, Relaxed);
                    }
                });
                assert_eq!(counter.into_inner(), t as u64 * iters);
                time
            })
        });
        // ANCHOR_END: atomic

        // One atomic per thread, but side by side: eight of them share a 64-byte line.
        group.bench_with_input(
            BenchmarkId::new("sharded_unpadded", threads),
            &threads,
            |b, &t| {
                b.iter_custom(|iters| {
                    let shards: Vec<AtomicU64> = (0..t).map(|_| AtomicU64::new(0)).collect();
                    let time = timed(t, iters, |me, n| {
                        for _ in 0..n {
                            shards[me].fetch_add(1, Relaxed);
                        }
                    });
                    let total: u64 = shards.iter().map(|s| s.load(Relaxed)).sum();
                    assert_eq!(total, t as u64 * iters);
                    time
                })
            },
        );

        group.bench_with_input(
            BenchmarkId::new("sharded_padded", threads),
            &threads,
            |b, &t| {
                b.iter_custom(|iters| {
                    let shards: Vec<CachePadded<AtomicU64>> = (0..t)
                        .map(|_| CachePadded::new(AtomicU64::new(0)))
                        .collect();
                    let time = timed(t, iters, |me, n| {
                        for _ in 0..n {
                            shards[me].fetch_add(1, Relaxed);
                        }
                    });
                    let total: u64 = shards.iter().map(|s| s.load(Relaxed)).sum();
                    assert_eq!(total, t as u64 * iters);
                    time
                })
            },
        );

        group.bench_with_input(
            BenchmarkId::new("local_then_merge", threads),
            &threads,
            |b, &t| {
                b.iter_custom(|iters| {
                    let total = AtomicU64::new(0);
                    let time = timed(t, iters, |_, n| {
                        let mut local = 0_u64;
                        for _ in 0..n {
                            // black_box keeps the loop a loop: without it the compiler
                            // would replace it with `local = n`.
                            local = black_box(local) + 1;
                        }
                        total.fetch_add(local, Relaxed);
                    });
                    assert_eq!(total.into_inner(), t as u64 * iters);
                    time
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, counters);
criterion_main!(benches);
