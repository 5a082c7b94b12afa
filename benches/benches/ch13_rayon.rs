//! Chapter 13: what rayon buys on two cores, measured with a warm pool.
//! `cargo bench -p benches --bench ch13_rayon`.
//! `collatz_steps` and `pseudo_random` are the listings' own, included from the listings crate.
use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use std::hint::black_box;
use std::time::{Duration, Instant};

// The listings' own `main`s are not used here.
#[allow(dead_code)]
#[path = "../../listings/src/bin/ch13_par_iter.rs"]
mod par_iter;
#[allow(dead_code)]
#[path = "../../listings/src/bin/ch13_sort_join.rs"]
mod sort_join;
use par_iter::collatz_steps;

fn pseudo_random(len: usize, seed: u64) -> Vec<u64> {
    sort_join::pseudo_random(len, seed, u64::MAX)
}

/// A tempting "expensive" function. In a release build LLVM replaces the loop with a closed
/// formula, so each call costs a few nanoseconds.
fn closed_formula(n: u64) -> u64 {
    (0..n).map(|i| i * i).sum::<u64>() % 1000
}

fn bench(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    // Start the pool's threads before anything is timed (criterion's warm-up does it too).
    pool.install(|| (0..1000u64).into_par_iter().sum::<u64>());

    // The tempting workload: 1000 calls of `closed_formula`.
    let small: Vec<u64> = (1..=1000).collect();
    let seq: Vec<u64> = small.iter().map(|&x| closed_formula(x)).collect();
    let par: Vec<u64> = pool.install(|| small.par_iter().map(|&x| closed_formula(x)).collect());
    assert_eq!(par, seq);
    let mut g = c.benchmark_group("ch13_closed_formula");
    g.sample_size(20).warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    g.bench_function("sequential", |b| {
        b.iter(|| {
            black_box(&small)
                .iter()
                .map(|&x| closed_formula(x))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("par_iter", |b| {
        b.iter(|| {
            pool.install(|| {
                black_box(&small)
                    .par_iter()
                    .map(|&x| closed_formula(x))
                    .collect::<Vec<_>>()
            })
        })
    });
    // The same parallel call made from a thread of the pool: no hand-over from the
    // benchmark's thread to the pool and back, only the splitting and the stealing.
    g.bench_function("par_iter_inside_the_pool", |b| {
        b.iter_custom(|iters| {
            pool.install(|| {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(
                        black_box(&small)
                            .par_iter()
                            .map(|&x| closed_formula(x))
                            .collect::<Vec<_>>(),
                    );
                }
                start.elapsed()
            })
        })
    });
    g.finish();

    // A workload worth parallelising: Collatz steps of 1..=100_000, summed.
    let numbers: Vec<u64> = (1..=100_000).collect();
    let seq: u64 = numbers.iter().map(|&n| u64::from(collatz_steps(n))).sum();
    let par: u64 = pool.install(|| {
        numbers
            .par_iter()
            .map(|&n| u64::from(collatz_steps(n)))
            .sum()
    });
    assert_eq!(par, seq);
    let mut g = c.benchmark_group("ch13_collatz_100k");
    g.sample_size(20).warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("sequential", |b| {
        b.iter(|| {
            black_box(&numbers)
                .iter()
                .map(|&n| u64::from(collatz_steps(n)))
                .sum::<u64>()
        })
    });
    g.bench_function("par_iter", |b| {
        b.iter(|| {
            pool.install(|| {
                black_box(&numbers)
                    .par_iter()
                    .map(|&n| u64::from(collatz_steps(n)))
                    .sum::<u64>()
            })
        })
    });
    g.finish();

    // Sorting a million random u64.
    let data = pseudo_random(1_000_000, 42);
    let mut g = c.benchmark_group("ch13_sort_1m");
    g.sample_size(20).warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("sort_unstable", |b| {
        b.iter_batched_ref(
            || data.clone(),
            |v| v.sort_unstable(),
            criterion::BatchSize::LargeInput,
        )
    });
    // The same parallel algorithm on a one-thread pool: its speed-up, separated from the
    // difference between rayon's sort and std's.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    g.bench_function("par_sort_unstable_1_thread", |b| {
        b.iter_batched_ref(
            || data.clone(),
            |v| one.install(|| v.par_sort_unstable()),
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function("par_sort_unstable", |b| {
        b.iter_batched_ref(
            || data.clone(),
            |v| pool.install(|| v.par_sort_unstable()),
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
