//! Chapter 9, "Scoped threads": an in-place prefix sum in two parallel passes over
//! `chunks_mut`, on scoped threads.
//!
//! Graded by plain tests: the result does not depend on how the threads interleave (the borrow
//! checker already proves that no two threads touch the same element), so one run per case
//! decides it. The cases cover what a split gets wrong: a length that is not a multiple of the
//! thread count, more threads than values, one value, and none; a panic is turned into a
//! message that names the section to re-read.
// TODO: You need `std::thread`.

/// Replaces every element with the sum of itself and every element before it.
fn prefix_sum_sequential(values: &mut [u64]) {
    let mut running = 0;
    for v in values {
        running += *v;
        *v = running;
    }
}

// ANCHOR: exercise
/// Does the same as `prefix_sum_sequential`, in place, on `threads` scoped threads.
fn prefix_sum_parallel(values: &mut [u64], threads: usize) {
    // TODO: In a `thread::scope`, give each thread one of `values.chunks_mut(part)`.
    // It runs `prefix_sum_sequential` on its chunk and returns the chunk's total. On this thread,
    // turn the totals into offsets: chunk k must add the totals of chunks 0..k. In a second
    // scope, each thread adds its offset to every element of its chunk.
    todo!(
        "prefix_sum_parallel({} values, {threads} threads)",
        values.len()
    )
}
// ANCHOR_END: exercise

fn main() {
    let mut values = [1, 2, 3, 4, 5, 6, 7];
    let mut expected = values;
    prefix_sum_sequential(&mut expected);
    prefix_sum_parallel(&mut values, 3);
    assert_eq!(values, expected);
    println!("{values:?}");
}

#[cfg(test)]
mod tests {
    use super::{prefix_sum_parallel, prefix_sum_sequential};
    use std::panic::{self, AssertUnwindSafe};

    /// `prefix_sum_parallel` on `input`; a panic becomes a message that names the section.
    fn parallel(input: &[u64], threads: usize) -> Vec<u64> {
        let mut values = input.to_vec();
        let run = panic::catch_unwind(AssertUnwindSafe(|| {
            prefix_sum_parallel(&mut values, threads)
        }));
        if run.is_err() {
            panic!(
                "prefix_sum_parallel on {} values with {threads} threads panicked: mind an \
                 empty slice, and a part size of 0, which `chunks_mut` rejects (see chapter 9, \
                 'Mutable borrows')",
                input.len()
            );
        }
        values
    }

    #[test]
    fn parallel_prefix_sums_equal_sequential_ones() {
        for len in [1, 2, 3, 7, 10, 64, 1_000, 10_003] {
            let input: Vec<u64> = (0..len as u64).map(|i| i * 31 % 1_000 + 1).collect();
            let mut expected = input.clone();
            prefix_sum_sequential(&mut expected);
            for threads in [1, 2, 3, 4, 8] {
                assert_eq!(
                    parallel(&input, threads),
                    expected,
                    "{len} values on {threads} threads: after the first pass, chunk k must add \
                     the totals of chunks 0..k, the chunks before it and not itself (see \
                     chapter 9, 'Exercise')"
                );
            }
        }
    }

    #[test]
    fn more_threads_than_values_and_no_values() {
        for (input, threads) in [(&[5, 6][..], 3), (&[5][..], 8), (&[][..], 4)] {
            let mut expected = input.to_vec();
            prefix_sum_sequential(&mut expected);
            assert_eq!(
                parallel(input, threads),
                expected,
                "{} values on {threads} threads (see chapter 9, 'Exercise')",
                input.len()
            );
        }
    }
}
