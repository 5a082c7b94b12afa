//! Chapter 22, "Divide and conquer": a parallel merge sort with `rayon::join`.
//!
//! Graded by plain tests, one of them under a watchdog. The first compares the result with
//! `sort()` for several thresholds and inputs (many equal keys, sorted, reversed, empty). The
//! second checks that the two halves really are sorted at the same time: it sorts items whose
//! comparisons record which half of the input they came from, and a comparison within one half
//! waits until the other half has started too. On a pool of two threads, halves handed to
//! `rayon::join` both start; halves sorted one after the other wait in vain, and after 5 s the
//! test fails with a message instead. (The benchmark `ch22_divide_and_conquer` times this
//! solution.)

// ANCHOR: exercise
/// Sorts `v`: below `threshold` items with `sort`, above it by sorting both halves in
/// parallel (`split_at_mut` + `rayon::join`) and merging them.
pub fn par_merge_sort<T: Ord + Copy + Send>(v: &mut [T], threshold: usize) {
    // ANCHOR: todo("sort {} items with threshold {threshold}", v.len())
    // Up to `threshold` items (and at least for 0 or 1), `v.sort()` and return.
    // Otherwise cut `v` in two at the middle with `split_at_mut`, sort both halves with
    // `rayon::join`, `merge` them into a new `Vec`, and copy that back into `v`.
    if v.len() <= threshold.max(1) {
        v.sort();
        return;
    }
    let mid = v.len() / 2;
    let (left, right) = v.split_at_mut(mid);
    rayon::join(
        || par_merge_sort(left, threshold),
        || par_merge_sort(right, threshold),
    );
    let mut merged = Vec::with_capacity(v.len());
    merge(&v[..mid], &v[mid..], &mut merged);
    v.copy_from_slice(&merged);
    // ANCHOR_END: todo
}

/// Merges two sorted slices into `out`.
#[allow(
    dead_code,
    reason = "the starter's `par_merge_sort` does not call it yet"
)]
pub fn merge<T: Ord + Copy>(left: &[T], right: &[T], out: &mut Vec<T>) {
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if right[j] < left[i] {
            out.push(right[j]);
            j += 1;
        } else {
            out.push(left[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
}
// ANCHOR_END: exercise

fn main() {
    let mut v: Vec<u32> = (0..10_000).map(|i| (i * 7_919) % 10_007).collect();
    let mut expected = v.clone();
    expected.sort();
    par_merge_sort(&mut v, 1_000);
    assert_eq!(v, expected);
    println!("10000 items sorted like sort()");
}

#[cfg(test)]
mod tests {
    use super::par_merge_sort;
    use std::cmp::Ordering;
    use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
    use std::thread;
    use std::time::{Duration, Instant};

    #[test]
    fn sorts_like_sort_for_every_threshold() {
        let mut seed = 12345u64;
        let random: Vec<(u8, u32)> = (0..20_000)
            .map(|i| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                ((seed % 16) as u8, i) // many equal first fields
            })
            .collect();
        let sorted: Vec<(u8, u32)> = (0..5_000).map(|i| ((i / 500) as u8, i)).collect();
        let reversed: Vec<(u8, u32)> = sorted.iter().rev().copied().collect();
        for (name, data) in [
            ("random", random),
            ("sorted", sorted),
            ("reversed", reversed),
            ("empty", vec![]),
            ("one item", vec![(1, 1)]),
            ("three items", vec![(3, 0), (1, 1), (2, 2)]),
        ] {
            let mut expected = data.clone();
            expected.sort();
            for threshold in [0, 1, 2, 100, 100_000] {
                let mut v = data.clone();
                par_merge_sort(&mut v, threshold);
                assert!(
                    v == expected,
                    "{name} input, threshold {threshold}: the result differs from sort(); sort \
                     both halves, merge them, and copy the merged items back into the slice \
                     (see chapter 22, 'Exercise')"
                );
            }
        }
    }

    // Which half of the input an item started in, and whether each half has compared yet.
    static LEFT_STARTED: AtomicBool = AtomicBool::new(false);
    static RIGHT_STARTED: AtomicBool = AtomicBool::new(false);
    static GAVE_UP: AtomicBool = AtomicBool::new(false);

    /// An item that knows which half of the input it started in. Comparing two items of the
    /// same half marks that half as started, then waits (up to 5 s in all) until the other
    /// half has started too: only halves sorted at the same time get past it.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    struct Item {
        key: u32,
        right_half: bool,
    }

    impl Ord for Item {
        fn cmp(&self, other: &Self) -> Ordering {
            if self.right_half == other.right_half {
                let (mine, theirs) = if self.right_half {
                    (&RIGHT_STARTED, &LEFT_STARTED)
                } else {
                    (&LEFT_STARTED, &RIGHT_STARTED)
                };
                mine.store(true, SeqCst);
                let start = Instant::now();
                while !theirs.load(SeqCst) && !GAVE_UP.load(SeqCst) {
                    if start.elapsed() > Duration::from_secs(5) {
                        GAVE_UP.store(true, SeqCst);
                    }
                    thread::yield_now();
                }
            }
            (self.key, self.right_half).cmp(&(other.key, other.right_half))
        }
    }

    impl PartialOrd for Item {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }

    #[test]
    fn the_two_halves_are_sorted_at_the_same_time() {
        let n = 4_096u32;
        let mut v: Vec<Item> = (0..n)
            .map(|i| Item {
                key: (i * 7_919) % n,
                right_half: i >= n / 2,
            })
            .collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        pool.install(|| par_merge_sort(&mut v, 64));
        assert!(
            !GAVE_UP.load(SeqCst),
            "one half of the slice waited 5 s for the other to start: the halves were sorted \
             one after the other. Hand both to `rayon::join` (see chapter 22, 'Slices and \
             `rayon::join`')"
        );
        assert!(
            v.windows(2).all(|w| w[0] <= w[1]),
            "the items are not sorted (see chapter 22, 'Exercise')"
        );
    }
}
