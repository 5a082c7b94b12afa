//! Chapter 16, "Async channels": a pipeline of three stages joined by bounded channels, each of
//! which ends on its own when its input runs out.
//!
//! Graded by plain tests under a watchdog, on tokio's multi-threaded runtime. The sum of the
//! squares does not depend on how the tasks interleave, so one exact comparison per case
//! decides it, for channel capacities 1, 3 and 64. A stage that never ends (a sender kept
//! alive), or a caller that waits for the stages before it receives (a bounded channel makes
//! them wait for room), hangs on every run; the watchdog turns that into a failure after 5 s.
// ANCHOR: hide
// You need `tokio::sync::mpsc`.
use tokio::sync::mpsc;
// ANCHOR_END: hide

// ANCHOR: exercise
/// Three stages joined by bounded channels of `capacity`: a source sends `1..=n`, a middle
/// stage squares each number, and the caller adds up the squares.
async fn sum_of_squares(n: u64, capacity: usize) -> u64 {
    // ANCHOR: todo("sum of squares of 1..={n} through channels of {capacity}")
    // Make two `tokio::sync::mpsc` channels of `capacity`.
    // Spawn the source and the squaring stage as tasks; each stage ends when its input channel
    // closes, and its own sender is dropped when it ends. Add up what arrives on the second
    // channel until it closes, then await both tasks.
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
    // ANCHOR_END: todo
}
// ANCHOR_END: exercise

#[tokio::main]
async fn main() {
    let n = 1_000;
    let sum = sum_of_squares(n, 4).await;
    assert_eq!(sum, n * (n + 1) * (2 * n + 1) / 6);
    assert_eq!(sum_of_squares(0, 1).await, 0);
    println!("sum of squares of 1..={n}: {sum}");
}

#[cfg(test)]
mod tests {
    use super::sum_of_squares;
    use std::time::Duration;

    const HANG: &str = "a stage is still waiting: each stage must end when its input channel \
                        closes, so every sender must be dropped when its stage ends, and the \
                        caller must receive while the stages send, since a bounded channel makes \
                        a sender wait for room (see chapter 16, 'The tool: `mpsc`, bounded' and \
                        'Backpressure')";

    async fn within<T>(future: impl Future<Output = T>) -> T {
        tokio::time::timeout(Duration::from_secs(5), future)
            .await
            .unwrap_or_else(|_| panic!("still running after 5 s: {HANG}"))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_square_is_added_once() {
        for capacity in [1, 3, 64] {
            for n in [1, 2, 10, 2_000] {
                assert_eq!(
                    within(sum_of_squares(n, capacity)).await,
                    n * (n + 1) * (2 * n + 1) / 6,
                    "n = {n}, capacity {capacity}: every number must be squared and added \
                     exactly once (see chapter 16, 'The tool: `mpsc`, bounded')"
                );
            }
        }
    }

    /// Also on the current-thread runtime, where every stage shares the caller's one thread.
    #[test]
    fn no_numbers_or_one_thread_end_all_the_same() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        for (n, capacity) in [(0, 1), (100, 1), (100, 8)] {
            assert_eq!(
                runtime.block_on(within(sum_of_squares(n, capacity))),
                n * (n + 1) * (2 * n + 1) / 6,
                "n = {n}, capacity {capacity}, on one thread (see chapter 16, 'Exercise')"
            );
        }
    }
}
