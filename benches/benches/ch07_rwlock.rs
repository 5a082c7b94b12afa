//! Chapter 7: does an `RwLock` beat a `Mutex` for read-heavy work?
//!
//! Two threads share a `Vec<u64>`. A read sums it; a write bumps one element. One iteration =
//! each thread does one operation, so throughput is operations per second over both threads.
//! Run with `cargo bench -p benches --bench ch07_rwlock`.
use std::hint::black_box;
use std::sync::{Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const THREADS: u64 = 2;

/// The three locks under test, behind one interface.
trait Lock: Sync {
    fn new(len: usize) -> Self;
    fn read_sum(&self) -> u64;
    fn bump(&self, i: usize);
}

impl Lock for Mutex<Vec<u64>> {
    fn new(len: usize) -> Self {
        Mutex::new(vec![1; len])
    }
    fn read_sum(&self) -> u64 {
        self.lock().unwrap().iter().sum()
    }
    fn bump(&self, i: usize) {
        let mut v = self.lock().unwrap();
        let n = v.len();
        v[i % n] += 1;
    }
}

impl Lock for RwLock<Vec<u64>> {
    fn new(len: usize) -> Self {
        RwLock::new(vec![1; len])
    }
    fn read_sum(&self) -> u64 {
        self.read().unwrap().iter().sum()
    }
    fn bump(&self, i: usize) {
        let mut v = self.write().unwrap();
        let n = v.len();
        v[i % n] += 1;
    }
}

impl Lock for parking_lot::RwLock<Vec<u64>> {
    fn new(len: usize) -> Self {
        parking_lot::RwLock::new(vec![1; len])
    }
    fn read_sum(&self) -> u64 {
        self.read().iter().sum()
    }
    fn bump(&self, i: usize) {
        let mut v = self.write();
        let n = v.len();
        v[i % n] += 1;
    }
}

/// One workload: how long the protected vector is, and one write in every `write_every` ops.
#[derive(Clone, Copy)]
struct Workload {
    name: &'static str,
    len: usize,
    write_every: u64,
}

/// Each of `THREADS` threads does `iters` operations on a fresh lock; returns the wall time.
fn run<L: Lock>(w: Workload, iters: u64) -> Duration {
    let lock = L::new(w.len);
    let start = Instant::now();
    thread::scope(|s| {
        for t in 0..THREADS {
            let lock = &lock;
            s.spawn(move || {
                for i in 0..iters {
                    // Stagger the threads so that their writes do not line up.
                    if (i + t * 7) % w.write_every == 0 {
                        lock.bump(i as usize);
                    } else {
                        black_box(lock.read_sum());
                    }
                }
            });
        }
    });
    start.elapsed()
}

fn rwlock_vs_mutex(c: &mut Criterion) {
    let workloads = [
        Workload {
            name: "read_heavy_short", // 99% reads of 8 elements
            len: 8,
            write_every: 100,
        },
        Workload {
            name: "write_heavy_short", // 50% writes, 8 elements
            len: 8,
            write_every: 2,
        },
        Workload {
            name: "read_heavy_long", // 99% reads of 4096 elements
            len: 4096,
            write_every: 100,
        },
    ];
    for w in workloads {
        let mut group = c.benchmark_group(format!("ch07_{}", w.name));
        group.throughput(Throughput::Elements(THREADS));
        group.bench_function(BenchmarkId::from_parameter("std_mutex"), |b| {
            b.iter_custom(|iters| run::<Mutex<Vec<u64>>>(w, iters))
        });
        group.bench_function(BenchmarkId::from_parameter("std_rwlock"), |b| {
            b.iter_custom(|iters| run::<RwLock<Vec<u64>>>(w, iters))
        });
        group.bench_function(BenchmarkId::from_parameter("parking_lot_rwlock"), |b| {
            b.iter_custom(|iters| run::<parking_lot::RwLock<Vec<u64>>>(w, iters))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = rwlock_vs_mutex
}
criterion_main!(benches);
