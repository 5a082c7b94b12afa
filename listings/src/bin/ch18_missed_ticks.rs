//! Chapter 18, listing 5: what an interval does about the ticks it could not deliver on time.
use std::time::Duration;
use tokio::time::{Instant, MissedTickBehavior, interval, sleep};

// ANCHOR: ticks
/// A 10 ms interval whose owner is busy for `stall` after the first tick. Returns when the
/// next four ticks came, counted from the start.
pub async fn ticks_after_a_stall(behavior: MissedTickBehavior, stall: Duration) -> Vec<Duration> {
    let start = Instant::now();
    let mut ticks = interval(Duration::from_millis(10));
    ticks.set_missed_tick_behavior(behavior);
    ticks.tick().await; // the first tick is immediate
    sleep(stall).await; // busy elsewhere
    let mut at = Vec::new();
    for _ in 0..4 {
        ticks.tick().await;
        at.push(start.elapsed());
    }
    at
}
// ANCHOR_END: ticks

#[tokio::main]
async fn main() {
    let ms = Duration::from_millis(1);
    // A 25 ms stall misses the ticks due at 10 and 20 ms. On the real clock only lower bounds
    // are certain (a timer never fires early); the chapter's tests check the exact times under
    // the paused clock.
    let at_least = |at: &[Duration], bounds: [u32; 4]| {
        at.iter().zip(bounds).all(|(&t, bound)| t >= bound * ms)
    };
    let burst = ticks_after_a_stall(MissedTickBehavior::Burst, 25 * ms).await;
    assert!(at_least(&burst, [25, 25, 30, 40]), "{burst:?}");
    println!("Burst: the missed ticks come at once, then the old schedule goes on");

    let delay = ticks_after_a_stall(MissedTickBehavior::Delay, 25 * ms).await;
    assert!(at_least(&delay, [25, 35, 45, 55]), "{delay:?}");
    println!("Delay: one late tick, then a full period after it, and so on");

    let skip = ticks_after_a_stall(MissedTickBehavior::Skip, 25 * ms).await;
    assert!(at_least(&skip, [25, 30, 40, 50]), "{skip:?}");
    println!("Skip: one late tick, then back on the old schedule");
}
