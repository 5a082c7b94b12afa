//! Chapter 9 exercise: an in-place prefix sum on scoped threads.
//! Run it with `cargo run -p listings --example ch09_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch09_solution.rs`.

// ANCHOR: exercise
/// Replaces every element with the sum of itself and every element before it.
fn prefix_sum_sequential(values: &mut [u64]) {
    let mut running = 0;
    for v in values {
        running += *v;
        *v = running;
    }
}

/// Does the same as `prefix_sum_sequential`, in place, on `threads` scoped threads.
fn prefix_sum_parallel(values: &mut [u64], threads: usize) {
    // 1. In a `std::thread::scope`, give each thread one of `values.chunks_mut(part)`:
    //    it runs the sequential prefix sum on its chunk and returns the chunk's total.
    // 2. On this thread, turn the totals into offsets: chunk k must add chunks 0..k.
    // 3. In a second scope, each thread adds its offset to every element of its chunk.
    todo!(
        "prefix_sum_parallel({} values, {threads} threads)",
        values.len()
    )
}

fn main() {
    for len in [0, 1, 2, 10, 1_000, 100_003] {
        let input: Vec<u64> = (0..len as u64).map(|i| i * 31 % 1_000).collect();
        let mut expected = input.clone();
        prefix_sum_sequential(&mut expected);
        for threads in [1, 2, 3, 4, 8] {
            let mut values = input.clone();
            prefix_sum_parallel(&mut values, threads);
            assert_eq!(values, expected, "{len} values on {threads} threads");
        }
    }
    let mut small = [1, 2, 3, 4];
    prefix_sum_parallel(&mut small, 3);
    assert_eq!(small, [1, 3, 6, 10]);
    println!("parallel prefix sums match sequential ones");
}
// ANCHOR_END: exercise
