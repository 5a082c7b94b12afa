//! Chapter 25, listing 3: a pipeline of stages joined by bounded channels.
use crossbeam::channel::{self, Receiver, Sender};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread;

const ITEMS: u64 = 50_000;
const CAPACITY: usize = 16;
const WORKERS: usize = 2;

fn collatz_steps(mut n: u64) -> u32 {
    let mut steps = 0;
    while n != 1 {
        n = if n.is_multiple_of(2) { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

/// Items that have entered the pipeline, and items that have left it (either way).
#[derive(Default)]
struct Flow {
    entered: AtomicUsize,
    left: AtomicUsize,
}

// ANCHOR: stages
/// Stage 1: produce the numbers.
fn generate(out: Sender<u64>, flow: &Flow) {
    for n in 1..=ITEMS {
        if out.send(n).is_err() {
            return;
        }
        flow.entered.fetch_add(1, SeqCst);
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

/// Stage 3: keep only the long trajectories.
fn filter(input: Receiver<(u64, u32)>, out: Sender<(u64, u32)>, flow: &Flow) {
    for (n, steps) in input {
        if steps < 200 {
            flow.left.fetch_add(1, SeqCst); // dropped here: it leaves the pipeline
        } else if out.send((n, steps)).is_err() {
            return;
        }
    }
}
// ANCHOR_END: stages

fn main() {
    // ANCHOR: pipeline
    let flow = Flow::default();
    let (numbers_tx, numbers_rx) = channel::bounded(CAPACITY);
    let (steps_tx, steps_rx) = channel::bounded(CAPACITY);
    let (long_tx, long_rx) = channel::bounded(CAPACITY);

    let mut most_in_flight = 0;
    let long = thread::scope(|s| {
        let flow = &flow;
        s.spawn(move || generate(numbers_tx, flow));
        for _ in 0..WORKERS {
            let (input, out) = (numbers_rx.clone(), steps_tx.clone());
            s.spawn(move || compute(input, out));
        }
        drop((numbers_rx, steps_tx));
        s.spawn(move || filter(steps_rx, long_tx, flow));

        // The sink, on this thread. Each channel holds at most CAPACITY items, so however
        // slow the sink is, the stages before it can only get so far ahead.
        let mut long = Vec::new();
        for item in long_rx {
            flow.left.fetch_add(1, SeqCst);
            // Read `entered` first: `left` can only have grown since, so this never
            // overstates what is in flight.
            let in_flight = flow.entered.load(SeqCst) - flow.left.load(SeqCst);
            most_in_flight = most_in_flight.max(in_flight);
            long.push(item);
        }
        long
    });

    let sequential: Vec<(u64, u32)> = (1..=ITEMS)
        .map(|n| (n, collatz_steps(n)))
        .filter(|&(_, steps)| steps >= 200)
        .collect();
    let mut sorted = long;
    sorted.sort_unstable();
    assert_eq!(sorted, sequential);
    assert_eq!(
        flow.left.load(SeqCst),
        ITEMS as usize,
        "every item left exactly once"
    );
    println!("{} of {ITEMS} numbers take 200 steps or more", sorted.len());

    // Three channels' worth, plus one item in the hands of each stage thread.
    let bound = 3 * CAPACITY + WORKERS + 2;
    println!("at most {most_in_flight} items were in flight (bound: {bound})");
    assert!(most_in_flight <= bound);
    // ANCHOR_END: pipeline
}
