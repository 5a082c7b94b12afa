//! Chapter 12: static split vs shared queue vs work stealing (crossbeam deques) vs rayon,
//! on an uneven workload. `cargo bench -p benches --bench ch12_work_stealing`.
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossbeam::deque::{Injector, Steal, Stealer, Worker};
use crossbeam::utils::Backoff;
use rayon::prelude::*;
use std::collections::VecDeque;
use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

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
/// No scheduler can beat this on two threads; it shows what the machine allows.
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

/// One `Mutex<VecDeque>`, one item per pop.
fn shared_queue(load: Load) -> u64 {
    let queue = Mutex::new((0..load.items).collect::<VecDeque<_>>());
    thread::scope(|s| {
        let hs: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    let mut acc = 0u64;
                    loop {
                        let next = queue.lock().unwrap().pop_front();
                        let Some(i) = next else { break acc };
                        acc = acc.wrapping_add(load.work(i));
                    }
                })
            })
            .collect();
        hs.into_iter()
            .fold(0u64, |acc, h| acc.wrapping_add(h.join().unwrap()))
    })
}

struct Job {
    lo: usize,
    hi: usize,
}

fn find_job<T>(local: &Worker<T>, injector: &Injector<T>, siblings: &[&Stealer<T>]) -> Option<T> {
    if let Some(job) = local.pop() {
        return Some(job);
    }
    loop {
        match injector.steal_batch_and_pop(local) {
            Steal::Success(job) => return Some(job),
            Steal::Retry => continue,
            Steal::Empty => {}
        }
        let mut retry = false;
        for sibling in siblings {
            match sibling.steal() {
                Steal::Success(job) => return Some(job),
                Steal::Retry => retry = true,
                Steal::Empty => {}
            }
        }
        if !retry {
            return None;
        }
    }
}

/// Per-worker LIFO deques; jobs split in halves down to `grain` items.
fn work_stealing(load: Load, grain: usize) -> u64 {
    let injector = Injector::new();
    injector.push(Job {
        lo: 0,
        hi: load.items,
    });
    let pending = AtomicUsize::new(1);
    let locals: Vec<Worker<Job>> = (0..THREADS).map(|_| Worker::new_lifo()).collect();
    let stealers: Vec<Stealer<Job>> = locals.iter().map(Worker::stealer).collect();
    thread::scope(|s| {
        let hs: Vec<_> = locals
            .into_iter()
            .enumerate()
            .map(|(me, local)| {
                let siblings: Vec<&Stealer<Job>> = (stealers.iter().enumerate())
                    .filter(|&(i, _)| i != me)
                    .map(|(_, st)| st)
                    .collect();
                let (injector, pending) = (&injector, &pending);
                s.spawn(move || {
                    let mut acc = 0u64;
                    let backoff = Backoff::new();
                    loop {
                        match find_job(&local, injector, &siblings) {
                            Some(mut job) => {
                                while job.hi - job.lo > grain {
                                    let mid = job.lo + (job.hi - job.lo) / 2;
                                    pending.fetch_add(1, Ordering::Relaxed);
                                    local.push(Job {
                                        lo: mid,
                                        hi: job.hi,
                                    });
                                    job.hi = mid;
                                }
                                for i in job.lo..job.hi {
                                    acc = acc.wrapping_add(load.work(i));
                                }
                                pending.fetch_sub(1, Ordering::Release);
                                backoff.reset();
                            }
                            None if pending.load(Ordering::Acquire) == 0 => break acc,
                            None => backoff.snooze(),
                        }
                    }
                })
            })
            .collect();
        hs.into_iter()
            .fold(0u64, |acc, h| acc.wrapping_add(h.join().unwrap()))
    })
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
