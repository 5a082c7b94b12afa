//! Chapter 27, listing 4: retry with exponential back-off, the kind of timing code that
//! `listings/tests/listings/ch27.rs` tests on tokio's paused clock.
use std::future::Future;
use std::time::Duration;
use tokio::time::{Instant, sleep};

// ANCHOR: retry
/// Calls `attempt` until it succeeds or `tries` attempts have failed, sleeping `first_delay`
/// after the first failure and twice as long after each one after that.
pub async fn retry<T, E, F, Fut>(tries: u32, first_delay: Duration, mut attempt: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut delay = first_delay;
    let mut tried = 1;
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) if tried == tries => return Err(error),
            Err(_) => {
                sleep(delay).await;
                delay *= 2;
                tried += 1;
            }
        }
    }
}
// ANCHOR_END: retry

#[tokio::main]
async fn main() {
    // ANCHOR: main
    // A service that fails twice, then answers: 1 ms + 2 ms of back-off on the real clock.
    let start = Instant::now();
    let mut calls = 0;
    let answer = retry(5, Duration::from_millis(1), || {
        calls += 1;
        let n = calls;
        async move { if n < 3 { Err("unavailable") } else { Ok(n) } }
    })
    .await;
    assert_eq!(answer, Ok(3));
    assert!(start.elapsed() >= Duration::from_millis(3));
    println!("answered on call {calls}, after at least 3 ms of back-off");
    // ANCHOR_END: main
}
