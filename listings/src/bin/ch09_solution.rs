//! Chapter 9 exercise, solved: an in-place prefix sum in two parallel passes over `chunks_mut`.
use std::thread;

/// Replaces every element with the sum of itself and every element before it.
fn prefix_sum_sequential(values: &mut [u64]) {
    let mut running = 0;
    for v in values {
        running += *v;
        *v = running;
    }
}

// ANCHOR: solution
fn prefix_sum_parallel(values: &mut [u64], threads: usize) {
    if values.is_empty() {
        return; // `chunks_mut(0)` would panic
    }
    let part = values.len().div_ceil(threads.max(1));

    // Pass 1: every chunk gets its own prefix sum; each thread reports its chunk's total.
    let totals: Vec<u64> = thread::scope(|s| {
        let handles: Vec<_> = values
            .chunks_mut(part)
            .map(|chunk| {
                s.spawn(move || {
                    prefix_sum_sequential(chunk);
                    chunk[chunk.len() - 1]
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    // Between the passes, on one thread: chunk k must add the totals of chunks 0..k.
    let offsets = totals.iter().scan(0, |sum, total| {
        let offset = *sum;
        *sum += total;
        Some(offset)
    });

    // Pass 2: shift every chunk by its offset. The scope joins these threads for us.
    thread::scope(|s| {
        for (chunk, offset) in values.chunks_mut(part).zip(offsets).skip(1) {
            s.spawn(move || chunk.iter_mut().for_each(|v| *v += offset));
        }
    });
}
// ANCHOR_END: solution

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
