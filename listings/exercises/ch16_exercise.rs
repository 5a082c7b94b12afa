//! Chapter 16 exercise: a three-stage pipeline over bounded channels.
//! Run it with `cargo run -p listings --example ch16_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch16_solution.rs`.

// ANCHOR: exercise
/// Three stages joined by bounded channels of `capacity`: a source sends `1..=n`, a middle
/// stage squares each number, and the caller adds up the squares.
pub async fn sum_of_squares(n: u64, capacity: usize) -> u64 {
    // 1. Make two `tokio::sync::mpsc` channels of `capacity`.
    // 2. Spawn the source and the squaring stage as tasks; each stage ends when its input
    //    channel closes, and its own sender is dropped when it ends.
    // 3. Add up what arrives on the second channel until it closes.
    todo!("sum of squares of 1..={n} through channels of {capacity}")
}

#[tokio::main]
async fn main() {
    let n = 1_000;
    let sum = sum_of_squares(n, 4).await;
    assert_eq!(sum, n * (n + 1) * (2 * n + 1) / 6);
    assert_eq!(sum_of_squares(0, 1).await, 0);
    println!("sum of squares of 1..={n}: {sum}");
}
// ANCHOR_END: exercise
