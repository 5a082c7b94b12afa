//! Chapter 8, "Barriers": step a cellular automaton in parallel, with one barrier per step.
//!
//! Graded by plain tests under a watchdog. The result must equal the sequential automaton's for
//! many numbers of steps and threads, more threads than cells included, and the comparison is
//! exact: a thread that reads a neighbour from the wrong step changes some cell. A barrier that
//! waits for a party that never comes hangs instead of failing, so every run is inside a 5 s
//! watchdog that fails with a message naming the section to re-read.
// TODO: You need `AtomicBool` and `Ordering::Relaxed` from `std::sync::atomic`, and
// `std::sync::{Arc, Barrier}`.

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

// ANCHOR: exercise
/// Runs `steps` steps of rule 90, each thread computing its own part of every step.
fn run_parallel(initial: &[bool], steps: usize, threads: usize) -> Vec<bool> {
    // TODO: Keep the cells in two shared buffers of `AtomicBool` (in an `Arc`).
    // Step `s` reads one buffer and writes the other. Give each thread a contiguous part of the
    // cells; it computes that part of every step, then waits on a `Barrier` shared by all the
    // threads. Join the threads and read the buffer the last step wrote.
    todo!(
        "run_parallel({} cells, {steps} steps, {threads} threads)",
        initial.len()
    )
}
// ANCHOR_END: exercise

fn main() {
    // One live cell in the middle: rule 90 draws a Sierpinski triangle.
    let mut initial = vec![false; 63];
    initial[31] = true;
    for steps in 0..16 {
        let row = run_parallel(&initial, steps, 4);
        assert_eq!(row, run_sequential(&initial, steps));
        let row: String = row.iter().map(|&c| if c { '#' } else { '.' }).collect();
        println!("{row}");
    }
}

#[cfg(test)]
mod tests {
    use super::{run_parallel, run_sequential};
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::thread;
    use std::time::Duration;

    /// Runs `f` on a thread of its own; fails with `hang` if it has not returned within 5 s.
    fn within<T: Send + 'static>(hang: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (done_tx, done_rx) = mpsc::channel();
        let runner = thread::spawn(move || {
            let value = f();
            let _ = done_tx.send(());
            value
        });
        match done_rx.recv_timeout(Duration::from_secs(5)) {
            Err(RecvTimeoutError::Timeout) => panic!("no answer after 5 s: {hang}"),
            _ => runner
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        }
    }

    const HANG: &str = "the barrier is still waiting for a party: it counts calls to `wait`, not \
                        work, so every one of the threads it was made for must call `wait` on \
                        every step, even a thread whose part is empty (see chapter 8, 'What can \
                        go wrong')";

    fn one_live_cell(n: usize) -> Vec<bool> {
        let mut cells = vec![false; n];
        cells[n / 2] = true;
        cells
    }

    #[test]
    fn parallel_steps_equal_the_sequential_automaton() {
        for _ in 0..3 {
            for steps in [0, 1, 2, 16, 31, 100] {
                for threads in [1, 2, 3, 4, 7] {
                    let initial = one_live_cell(63);
                    let expected = run_sequential(&initial, steps);
                    let got = within(HANG, move || run_parallel(&initial, steps, threads));
                    assert_eq!(
                        got, expected,
                        "{steps} steps on {threads} threads differ from the sequential \
                         automaton: a step must read only the cells of the step before, all of \
                         them computed, so read one buffer, write the other, and wait on the \
                         barrier after every step (see chapter 8, 'The tool: \
                         `std::sync::Barrier`')"
                    );
                }
            }
        }
    }

    #[test]
    fn more_threads_than_cells() {
        for threads in [4, 8] {
            let few = vec![true, false, true];
            let expected = run_sequential(&few, 5);
            let got = within(HANG, move || run_parallel(&few, 5, threads));
            assert_eq!(
                got, expected,
                "3 cells on {threads} threads: the extra threads have empty parts (see chapter \
                 8, 'What can go wrong')"
            );
        }
    }
}
