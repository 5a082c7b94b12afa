//! Chapter 26: fan-out, fan-in and pipelines.

use crate::support::listing;

/// The number in `line` after `prefix`, up to the next space.
fn number_after(line: &str, prefix: &str) -> usize {
    let rest = line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("`{line}` does not start with `{prefix}`"));
    rest.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn fan_out_fan_in_processes_every_item_once_and_matches_sequential() {
    let run = listing!("ch26_fan_out_fan_in");
    let lines = run.lines();
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    // How the items were shared out varies from run to run; the total does not.
    let mut total = 0;
    for (worker, line) in lines[..4].iter().enumerate() {
        let count = number_after(line, &format!("worker {worker} took "));
        total += count;
    }
    assert_eq!(total, 20_000);
    // The listing asserts it: when a worker stopped, at most the other workers' last items
    // were untaken. A static split fails this, although its results are just as correct.
    assert_eq!(lines[4], "no worker stopped while items were waiting");
    assert_eq!(lines[5], "20000 results, equal to the sequential run");
}

#[test]
fn a_collector_that_leaves_stops_every_stage_without_a_panic() {
    let run = listing!("ch26_collector_gone");
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert_eq!(lines[0], "collector kept 10 results");
    let processed = number_after(lines[1], "workers processed ");
    assert!((10..=22).contains(&processed), "{}", lines[1]);
    assert!(lines[1].ends_with("(at most 22)"));
    let sent = number_after(lines[2], "feeder sent ");
    assert!((processed..=30).contains(&sent), "{}", lines[2]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn bounded_pipeline_matches_sequential_and_bounds_what_is_in_flight() {
    let run = listing!("ch26_pipeline");
    let lines = run.lines();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[0], "10000 lines, equal to the sequential run");
    let in_flight = number_after(lines[1], "at most ");
    assert!(lines[1].ends_with("(bound: 52)"), "{}", lines[1]);
    assert!((1..=52).contains(&in_flight), "{}", lines[1]);
}
