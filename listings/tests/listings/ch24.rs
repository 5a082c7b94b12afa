//! Chapter 24: measuring concurrent performance. These tests never check a timing value:
//! only that the listings measured something and that every count is exact.

use crate::support::listing;

/// The duration printed after `prefix` and before ` ` (or the end of the line), in seconds.
fn duration_after(line: &str, prefix: &str, suffix: &str) -> f64 {
    let text = line
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(suffix))
        .unwrap_or_else(|| panic!("`{line}` is not `{prefix}...{suffix}`"));
    let units = [("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3), ("s", 1.0)];
    let (number, scale) = units
        .iter()
        .find_map(|(unit, scale)| text.strip_suffix(unit).map(|n| (n, scale)))
        .unwrap_or_else(|| panic!("no unit in `{text}`"));
    number.parse::<f64>().unwrap() * scale
}

#[test]
fn sleep_cost_listing_measures_sleep_increments_and_spawning() {
    let run = listing!("ch24_sleep_cost");
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    let sleep = duration_after(lines[0], "thread::sleep(100ns) took ", " on average");
    let increment = duration_after(
        lines[1],
        "an uncontended Mutex<u64> increment took ",
        " on average",
    );
    let spawn = duration_after(
        lines[2],
        "spawning and joining 4 threads that do nothing took ",
        "",
    );
    for value in [sleep, increment, spawn] {
        assert!(value > 0.0, "{}", run.stdout);
    }
    // The one timing claim a test can make: a sleep lasts at least as long as it asked for.
    assert!(sleep >= 100e-9, "{}", run.stdout);
}

#[test]
fn every_counter_is_exact_at_every_thread_count() {
    let run = listing!("ch24_counters");
    assert_eq!(
        run.lines(),
        [
            "1 threads: all four counters reached 100000",
            "2 threads: all four counters reached 200000",
            "4 threads: all four counters reached 400000",
        ]
    );
}
