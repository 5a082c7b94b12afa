//! Chapter 8 exercise, solved: a cellular automaton stepped in parallel, one barrier per step.
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Barrier};
use std::thread;

/// One step of rule 90 on a ring: every cell becomes the XOR of its two neighbours.
fn step(cells: &[bool]) -> Vec<bool> {
    let n = cells.len();
    (0..n)
        .map(|i| cells[(i + n - 1) % n] ^ cells[(i + 1) % n])
        .collect()
}

fn run_sequential(initial: &[bool], steps: usize) -> Vec<bool> {
    let mut cells = initial.to_vec();
    for _ in 0..steps {
        cells = step(&cells);
    }
    cells
}

// ANCHOR: solution
/// Runs `steps` steps of rule 90, each thread computing its own part of every step.
fn run_parallel(initial: &[bool], steps: usize, threads: usize) -> Vec<bool> {
    let n = initial.len();
    let threads = threads.max(1);
    // Two buffers: step s reads buffers[s % 2] and writes buffers[(s + 1) % 2].
    let buffers: Arc<[Vec<AtomicBool>; 2]> = Arc::new([
        initial.iter().map(|&c| AtomicBool::new(c)).collect(),
        initial.iter().map(|_| AtomicBool::new(false)).collect(),
    ]);
    let barrier = Arc::new(Barrier::new(threads));
    let part = n.div_ceil(threads);

    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let buffers = Arc::clone(&buffers);
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                let mine = (t * part).min(n)..((t + 1) * part).min(n);
                for s in 0..steps {
                    let (now, next) = (&buffers[s % 2], &buffers[(s + 1) % 2]);
                    for i in mine.clone() {
                        let left = now[(i + n - 1) % n].load(Relaxed);
                        let right = now[(i + 1) % n].load(Relaxed);
                        next[i].store(left ^ right, Relaxed);
                    }
                    // Every thread waits, even one whose part is empty: the barrier
                    // counts arrivals, not work.
                    barrier.wait();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    buffers[steps % 2].iter().map(|c| c.load(Relaxed)).collect()
}
// ANCHOR_END: solution

fn main() {
    // One live cell in the middle: rule 90 draws a Sierpinski triangle.
    let mut initial = vec![false; 63];
    initial[31] = true;
    for steps in [0, 1, 16, 31, 100] {
        for threads in [1, 2, 3, 4, 7] {
            assert_eq!(
                run_parallel(&initial, steps, threads),
                run_sequential(&initial, steps),
                "{steps} steps on {threads} threads"
            );
        }
    }
    let few = [true, false, true];
    assert_eq!(
        run_parallel(&few, 5, 8),
        run_sequential(&few, 5),
        "more threads than cells"
    );
    let row: String = run_parallel(&initial, 16, 4)
        .iter()
        .map(|&c| if c { '#' } else { '.' })
        .collect();
    println!("{row}");
    println!("parallel matches sequential");
}
