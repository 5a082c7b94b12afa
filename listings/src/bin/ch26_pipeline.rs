//! Chapter 26, listing 3: a pipeline of stages joined by bounded channels.
use crossbeam::channel::{self, Receiver, Sender};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread;

const ITEMS: u64 = 10_000;
const CAPACITY: usize = 16;
const WORKERS: usize = 2;

fn collatz_steps(mut n: u64) -> u32 {
    let mut steps = 0;
    while n != 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        steps += 1;
    }
    steps
}

// ANCHOR: stages
/// Stage 1: produce the numbers, counting each one as it enters the pipeline.
fn generate(out: Sender<u64>, entered: &AtomicUsize) {
    for n in 1..=ITEMS {
        entered.fetch_add(1, SeqCst);
        if out.send(n).is_err() {
            return;
        }
    }
}

/// Stage 2, on several threads: the expensive part.
fn compute(input: Receiver<u64>, out: Sender<(u64, u32)>) {
    for n in input {
        if out.send((n, collatz_steps(n))).is_err() {
            return;
        }
    }
}

/// Stage 3: turn each result into a line of the report.
fn render(input: Receiver<(u64, u32)>, out: Sender<String>) {
    for (n, steps) in input {
        if out.send(format!("{n:>6} takes {steps:>3} steps")).is_err() {
            return;
        }
    }
}
// ANCHOR_END: stages

fn main() {
    // ANCHOR: pipeline
    let entered = AtomicUsize::new(0);
    let (numbers_tx, numbers_rx) = channel::bounded(CAPACITY);
    let (steps_tx, steps_rx) = channel::bounded(CAPACITY);
    let (lines_tx, lines_rx) = channel::bounded(CAPACITY);

    let mut most_in_flight = 0;
    let lines = thread::scope(|s| {
        let entered = &entered;
        s.spawn(move || generate(numbers_tx, entered));
        for _ in 0..WORKERS {
            let (input, out) = (numbers_rx.clone(), steps_tx.clone());
            s.spawn(move || compute(input, out));
        }
        drop((numbers_rx, steps_tx));
        s.spawn(move || render(steps_rx, lines_tx));

        // The sink, on this thread. Each channel holds at most CAPACITY items, so however
        // slow the sink is, the stages before it can only get so far ahead of it.
        let mut lines = Vec::new();
        for line in lines_rx {
            lines.push(line);
            // Every item received was counted before it was sent, so this cannot underflow.
            let in_flight = entered.load(SeqCst) - lines.len();
            most_in_flight = most_in_flight.max(in_flight);
        }
        lines
    });

    let mut sorted = lines;
    sorted.sort_unstable();
    let sequential: Vec<String> = (1..=ITEMS)
        .map(|n| format!("{n:>6} takes {:>3} steps", collatz_steps(n)))
        .collect();
    assert_eq!(sorted, sequential, "every number came out exactly once");
    println!("{} lines, equal to the sequential run", sorted.len());

    // Three full channels, plus one item in the hands of each stage thread before the sink.
    let bound = 3 * CAPACITY + 1 + WORKERS + 1;
    println!("at most {most_in_flight} items were in flight (bound: {bound})");
    assert!(most_in_flight <= bound);
    // ANCHOR_END: pipeline
}
