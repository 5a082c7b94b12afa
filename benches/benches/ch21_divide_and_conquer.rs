//! Chapter 21: divide and conquer, and where to stop dividing.
//! `cargo bench -p benches --bench ch21_divide_and_conquer`.
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::hint::black_box;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// The first attempt: copies both halves, two OS threads per split.
fn naive_sum(data: Arc<Vec<i64>>, threshold: usize) -> i64 {
    if data.len() <= threshold {
        return data.iter().sum();
    }
    let mid = data.len() / 2;
    let left = Arc::new(data[..mid].to_vec());
    let right = Arc::new(data[mid..].to_vec());
    let l = thread::spawn(move || naive_sum(left, threshold));
    let r = thread::spawn(move || naive_sum(right, threshold));
    l.join().unwrap() + r.join().unwrap()
}

fn parallel_sum(data: &[i64], threshold: usize) -> i64 {
    if data.len() <= threshold.max(1) {
        return data.iter().sum();
    }
    let (left, right) = data.split_at(data.len() / 2);
    let (l, r) = rayon::join(
        || parallel_sum(left, threshold),
        || parallel_sum(right, threshold),
    );
    l + r
}

fn scoped_sum(data: &[i64], depth: u32) -> i64 {
    if depth == 0 || data.len() < 2 {
        return data.iter().sum();
    }
    let (left, right) = data.split_at(data.len() / 2);
    thread::scope(|s| {
        let left = s.spawn(|| scoped_sum(left, depth - 1));
        let right = scoped_sum(right, depth - 1);
        left.join().unwrap() + right
    })
}

fn par_quicksort<T: Ord + Send>(v: &mut [T], threshold: usize) {
    if v.len() <= threshold.max(1) {
        v.sort_unstable();
        return;
    }
    let (lt, gt) = partition(v);
    let (smaller, rest) = v.split_at_mut(lt);
    let larger = &mut rest[gt - lt..];
    rayon::join(
        || par_quicksort(smaller, threshold),
        || par_quicksort(larger, threshold),
    );
}

fn partition<T: Ord>(v: &mut [T]) -> (usize, usize) {
    let (mid, last) = (v.len() / 2, v.len() - 1);
    if v[mid] < v[0] {
        v.swap(mid, 0);
    }
    if v[last] < v[0] {
        v.swap(last, 0);
    }
    if v[last] < v[mid] {
        v.swap(last, mid);
    }
    v.swap(0, mid);
    let (mut lt, mut i, mut gt) = (0, 1, v.len());
    while i < gt {
        match v[i].cmp(&v[lt]) {
            Ordering::Less => {
                v.swap(lt, i);
                lt += 1;
                i += 1;
            }
            Ordering::Greater => {
                gt -= 1;
                v.swap(i, gt);
            }
            Ordering::Equal => i += 1,
        }
    }
    (lt, gt)
}

/// The chapter's exercise: sort the halves in parallel, merge sequentially.
fn par_merge_sort<T: Ord + Copy + Send>(v: &mut [T], threshold: usize) {
    if v.len() <= threshold.max(1) {
        v.sort_unstable();
        return;
    }
    let mid = v.len() / 2;
    let (left, right) = v.split_at_mut(mid);
    rayon::join(
        || par_merge_sort(left, threshold),
        || par_merge_sort(right, threshold),
    );
    let mut merged = Vec::with_capacity(v.len());
    let (left, right) = v.split_at(mid);
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if right[j] < left[i] {
            merged.push(right[j]);
            j += 1;
        } else {
            merged.push(left[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
    v.copy_from_slice(&merged);
}

fn pseudo_random(len: usize) -> Vec<u64> {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        })
        .collect()
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
    let mut g = c.benchmark_group("ch21_sum_10k");
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
    g.finish();

    // Larger inputs: 1 Mi items (8 MiB, fits in the 32 MiB L3 cache) and 4 Mi items
    // (32 MiB, mostly from memory). Thresholds swept on the first.
    for (name, len, thresholds) in [
        (
            "ch21_sum_1m",
            1usize << 20,
            &[1usize << 10, 1 << 13, 1 << 16, 1 << 19][..],
        ),
        ("ch21_sum_4m", 4 << 20, &[1 << 16][..]),
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
    let mut g = c.benchmark_group("ch21_sort_1m");
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
