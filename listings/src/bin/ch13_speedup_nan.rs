//! Chapter 13, listing 5: why "speed-up" from whole milliseconds prints NaN.
use std::time::Duration;

fn main() {
    // ANCHOR: nan
    // Two durations of the kind a fast release build measures: under a millisecond.
    let sequential = Duration::from_micros(420);
    let parallel = Duration::from_micros(610);

    // `as_millis` truncates both to 0, and 0.0 / 0.0 is NaN.
    let truncated = sequential.as_millis() as f64 / parallel.as_millis() as f64;
    println!("from whole milliseconds: {truncated:.2}x");
    assert!(truncated.is_nan());

    // Seconds as f64 keep the fraction.
    let speedup = sequential.as_secs_f64() / parallel.as_secs_f64();
    println!("from f64 seconds: {speedup:.2}x");
    assert!((speedup - 0.69).abs() < 0.01);
    // ANCHOR_END: nan
}
