//! Chapter 16 exercise, solved: a three-stage pipeline over bounded channels.
use tokio::sync::mpsc;

// ANCHOR: solution
/// Three stages joined by bounded channels of `capacity`: a source sends `1..=n`, a middle
/// stage squares each number, and the caller adds up the squares.
pub async fn sum_of_squares(n: u64, capacity: usize) -> u64 {
    let (numbers_tx, mut numbers_rx) = mpsc::channel(capacity);
    let (squares_tx, mut squares_rx) = mpsc::channel(capacity);

    let source = tokio::spawn(async move {
        for i in 1..=n {
            if numbers_tx.send(i).await.is_err() {
                break; // downstream is gone: stop producing
            }
        }
        // `numbers_tx` is dropped here, which closes the first channel.
    });
    let square = tokio::spawn(async move {
        while let Some(i) = numbers_rx.recv().await {
            if squares_tx.send(i * i).await.is_err() {
                break;
            }
        }
        // The first channel closed: dropping `squares_tx` closes the second.
    });

    let mut sum = 0;
    while let Some(square) = squares_rx.recv().await {
        sum += square;
    }
    source.await.unwrap();
    square.await.unwrap();
    sum
}
// ANCHOR_END: solution

#[tokio::main]
async fn main() {
    let n = 1_000;
    let sum = sum_of_squares(n, 4).await;
    assert_eq!(sum, n * (n + 1) * (2 * n + 1) / 6);
    assert_eq!(sum_of_squares(0, 1).await, 0);
    println!("sum of squares of 1..={n}: {sum}");
}
