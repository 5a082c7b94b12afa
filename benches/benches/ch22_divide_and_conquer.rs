//! Chapter 22: divide and conquer, and where to stop dividing.
//! `cargo bench -p benches --bench ch22_divide_and_conquer`.
//! The sums and sorts are the chapter's listings themselves, included from the listings crate,
//! so the numbers are about the code the chapter shows.
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

// The listings' own `main`s and checks are not used here. The merge sort is the solution of
// the chapter's exercise, from the book's exercise set (its tests, compiled here without a test
// harness, leave imports unused).
#[allow(dead_code, unused_imports)]
#[path = "../../exercises/solutions/22_divide_and_conquer.rs"]
mod merge_sort;
#[allow(dead_code)]
#[path = "../../listings/src/bin/ch22_naive.rs"]
mod naive;
#[allow(dead_code)]
#[path = "../../listings/src/bin/ch22_quicksort.rs"]
mod quicksort;
#[allow(dead_code)]
#[path = "../../listings/src/bin/ch22_scoped.rs"]
mod scoped;
#[allow(dead_code)]
#[path = "../../listings/src/bin/ch22_sum.rs"]
mod sum;
use merge_sort::par_merge_sort;
use naive::naive_sum;
use quicksort::{par_quicksort, partition};
use scoped::scoped_sum;
use sum::parallel_sum;

fn pseudo_random(len: usize) -> Vec<u64> {
    quicksort::pseudo_random(len, u64::MAX)
}

/// Times `iters` calls of `f` on a thread of rayon's global pool: `rayon::scope` from outside
/// the pool hands its closure to a pool thread once, and the loop runs there.
fn time_inside_the_pool(iters: u64, mut f: impl FnMut() + Send) -> Duration {
    rayon::scope(|_| {
        let start = Instant::now();
        for _ in 0..iters {
            f();
        }
        start.elapsed()
    })
}

fn configure(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    g.sample_size(20).warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
}

fn bench(c: &mut Criterion) {
    // The global pool: two threads on the 2-core machine. Start it before timing.
    rayon::join(|| (), || ());

    // The first attempt, with its own parameters: 10_000 items, threshold 1_000.
    let small: Vec<i64> = (1..=10_000).collect();
    let small_arc = Arc::new(small.clone());
    assert_eq!(
        naive_sum(Arc::clone(&small_arc), 1_000),
        small.iter().sum::<i64>()
    );
    let mut g = c.benchmark_group("ch22_sum_10k");
    configure(&mut g);
    g.bench_function("sequential", |b| {
        b.iter(|| black_box(&small).iter().sum::<i64>())
    });
    g.bench_function("thread_per_split_with_copies", |b| {
        b.iter(|| naive_sum(Arc::clone(&small_arc), 1_000))
    });
    g.bench_function("join_no_copies", |b| {
        b.iter(|| parallel_sum(black_box(&small), 1_000))
    });
    // The same call, made from a thread of the pool instead of the benchmark's own thread.
    g.bench_function("join_no_copies_inside_the_pool", |b| {
        b.iter_custom(|iters| {
            time_inside_the_pool(iters, || {
                black_box(parallel_sum(black_box(&small), 1_000));
            })
        })
    });
    g.finish();

    // What one `join` costs with nothing to do: from outside the pool (the benchmark's
    // thread hands the job to the pool and blocks until it is done), and from inside it.
    let mut g = c.benchmark_group("ch22_empty_join");
    configure(&mut g);
    g.bench_function("from_outside_the_pool", |b| {
        b.iter(|| rayon::join(|| black_box(1u8), || black_box(2u8)))
    });
    g.bench_function("inside_the_pool", |b| {
        b.iter_custom(|iters| {
            time_inside_the_pool(iters, || {
                black_box(rayon::join(|| black_box(1u8), || black_box(2u8)));
            })
        })
    });
    g.finish();

    // Larger inputs: 1 Mi items (8 MiB, fits in the 32 MiB L3 cache) and 4 Mi items
    // (32 MiB, mostly from memory). Thresholds swept on the first.
    for (name, len, thresholds) in [
        (
            "ch22_sum_1m",
            1usize << 20,
            &[1usize << 10, 1 << 13, 1 << 16, 1 << 19][..],
        ),
        ("ch22_sum_4m", 4 << 20, &[1 << 16][..]),
    ] {
        let data: Vec<i64> = (0..len as i64).map(|x| x % 1_001 - 500).collect();
        let expected: i64 = data.iter().sum();
        let mut g = c.benchmark_group(name);
        configure(&mut g);
        g.bench_function("sequential", |b| {
            b.iter(|| black_box(&data).iter().sum::<i64>())
        });
        for &threshold in thresholds {
            assert_eq!(parallel_sum(&data, threshold), expected);
            g.bench_with_input(BenchmarkId::new("join", threshold), &threshold, |b, &t| {
                b.iter(|| parallel_sum(black_box(&data), t))
            });
        }
        assert_eq!(scoped_sum(&data, 1), expected);
        g.bench_function("scoped_depth_1", |b| {
            b.iter(|| scoped_sum(black_box(&data), 1))
        });
        assert_eq!(data.par_iter().sum::<i64>(), expected);
        g.bench_function("par_iter_sum", |b| {
            b.iter(|| black_box(&data).par_iter().sum::<i64>())
        });
        g.finish();
    }

    // Sorting 1 Mi random u64.
    let unsorted = pseudo_random(1 << 20);
    let mut sorted = unsorted.clone();
    sorted.sort_unstable();
    let mut g = c.benchmark_group("ch22_sort_1m");
    configure(&mut g);
    g.bench_function("sort_unstable", |b| {
        b.iter_batched_ref(
            || unsorted.clone(),
            |v| v.sort_unstable(),
            BatchSize::LargeInput,
        )
    });
    // One three-way partition of the whole input: the sequential first step of quicksort.
    g.bench_function("partition_only", |b| {
        b.iter_batched_ref(
            || unsorted.clone(),
            |v| partition(v.as_mut_slice()),
            BatchSize::LargeInput,
        )
    });
    for threshold in [1 << 14, 1 << 18] {
        let mut v = unsorted.clone();
        par_quicksort(&mut v, threshold);
        assert_eq!(v, sorted);
        g.bench_with_input(
            BenchmarkId::new("par_quicksort", threshold),
            &threshold,
            |b, &t| {
                b.iter_batched_ref(
                    || unsorted.clone(),
                    |v| par_quicksort(v, t),
                    BatchSize::LargeInput,
                )
            },
        );
    }
    for threshold in [1 << 16, 1 << 18] {
        let mut v = unsorted.clone();
        par_merge_sort(&mut v, threshold);
        assert_eq!(v, sorted);
        g.bench_with_input(
            BenchmarkId::new("par_merge_sort", threshold),
            &threshold,
            |b, &t| {
                b.iter_batched_ref(
                    || unsorted.clone(),
                    |v| par_merge_sort(v, t),
                    BatchSize::LargeInput,
                )
            },
        );
    }
    g.bench_function("par_sort_unstable", |b| {
        b.iter_batched_ref(
            || unsorted.clone(),
            |v| v.par_sort_unstable(),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
