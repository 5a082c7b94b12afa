//! Chapter 3: std::sync::mpsc against crossbeam-channel, unbounded and bounded, with one and two
//! producers. Run with `cargo bench -p benches --bench ch03_channels`.
//!
//! One iteration spawns the producers, sends `MESSAGES` integers in total, receives and adds them
//! all up on the calling thread, and joins the producers. Thread creation is included; at 20,000
//! messages per iteration it is a small part of the time.
use std::hint::black_box;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const MESSAGES: u64 = 20_000;
const CAPACITY: usize = 64;

/// The sum every run must produce: 0 + 1 + ... + (MESSAGES - 1).
const EXPECTED: u64 = MESSAGES * (MESSAGES - 1) / 2;

/// Producer `p` of `producers` sends every number congruent to `p` modulo `producers`.
fn numbers_for(p: u64, producers: u64) -> impl Iterator<Item = u64> {
    (p..MESSAGES).step_by(producers as usize)
}

/// Runs one iteration: `spawn_send` gets each producer's numbers and must send them, the
/// calling thread receives them with `recv_all`.
macro_rules! run {
    ($producers:expr, $tx:ident, $rx:ident, |$t:ident, $n:ident| $send:expr) => {{
        let producers = $producers as u64;
        thread::scope(|s| {
            for p in 0..producers {
                let $t = $tx.clone();
                s.spawn(move || {
                    for $n in numbers_for(p, producers) {
                        $send;
                    }
                });
            }
            drop($tx);
            let sum: u64 = $rx.iter().sum();
            assert_eq!(sum, EXPECTED);
            black_box(sum)
        })
    }};
}

fn std_unbounded(producers: usize) -> u64 {
    let (tx, rx) = mpsc::channel();
    run!(producers, tx, rx, |t, n| t.send(n).unwrap())
}

fn std_bounded(producers: usize) -> u64 {
    let (tx, rx) = mpsc::sync_channel(CAPACITY);
    run!(producers, tx, rx, |t, n| t.send(n).unwrap())
}

fn crossbeam_unbounded(producers: usize) -> u64 {
    let (tx, rx) = crossbeam::channel::unbounded();
    run!(producers, tx, rx, |t, n| t.send(n).unwrap())
}

fn crossbeam_bounded(producers: usize) -> u64 {
    let (tx, rx) = crossbeam::channel::bounded(CAPACITY);
    run!(producers, tx, rx, |t, n| t.send(n).unwrap())
}

/// One way to run an iteration: a name for the report, and the function that runs it.
type Flavour = (&'static str, fn(usize) -> u64);

fn channels(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch03_channels");
    group.throughput(Throughput::Elements(MESSAGES));
    let flavours: [Flavour; 4] = [
        ("std_unbounded", std_unbounded),
        ("std_bounded_64", std_bounded),
        ("crossbeam_unbounded", crossbeam_unbounded),
        ("crossbeam_bounded_64", crossbeam_bounded),
    ];
    for producers in [1, 2] {
        for (name, run) in flavours {
            group.bench_with_input(BenchmarkId::new(name, producers), &producers, |b, &p| {
                b.iter(|| run(p))
            });
        }
    }
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
