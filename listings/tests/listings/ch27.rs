//! Chapter 27: testing concurrent code.

use std::time::Duration;

use tokio::time::{Instant, timeout};

use crate::support::listing;

// The retry function of `ch27_backoff`, compiled into this test so that its timing can be
// checked on tokio's paused clock. (The binary's own `main` is unused here.)
#[allow(dead_code)]
#[path = "../../src/bin/ch27_backoff.rs"]
mod backoff;

#[test]
fn invariants_hold_for_every_producer() {
    let run = listing!("ch27_invariants");
    assert_eq!(
        run.lines(),
        ["4000 messages from 4 producers: none lost, none repeated, each producer in order"]
    );
}

#[test]
fn watchdog_returns_results_and_reports_hangs() {
    let run = listing!("ch27_watchdog");
    assert_eq!(
        run.lines(),
        [
            "finished: Ok(5050)",
            "hung job reported: Err(TimedOut(50ms))"
        ]
    );
}

#[test]
fn stress_run_catches_the_lost_update_before_it_trusts_fetch_add() {
    let run = listing!("ch27_stress");
    let lines = run.lines();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    // The listing itself fails if 500 rounds never lose an increment with load-then-store.
    // In which round they first do depends on the machine and its load: check the range.
    let round: usize = lines[0]
        .strip_prefix("load_then_store: lost increments in round ")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected line: {}", lines[0]));
    assert!((1..=500).contains(&round), "{}", lines[0]);
    assert_eq!(lines[1], "fetch_add: no lost increment in 30 rounds");
}

#[test]
fn publish_listing_always_delivers_the_data() {
    let run = listing!("ch27_publish");
    assert_eq!(run.lines(), ["1000 handovers, every one delivered 42"]);
}

#[test]
fn backoff_listing_retries_until_the_answer() {
    let run = listing!("ch27_backoff");
    assert_eq!(
        run.lines(),
        ["answered on call 3, after at least 3 ms of back-off"]
    );
}

// ANCHOR: paused
// With the clock paused, `sleep` does not wait: when every task is idle, tokio jumps the
// clock to the next timer. 700 ms of back-off take no real time, and the time is exact.
#[tokio::test(start_paused = true)]
async fn backoff_doubles_the_delay_after_each_failure() {
    let start = Instant::now();
    let mut calls = Vec::new();
    let answer = backoff::retry(5, Duration::from_millis(100), || {
        calls.push(start.elapsed());
        let n = calls.len();
        async move { if n < 4 { Err("unavailable") } else { Ok(n) } }
    });
    // A retry loop that never ends would fail here, after an hour of paused (instant) time.
    let answer = timeout(Duration::from_secs(3600), answer)
        .await
        .expect("retry hung");
    assert_eq!(answer, Ok(4));
    let ms = |ms| Duration::from_millis(ms);
    // Calls at 0, then after 100, 200 and 400 ms more of back-off.
    assert_eq!(calls, [ms(0), ms(100), ms(300), ms(700)]);
}

#[tokio::test(start_paused = true)]
async fn backoff_gives_up_after_the_last_try() {
    let start = Instant::now();
    let mut calls = 0;
    let answer = backoff::retry(3, Duration::from_millis(100), || {
        calls += 1;
        async { Err::<(), _>("down") }
    });
    let answer = timeout(Duration::from_secs(3600), answer)
        .await
        .expect("retry hung");
    assert_eq!(answer, Err("down"));
    assert_eq!(calls, 3);
    // No sleep after the last failure: 100 + 200 ms, not 700.
    assert_eq!(start.elapsed(), Duration::from_millis(300));
}
// ANCHOR_END: paused
