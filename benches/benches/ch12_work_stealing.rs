//! Chapter 12: static split vs shared queue vs work stealing (crossbeam deques) vs rayon,
//! on an uneven workload. `cargo bench -p benches --bench ch12_work_stealing`.
//! The shared queue and the work-stealing pool are the listings themselves, included from the
//! listings crate, so the numbers are about the code the chapter shows.
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use std::hint::black_box;
use std::thread;
use std::time::Duration;

#[allow(dead_code)] // the listing's own `main` and workload are not used here
#[path = "../../listings/src/bin/ch12_shared_queue.rs"]
mod shared_queue;
use shared_queue::{SharedQueue, run_all};

#[allow(dead_code)]
#[path = "../../listings/src/bin/ch12_work_stealing.rs"]
mod pool;

const THREADS: usize = 2;

/// `items` items; the first quarter costs 50 units each, the rest 1 unit.
#[derive(Clone, Copy)]
struct Load {
    items: usize,
    unit: u64,
}

impl Load {
    fn work(self, i: usize) -> u64 {
        let units = if i < self.items / 4 { 50 } else { 1 };
        (0..units * self.unit).fold(i as u64, |acc, k| black_box(acc.wrapping_mul(31) ^ k))
    }
}

fn sequential(load: Load) -> u64 {
    (0..load.items).fold(0u64, |acc, i| acc.wrapping_add(load.work(i)))
}

/// Each thread gets a contiguous share, fixed in advance.
fn static_split(load: Load) -> u64 {
    let share = load.items.div_ceil(THREADS);
    thread::scope(|s| {
        let hs: Vec<_> = (0..THREADS)
            .map(|t| {
                s.spawn(move || {
                    let end = ((t + 1) * share).min(load.items);
                    (t * share..end).fold(0u64, |acc, i| acc.wrapping_add(load.work(i)))
                })
            })
            .collect();
        hs.into_iter()
            .fold(0u64, |acc, h| acc.wrapping_add(h.join().unwrap()))
    })
}

/// The ceiling: two contiguous shares of equal *cost*, computed from the known costs.
/// The best a split fixed in advance can do on two threads; it shows what the machine allows.
fn balanced_split(load: Load) -> u64 {
    let units = |i: usize| if i < load.items / 4 { 50 } else { 1 };
    let total: u64 = (0..load.items).map(units).sum();
    let mut prefix = 0;
    let mid = (0..load.items)
        .position(|i| {
            prefix += units(i);
            prefix * 2 >= total
        })
        .map_or(load.items, |i| i + 1);
    let sum = |lo: usize, hi: usize| (lo..hi).fold(0u64, |acc, i| acc.wrapping_add(load.work(i)));
    thread::scope(|s| {
        let first = s.spawn(|| sum(0, mid));
        sum(mid, load.items).wrapping_add(first.join().unwrap())
    })
}

/// The chapter's shared queue (`SharedQueue` and `run_all`), one item per `pop`.
fn shared_queue(load: Load) -> u64 {
    let queue = SharedQueue::new(0..load.items);
    run_all(&queue, THREADS, |_, i| load.work(i)).1
}

/// The same queue holding pieces of `chunk` items: one `pop` per piece.
fn shared_queue_chunked(load: Load, chunk: usize) -> u64 {
    let pieces = (0..load.items)
        .step_by(chunk)
        .map(|lo| lo..(lo + chunk).min(load.items));
    let queue = SharedQueue::new(pieces);
    run_all(&queue, THREADS, |_, piece| {
        piece.fold(0u64, |acc, i| acc.wrapping_add(load.work(i)))
    })
    .1
}

/// The chapter's work-stealing pool, splitting jobs down to `grain` items.
fn work_stealing(load: Load, grain: usize) -> u64 {
    pool::work_stealing(load.items, grain, THREADS, |i| load.work(i))
        .iter()
        .fold(0u64, |acc, st| acc.wrapping_add(st.checksum))
}

fn with_rayon(pool: &rayon::ThreadPool, load: Load) -> u64 {
    pool.install(|| {
        (0..load.items)
            .into_par_iter()
            .map(|i| load.work(i))
            .reduce(|| 0, u64::wrapping_add)
    })
}

/// The same, with pieces of at most `max_len` items, however the stealing goes.
fn with_rayon_max_len(pool: &rayon::ThreadPool, load: Load, max_len: usize) -> u64 {
    pool.install(|| {
        (0..load.items)
            .into_par_iter()
            .with_max_len(max_len)
            .map(|i| load.work(i))
            .reduce(|| 0, u64::wrapping_add)
    })
}

fn bench(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .unwrap();
    let loads = [
        (
            "coarse",
            Load {
                items: 1024,
                unit: 1_500,
            },
        ),
        (
            "fine",
            Load {
                items: 262_144,
                unit: 4,
            },
        ),
    ];
    for (name, load) in loads {
        let expected = sequential(load);
        let grain = (load.items / 256).max(1);
        assert_eq!(static_split(load), expected);
        assert_eq!(balanced_split(load), expected);
        assert_eq!(shared_queue(load), expected);
        assert_eq!(shared_queue_chunked(load, grain), expected);
        assert_eq!(work_stealing(load, grain), expected);
        assert_eq!(with_rayon(&pool, load), expected);
        assert_eq!(with_rayon_max_len(&pool, load, grain), expected);

        let mut g = c.benchmark_group(format!("ch12_{name}"));
        g.sample_size(20).warm_up_time(Duration::from_millis(500));
        g.measurement_time(Duration::from_secs(2));
        g.bench_function("sequential", |b| b.iter(|| sequential(black_box(load))));
        g.bench_function("static_split", |b| b.iter(|| static_split(black_box(load))));
        g.bench_function("balanced_split", |b| {
            b.iter(|| balanced_split(black_box(load)))
        });
        g.bench_function("shared_queue", |b| b.iter(|| shared_queue(black_box(load))));
        g.bench_function(BenchmarkId::new("shared_queue_chunked", grain), |b| {
            b.iter(|| shared_queue_chunked(black_box(load), grain))
        });
        g.bench_function(BenchmarkId::new("work_stealing", grain), |b| {
            b.iter(|| work_stealing(black_box(load), grain))
        });
        g.bench_function("rayon", |b| b.iter(|| with_rayon(&pool, black_box(load))));
        g.bench_function(BenchmarkId::new("rayon_with_max_len", grain), |b| {
            b.iter(|| with_rayon_max_len(&pool, black_box(load), grain))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
