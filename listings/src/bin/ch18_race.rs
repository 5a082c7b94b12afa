//! Chapter 18, listing 1: `select!` takes the first branch to finish and drops the others;
//! `timeout` is the same race against a timer.
use std::time::Duration;
use tokio::select;
use tokio::time::{sleep, timeout};

// ANCHOR: ops
/// Prints when it is dropped, so we can see what happens to a losing branch.
struct Announce(&'static str);

impl Drop for Announce {
    fn drop(&mut self) {
        println!("{} dropped", self.0);
    }
}

async fn fast_operation() -> &'static str {
    sleep(Duration::from_millis(2)).await;
    "fast"
}

async fn slow_operation() -> &'static str {
    let _announce = Announce("slow operation");
    sleep(Duration::from_secs(3600)).await; // would take an hour
    println!("slow operation finished"); // never printed
    "slow"
}
// ANCHOR_END: ops

// ANCHOR: race
pub async fn race() -> &'static str {
    select! {
        winner = fast_operation() => winner,
        winner = slow_operation() => winner,
    }
    // Here the losing future has already been dropped: it will never run again.
}
// ANCHOR_END: race

// ANCHOR: timeout
/// Gives up on `slow_operation` after 5 ms.
pub async fn slow_with_timeout() -> Result<&'static str, tokio::time::error::Elapsed> {
    timeout(Duration::from_millis(5), slow_operation()).await
}

/// Lets `fast_operation` have a whole second.
pub async fn fast_with_timeout() -> Result<&'static str, tokio::time::error::Elapsed> {
    timeout(Duration::from_secs(1), fast_operation()).await
}
// ANCHOR_END: timeout

// ANCHOR: first
/// `timeout` polls the operation before it looks at the clock, so an operation that is ready
/// at once gets through even a zero timeout.
pub async fn ready_beats_a_zero_timeout() -> Result<&'static str, tokio::time::error::Elapsed> {
    timeout(Duration::ZERO, async { "ready" }).await
}

/// Blocks its thread for 20 ms with no `.await` in between, then finishes. The 5 ms timeout
/// cannot stop it: `timeout` looks at its timer only after the operation has been polled and
/// is still waiting, and this one never waits; it finishes in its first poll.
pub async fn blocking_overruns_its_timeout() -> Result<&'static str, tokio::time::error::Elapsed> {
    timeout(Duration::from_millis(5), async {
        std::thread::sleep(Duration::from_millis(20)); // blocks: see the previous chapter
        "done, 15 ms late"
    })
    .await
}
// ANCHOR_END: first

#[tokio::main]
async fn main() {
    // ANCHOR: main
    let winner = race().await;
    println!("winner: {winner}");
    assert_eq!(winner, "fast");

    let slow = slow_with_timeout().await;
    println!("slow operation with a 5 ms timeout: {slow:?}");
    assert!(slow.is_err());

    let fast = fast_with_timeout().await;
    println!("fast operation with a 1 s timeout: {fast:?}");
    assert_eq!(fast, Ok("fast"));
    // ANCHOR_END: main

    let ready = ready_beats_a_zero_timeout().await;
    println!("ready operation with a zero timeout: {ready:?}");
    assert_eq!(ready, Ok("ready"));
    let late = blocking_overruns_its_timeout().await;
    println!("blocking operation with a 5 ms timeout: {late:?}");
    assert_eq!(late, Ok("done, 15 ms late"));
}
