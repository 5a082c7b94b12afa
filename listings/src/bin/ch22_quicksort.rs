//! Chapter 22, listing 4: an in-place parallel quicksort. `split_at_mut` hands the two
//! partitions to `rayon::join` as disjoint `&mut` slices: no copies, no locks.
use std::cmp::Ordering;

// ANCHOR: quicksort
pub fn par_quicksort<T: Ord + Send>(v: &mut [T], threshold: usize) {
    if v.len() <= threshold.max(1) {
        v.sort_unstable();
        return;
    }
    let (lt, gt) = partition(v);
    // v[..lt] < pivot, v[lt..gt] == pivot (already in place), v[gt..] > pivot
    let (smaller, rest) = v.split_at_mut(lt);
    let larger = &mut rest[gt - lt..];
    rayon::join(
        || par_quicksort(smaller, threshold),
        || par_quicksort(larger, threshold),
    );
}
// ANCHOR_END: quicksort

// ANCHOR: partition
/// Three-way partition around the median of the first, middle and last items.
/// Equal items end up in the middle, so runs of duplicates are not sorted again.
pub fn partition<T: Ord>(v: &mut [T]) -> (usize, usize) {
    let (mid, last) = (v.len() / 2, v.len() - 1);
    if v[mid] < v[0] {
        v.swap(mid, 0);
    }
    if v[last] < v[0] {
        v.swap(last, 0);
    }
    if v[last] < v[mid] {
        v.swap(last, mid);
    }
    // The median is the pivot; it goes to index 0.
    v.swap(0, mid);
    // Invariant: v[..lt] < pivot, v[lt..i] == pivot, v[gt..] > pivot, v[i..gt] unseen.
    // v[lt] is always a pivot-equal item, so it serves as the pivot while items move.
    let (mut lt, mut i, mut gt) = (0, 1, v.len());
    while i < gt {
        match v[i].cmp(&v[lt]) {
            Ordering::Less => {
                v.swap(lt, i);
                lt += 1;
                i += 1;
            }
            Ordering::Greater => {
                gt -= 1;
                v.swap(i, gt);
            }
            Ordering::Equal => i += 1,
        }
    }
    (lt, gt)
}
// ANCHOR_END: partition

pub fn pseudo_random(len: usize, modulus: u64) -> Vec<u64> {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % modulus
        })
        .collect()
}

fn main() {
    // ANCHOR: check
    let inputs: Vec<(&str, Vec<u64>)> = vec![
        ("random", pseudo_random(10_000, u64::MAX)),
        ("many duplicates", pseudo_random(10_000, 100)),
        ("sorted", (0..10_000).collect()),
        ("reversed", (0..10_000).rev().collect()),
        ("all equal", vec![7; 10_000]),
        ("empty", vec![]),
        ("one item", vec![1]),
    ];
    for (name, input) in inputs {
        let mut expected = input.clone();
        expected.sort_unstable();
        for threshold in [1, 1_000] {
            let mut v = input.clone();
            par_quicksort(&mut v, threshold);
            assert_eq!(v, expected, "{name}, threshold {threshold}");
        }
        println!("{name}: sorted like sort_unstable");
    }
    // ANCHOR_END: check
}
