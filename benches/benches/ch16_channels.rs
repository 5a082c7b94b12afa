//! Chapter 16: is a tokio channel a good channel between two plain threads? The same workload as
//! chapter 3's benchmark (one producer thread sends `MESSAGES` integers through a channel of
//! `CAPACITY`, the receiving thread adds them up), through std's `sync_channel`, crossbeam's
//! `bounded`, and tokio's `mpsc::channel` driven by `blocking_send` and `blocking_recv`. For
//! comparison, tokio's channel in its own setting: a producer task and a consumer task on a
//! 2-worker runtime. Run with `cargo bench -p benches --bench ch16_channels`.
use std::hint::black_box;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokio::runtime::{Builder, Runtime};

const MESSAGES: u64 = 20_000;
const CAPACITY: usize = 64;

/// The sum every run must produce: 0 + 1 + ... + (MESSAGES - 1).
const EXPECTED: u64 = MESSAGES * (MESSAGES - 1) / 2;

fn std_bounded() -> u64 {
    let (tx, rx) = mpsc::sync_channel(CAPACITY);
    let producer = thread::spawn(move || {
        for n in 0..MESSAGES {
            tx.send(n).unwrap();
        }
    });
    let sum: u64 = rx.iter().sum();
    producer.join().unwrap();
    sum
}

fn crossbeam_bounded() -> u64 {
    let (tx, rx) = crossbeam::channel::bounded(CAPACITY);
    let producer = thread::spawn(move || {
        for n in 0..MESSAGES {
            tx.send(n).unwrap();
        }
    });
    let sum: u64 = rx.iter().sum();
    producer.join().unwrap();
    sum
}

/// Tokio's channel between two threads that are not the runtime's: no runtime needed at all.
fn tokio_blocking() -> u64 {
    let (tx, mut rx) = tokio::sync::mpsc::channel(CAPACITY);
    let producer = thread::spawn(move || {
        for n in 0..MESSAGES {
            tx.blocking_send(n).unwrap();
        }
    });
    let mut sum = 0;
    while let Some(n) = rx.blocking_recv() {
        sum += n;
    }
    producer.join().unwrap();
    sum
}

/// Tokio's channel between two tasks, where it belongs.
async fn tokio_tasks() -> u64 {
    let (tx, mut rx) = tokio::sync::mpsc::channel(CAPACITY);
    let producer = tokio::spawn(async move {
        for n in 0..MESSAGES {
            tx.send(n).await.unwrap();
        }
    });
    let consumer = tokio::spawn(async move {
        let mut sum = 0;
        while let Some(n) = rx.recv().await {
            sum += n;
        }
        sum
    });
    producer.await.unwrap();
    consumer.await.unwrap()
}

fn runtime() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap()
}

fn channels(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch16_channels");
    group.throughput(Throughput::Elements(MESSAGES));
    group.bench_function("std_sync_channel_64", |b| {
        b.iter(|| assert_eq!(black_box(std_bounded()), EXPECTED))
    });
    group.bench_function("crossbeam_bounded_64", |b| {
        b.iter(|| assert_eq!(black_box(crossbeam_bounded()), EXPECTED))
    });
    group.bench_function("tokio_mpsc_64_threads", |b| {
        b.iter(|| assert_eq!(black_box(tokio_blocking()), EXPECTED))
    });
    let rt = runtime();
    group.bench_function("tokio_mpsc_64_tasks", |b| {
        b.to_async(&rt)
            .iter(|| async { assert_eq!(black_box(tokio_tasks().await), EXPECTED) })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = channels
}
criterion_main!(benches);
