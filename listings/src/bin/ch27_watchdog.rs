//! Chapter 27, listing 2: a watchdog turns a hang into a failure with a message.
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

// ANCHOR: watchdog
#[derive(Debug, PartialEq)]
pub struct TimedOut(pub Duration);

/// Runs `job` on its own thread and waits at most `limit` for it.
/// On a time-out the job's thread is left behind (Rust cannot kill a thread); the caller
/// reports the hang and usually ends the process soon after, as a test runner does.
pub fn within<T: Send + 'static>(
    limit: Duration,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TimedOut> {
    let (done_tx, done_rx) = mpsc::channel();
    thread::spawn(move || {
        // If the job panics, `done_tx` is dropped unsent and we see Disconnected below.
        let _ = done_tx.send(job());
    });
    match done_rx.recv_timeout(limit) {
        Ok(value) => Ok(value),
        Err(RecvTimeoutError::Timeout) => Err(TimedOut(limit)),
        Err(RecvTimeoutError::Disconnected) => panic!("the job panicked"),
    }
}
// ANCHOR_END: watchdog

fn main() {
    // ANCHOR: use
    // A job that finishes: a generous limit costs nothing, `within` returns when the job does.
    let sum = within(Duration::from_secs(10), || (1..=100_u32).sum::<u32>());
    assert_eq!(sum, Ok(5050));
    println!("finished: {sum:?}");

    // A job that can never finish: it waits for a message nobody sends (a lost wake-up,
    // in miniature). Without the watchdog, this program would hang here forever.
    let (never_tx, never_rx) = mpsc::channel::<()>();
    let hung = within(Duration::from_millis(50), move || never_rx.recv());
    assert_eq!(hung, Err(TimedOut(Duration::from_millis(50))));
    println!("hung job reported: {hung:?}");
    // Dropping the sender lets the stuck thread's `recv` return, so that thread ends too.
    drop(never_tx);
    // ANCHOR_END: use
}
