//! Chapter 18, "select! and cancellation": collect messages into batches, closing each batch
//! when it is full or when a time window since its first message has passed.
//!
//! Graded by plain tests under tokio's paused clock (`start_paused = true`). The window is a
//! claim about time, and with the clock paused time moves only when every task waits, so the
//! tests can assert the exact virtual instant a batch closes, on every run and in no real time.
//! Messages that keep arriving every 4 ms catch a deadline restarted on every turn of the loop;
//! a queue longer than the batch catches a batch that ignores its size. Each test runs inside a
//! timeout, so a batch that never closes fails with a message instead of hanging.
use std::time::Duration;
// TODO: You need `tokio::select!` and `tokio::time::sleep`.
use tokio::sync::mpsc;

// ANCHOR: exercise
/// Waits for a first message (`None` if the channel is closed and empty), then collects more
/// until the batch holds `max` messages or `window` has passed since the first one arrived.
async fn recv_batch<T>(rx: &mut mpsc::Receiver<T>, max: usize, window: Duration) -> Option<Vec<T>> {
    // TODO: Receive the first message (return `None` if there is none), then loop.
    // Create the deadline (`sleep(window)`) once, before the loop, pin it with `tokio::pin!`,
    // and race `&mut deadline` against `rx.recv()` in a `select!` until the batch is full.
    todo!(
        "batches of up to {max} from {} queued, {window:?} window",
        rx.len()
    )
}
// ANCHOR_END: exercise

#[tokio::main]
async fn main() {
    let (tx, mut rx) = mpsc::channel(16);
    for i in 1..=5 {
        tx.send(i).await.unwrap();
    }
    drop(tx);
    let window = Duration::from_millis(5);
    let mut batches = Vec::new();
    while let Some(batch) = recv_batch(&mut rx, 2, window).await {
        batches.push(batch);
    }
    assert_eq!(batches, [vec![1, 2], vec![3, 4], vec![5]]);
    println!("batches: {batches:?}");
}

#[cfg(test)]
mod tests {
    use super::recv_batch;
    use std::time::Duration;
    use tokio::sync::mpsc;
    use tokio::time::{Instant, sleep};

    const MS: Duration = Duration::from_millis(1);

    /// Runs `test` on a one-thread runtime whose clock starts paused, as
    /// `#[tokio::test(start_paused = true)]` does.
    fn paused<F: Future>(test: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap()
            .block_on(test)
    }

    /// Fails the test with a message instead of letting it hang. Under the paused clock the
    /// limit is virtual time, so a batch that never closes fails at once.
    async fn within<F: Future>(future: F) -> F::Output {
        tokio::time::timeout(Duration::from_secs(10), future)
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "the batch never closed: when the window has passed, return what you have \
                     (see chapter 18, 'Exercise')"
                )
            })
    }

    #[test]
    fn a_batch_closes_when_the_window_has_passed() {
        paused(within(async {
            let (tx, mut rx) = mpsc::channel(16);
            tokio::spawn(async move {
                for i in 1..=3 {
                    tx.send(i).await.unwrap();
                }
                sleep(5 * MS).await;
                tx.send(4).await.unwrap();
                sleep(45 * MS).await; // t = 50 ms
                tx.send(5).await.unwrap();
                sleep(5 * MS).await; // t = 55 ms
                tx.send(6).await.unwrap();
            });
            let start = Instant::now();
            let window = 10 * MS;
            assert_eq!(
                recv_batch(&mut rx, 10, window).await,
                Some(vec![1, 2, 3, 4]),
                "1, 2, 3 arrive at 0 ms and 4 at 5 ms, all inside the 10 ms window (see chapter \
                 18, 'The tool: `select!`')"
            );
            assert_eq!(
                start.elapsed(),
                10 * MS,
                "the first batch must close when its 10 ms window ends (see chapter 18, \
                 'Timeouts')"
            );
            assert_eq!(
                recv_batch(&mut rx, 10, window).await,
                Some(vec![5, 6]),
                "the second batch starts with 5, at 50 ms, and 6 comes 5 ms later: the window \
                 runs from the batch's first message, not from the call (see chapter 18, \
                 'Exercise')"
            );
            assert_eq!(
                start.elapsed(),
                55 * MS,
                "a closed channel ends the batch at once, without waiting out the window (see \
                 chapter 18, 'The tool: `select!`')"
            );
            assert_eq!(
                recv_batch(&mut rx, 10, window).await,
                None,
                "a closed, empty channel gives `None` (see chapter 18, 'Exercise')"
            );
        }));
    }

    // Messages keep coming every 4 ms, so a deadline restarted on every turn would never fire:
    // the window must be measured from the first message.
    #[test]
    fn the_window_is_not_restarted_by_each_message() {
        paused(within(async {
            let (tx, mut rx) = mpsc::channel(16);
            tokio::spawn(async move {
                for i in 1..=10 {
                    tx.send(i).await.unwrap();
                    sleep(4 * MS).await;
                }
            });
            let start = Instant::now();
            let batch = recv_batch(&mut rx, 100, 10 * MS).await;
            let elapsed = start.elapsed();
            assert_eq!(
                (batch, elapsed),
                (Some(vec![1, 2, 3]), 10 * MS),
                "messages at 0, 4 and 8 ms, and the window closes at 10 ms: create the deadline \
                 once, outside the loop, and poll it through `&mut` (see chapter 18, 'What can \
                 go wrong': restarting a timer every turn)"
            );
        }));
    }

    #[test]
    fn a_full_batch_does_not_wait_for_the_window() {
        paused(within(async {
            let (tx, mut rx) = mpsc::channel(16);
            for i in 1..=5 {
                tx.send(i).await.unwrap();
            }
            let start = Instant::now();
            let first = recv_batch(&mut rx, 3, 10 * MS).await;
            assert_eq!(
                (first, start.elapsed()),
                (Some(vec![1, 2, 3]), Duration::ZERO),
                "five messages are queued and `max` is 3: the batch is full at once, and a full \
                 batch does not wait for the window (see chapter 18, 'Exercise')"
            );
            let second = recv_batch(&mut rx, 3, 10 * MS).await;
            assert_eq!(
                (second, start.elapsed()),
                (Some(vec![4, 5]), 10 * MS),
                "the rest, 4 and 5, wait out the window of their own batch (see chapter 18, \
                 'Exercise')"
            );
        }));
    }
}
