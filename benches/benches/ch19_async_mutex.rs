//! Chapter 19: tasks updating shared state with a short critical section (never held across an
//! `.await`): `std::sync::Mutex` against `tokio::sync::Mutex`, and against sharing nothing.
//!
//! One iteration = 8 tasks on a 2-worker multi-threaded runtime, each adding 1 a thousand
//! times, so the reported throughput is increments per second. Three more variants take the
//! figures apart: the same 8,000 increments by a single task (so no lock is ever contended:
//! the cost of locking itself), and 8 tasks that do nothing (the cost of spawning and joining
//! them, which every multi-task variant pays).
//! Run with `cargo bench -p benches --bench ch19_async_mutex`.
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokio::runtime::{Builder, Runtime};
use tokio::task::JoinSet;

const TASKS: u64 = 8;
const INCREMENTS: u64 = 1_000;

async fn std_mutex() -> u64 {
    let counter = Arc::new(std::sync::Mutex::new(0_u64));
    let mut tasks = JoinSet::new();
    for _ in 0..TASKS {
        let counter = Arc::clone(&counter);
        tasks.spawn(async move {
            for _ in 0..INCREMENTS {
                *counter.lock().unwrap() += 1;
            }
        });
    }
    tasks.join_all().await;
    *counter.lock().unwrap()
}

async fn tokio_mutex() -> u64 {
    let counter = Arc::new(tokio::sync::Mutex::new(0_u64));
    let mut tasks = JoinSet::new();
    for _ in 0..TASKS {
        let counter = Arc::clone(&counter);
        tasks.spawn(async move {
            for _ in 0..INCREMENTS {
                *counter.lock().await += 1;
            }
        });
    }
    tasks.join_all().await;
    *counter.lock().await
}

/// The restructured version: each task counts on its own and hands back its count.
async fn share_nothing() -> u64 {
    let mut tasks = JoinSet::new();
    for _ in 0..TASKS {
        tasks.spawn(async move {
            let mut mine = 0_u64;
            for _ in 0..INCREMENTS {
                mine = std::hint::black_box(mine + 1);
            }
            mine
        });
    }
    tasks.join_all().await.into_iter().sum()
}

/// One task does all 8,000 increments under a std mutex: nobody else ever wants the lock.
async fn std_mutex_one_task() -> u64 {
    let counter = Arc::new(std::sync::Mutex::new(0_u64));
    let task = {
        let counter = Arc::clone(&counter);
        tokio::spawn(async move {
            for _ in 0..TASKS * INCREMENTS {
                *counter.lock().unwrap() += 1;
            }
        })
    };
    task.await.unwrap();
    *counter.lock().unwrap()
}

/// One task does all 8,000 increments under a tokio mutex: nobody else ever wants the lock.
async fn tokio_mutex_one_task() -> u64 {
    let counter = Arc::new(tokio::sync::Mutex::new(0_u64));
    let task = {
        let counter = Arc::clone(&counter);
        tokio::spawn(async move {
            for _ in 0..TASKS * INCREMENTS {
                *counter.lock().await += 1;
            }
        })
    };
    task.await.unwrap();
    *counter.lock().await
}

/// Spawns and joins the 8 tasks, which hand back their share without counting: the fixed
/// cost inside every multi-task variant.
async fn spawn_only() -> u64 {
    let mut tasks = JoinSet::new();
    for _ in 0..TASKS {
        tasks.spawn(async move { std::hint::black_box(INCREMENTS) });
    }
    tasks.join_all().await.into_iter().sum()
}

fn runtime() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap()
}

fn counters(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("ch19_counter");
    group.throughput(Throughput::Elements(TASKS * INCREMENTS));
    group.bench_function("std_mutex", |b| {
        b.to_async(&rt)
            .iter(|| async { assert_eq!(std_mutex().await, TASKS * INCREMENTS) })
    });
    group.bench_function("tokio_mutex", |b| {
        b.to_async(&rt)
            .iter(|| async { assert_eq!(tokio_mutex().await, TASKS * INCREMENTS) })
    });
    group.bench_function("share_nothing", |b| {
        b.to_async(&rt)
            .iter(|| async { assert_eq!(share_nothing().await, TASKS * INCREMENTS) })
    });
    group.bench_function("std_mutex_one_task", |b| {
        b.to_async(&rt)
            .iter(|| async { assert_eq!(std_mutex_one_task().await, TASKS * INCREMENTS) })
    });
    group.bench_function("tokio_mutex_one_task", |b| {
        b.to_async(&rt)
            .iter(|| async { assert_eq!(tokio_mutex_one_task().await, TASKS * INCREMENTS) })
    });
    group.bench_function("spawn_only", |b| {
        b.to_async(&rt)
            .iter(|| async { assert_eq!(spawn_only().await, TASKS * INCREMENTS) })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = counters
}
criterion_main!(benches);
