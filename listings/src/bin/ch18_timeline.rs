//! Chapter 18, timeline: `select!` races a 7 ms timer against an operation that works in 2 ms
//! steps and never finishes; the timer wins and the operation is dropped mid-way. One line of
//! output per event, for `cargo xtask diagrams` to draw.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::{Instant, sleep};

/// Counts the slow operation's steps, so `main` can check that none runs after the drop.
static STEPS: AtomicUsize = AtomicUsize::new(0);

// ANCHOR: branches
/// Prints when the slow operation is dropped, that is, cancelled.
struct OnDrop;

impl Drop for OnDrop {
    fn drop(&mut self) {
        println!("slow: dropped");
    }
}

/// Works in 2 ms steps, forever: only cancellation stops it.
async fn slow() {
    let _on_drop = OnDrop;
    for step in 1.. {
        sleep(Duration::from_millis(2)).await;
        STEPS.fetch_add(1, Ordering::SeqCst);
        println!("slow: step {step}");
    }
}

async fn timer(start: Instant) {
    sleep(Duration::from_millis(7)).await;
    assert!(start.elapsed() >= Duration::from_millis(7));
    println!("timer: fired after 7 ms");
}
// ANCHOR_END: branches

#[tokio::main]
async fn main() {
    // ANCHOR: race
    let start = Instant::now();
    println!("main: select started");
    tokio::select! {
        () = timer(start) => {}
        () = slow() => unreachable!("slow never finishes"),
    }
    // The losing branch has been dropped already; it will never take another step.
    let steps = STEPS.load(Ordering::SeqCst);
    println!("main: select returned, the timer won");

    sleep(Duration::from_millis(5)).await;
    assert_eq!(
        STEPS.load(Ordering::SeqCst),
        steps,
        "a dropped future does not run"
    );
    println!("main: 5 ms later, slow has taken no step since");
    // ANCHOR_END: race
}
