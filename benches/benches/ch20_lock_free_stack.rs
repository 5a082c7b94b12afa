//! Chapter 20: the epoch-based lock-free stack against a `Mutex<Vec<T>>`, under contention.
//!
//! One element of throughput = one push followed by one pop, on one thread. Every thread does
//! the same number of pairs on one shared stack; the time is the wall time until all finish.
//! The stack is the listing itself, included from the listings crate.
//! Run with `cargo bench -p benches --bench ch20_lock_free_stack`.
use std::hint::black_box;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[allow(dead_code)] // the listing's own `main` is not used here
#[path = "../../listings/src/bin/ch20_epoch_stack.rs"]
mod epoch_stack;
use epoch_stack::Stack;

/// Runs `pairs` push/pop pairs on each of `threads` threads and returns the wall time.
fn run(
    threads: u64,
    pairs: u64,
    push: impl Fn(u64) + Sync,
    pop: impl Fn() -> Option<u64> + Sync,
) -> Duration {
    let start = Instant::now();
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for i in 0..pairs {
                    push(i);
                    // Never empty here: this thread pushed first, and pops only once per push.
                    black_box(pop().expect("just pushed"));
                }
            });
        }
    });
    start.elapsed()
}

fn push_pop(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch20_push_pop");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for threads in [1_u64, 2, 4] {
        group.throughput(Throughput::Elements(threads));

        group.bench_with_input(
            BenchmarkId::new("epoch_stack", threads),
            &threads,
            |b, &t| {
                b.iter_custom(|iters| {
                    let stack = Stack::new();
                    run(t, iters, |v| stack.push(v), || stack.pop())
                })
            },
        );

        group.bench_with_input(BenchmarkId::new("mutex_vec", threads), &threads, |b, &t| {
            b.iter_custom(|iters| {
                let stack = Mutex::new(Vec::new());
                run(
                    t,
                    iters,
                    |v| stack.lock().unwrap().push(v),
                    || stack.lock().unwrap().pop(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, push_pop);
criterion_main!(benches);
