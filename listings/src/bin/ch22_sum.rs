//! Chapter 22, listing 2: divide and conquer on slices with `rayon::join`: no copies, no
//! thread per split, and a threshold below which the work stays sequential.
// ANCHOR: sum
/// Adds up `data`, splitting it in halves until a piece has at most `threshold` items.
pub fn parallel_sum(data: &[i64], threshold: usize) -> i64 {
    // A threshold of 0 would split a one-item slice into "nothing" and "one item" forever.
    if data.len() <= threshold.max(1) {
        return data.iter().sum();
    }
    // Two views of the same memory: nothing is copied.
    let (left, right) = data.split_at(data.len() / 2);
    let (l, r) = rayon::join(
        || parallel_sum(left, threshold),
        || parallel_sum(right, threshold),
    );
    l + r
}
// ANCHOR_END: sum

fn main() {
    // ANCHOR: check
    let data: Vec<i64> = (1..=100_000).map(|x| x * 7 % 1_001 - 500).collect();
    let sequential: i64 = data.iter().sum();
    for threshold in [0, 1, 1_000, 65_536, usize::MAX] {
        assert_eq!(
            parallel_sum(&data, threshold),
            sequential,
            "threshold {threshold}"
        );
    }
    assert_eq!(parallel_sum(&[], 1_000), 0);
    assert_eq!(parallel_sum(&[42], 0), 42);
    println!("parallel sum = sequential sum = {sequential}, for every threshold");
    // ANCHOR_END: check
}
