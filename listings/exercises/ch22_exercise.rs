//! Chapter 22 exercise: a parallel merge sort with `rayon::join`.
//! Run it with `cargo run -p listings --example ch22_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch22_solution.rs`.

// ANCHOR: exercise
/// Sorts `v`: below `threshold` items with `sort`, above it by sorting both halves in
/// parallel (`split_at_mut` + `rayon::join`) and merging them.
fn par_merge_sort<T: Ord + Copy + Send>(v: &mut [T], threshold: usize) {
    todo!("sort {} items with threshold {threshold}", v.len())
}

/// Merges two sorted slices into `out`.
#[allow(dead_code)] // until `par_merge_sort` calls it
fn merge<T: Ord + Copy>(left: &[T], right: &[T], out: &mut Vec<T>) {
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
    let mut seed = 12345u64;
    let data: Vec<(u8, u32)> = (0..20_000)
        .map(|i| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            ((seed % 16) as u8, i) // many equal first fields
        })
        .collect();
    let mut expected = data.clone();
    expected.sort();
    for threshold in [0, 1, 100, 100_000] {
        let mut v = data.clone();
        par_merge_sort(&mut v, threshold);
        assert_eq!(v, expected, "threshold {threshold}");
    }
    let mut empty: Vec<u32> = vec![];
    par_merge_sort(&mut empty, 1);
    assert!(empty.is_empty());
    println!("merge sort matches sort() for every threshold");
}
