//! Chapter 22 exercise, solved: a parallel merge sort with `rayon::join`.

// ANCHOR: solution
/// Sorts `v`: below `threshold` items with `sort`, above it by sorting both halves in
/// parallel (`split_at_mut` + `rayon::join`) and merging them.
pub fn par_merge_sort<T: Ord + Copy + Send>(v: &mut [T], threshold: usize) {
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
}

/// Merges two sorted slices into `out`.
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
// ANCHOR_END: solution

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
