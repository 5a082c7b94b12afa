//! Chapter 8 exercise: step a cellular automaton in parallel, with a barrier between steps.
//! Run it with `cargo run -p listings --example ch08_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch08_solution.rs`.

// ANCHOR: exercise
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

/// Runs `steps` steps of rule 90, each thread computing its own part of every step.
fn run_parallel(initial: &[bool], steps: usize, threads: usize) -> Vec<bool> {
    // 1. Keep the cells in two shared buffers of `AtomicBool` (in an `Arc`): step `s`
    //    reads one buffer and writes the other.
    // 2. Give each thread a contiguous part of the cells; it computes that part of
    //    every step, then waits on a `std::sync::Barrier` shared by all threads.
    // 3. Join the threads and read the buffer the last step wrote.
    todo!("run_parallel({}, {steps}, {threads})", initial.len())
}

fn main() {
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
    println!("parallel matches sequential");
}
// ANCHOR_END: exercise
