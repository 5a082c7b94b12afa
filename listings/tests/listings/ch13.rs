//! Chapter 13: data parallelism with rayon.

use crate::support::listing;

#[test]
fn parallel_pipeline_matches_the_sequential_one() {
    // The listing asserts parallel == sequential for map/collect, filter/count, sum and
    // reduce; these lines are printed only after those assertions passed.
    let run = listing!("ch13_par_iter");
    assert_eq!(
        run.lines(),
        [
            "207 numbers take more than 200 steps; 1834634 steps in all",
            "the longest chain starts at 17673 and takes 278 steps",
            "through par_bridge: 1834634 steps in all",
        ]
    );
}

#[test]
fn an_identity_that_is_not_neutral_is_added_once_per_piece() {
    let run = listing!("ch13_bad_identity");
    assert_eq!(run.lines().len(), 2, "{}", run.stdout);
    // "expected 50005000, got <got>: <pieces> pieces, each starting from 1"
    let line = run.lines()[0];
    let numbers: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let [expected, got, pieces, 1] = numbers[..] else {
        panic!("unexpected output: {line}")
    };
    assert_eq!(expected, 50_005_000);
    // The listing counts the identity's calls: each one added exactly one 1.
    assert_eq!(got, expected + pieces, "{line}");
    // Even a one-thread pool splits 10 000 items at least once.
    assert!(pieces >= 2, "{line}");
}

#[test]
fn subtraction_is_not_associative_so_the_split_changes_the_answer() {
    let run = listing!("ch13_bad_identity");
    let line = run.lines()[1];
    let parallel: i64 = line
        .strip_prefix("a - b: sequential -50005000, parallel ")
        .unwrap_or_else(|| panic!("unexpected output: {line}"))
        .parse()
        .unwrap();
    assert_ne!(parallel, -50_005_000);
}

#[test]
fn parallel_sorts_match_sequential_sorts() {
    let run = listing!("ch13_sort_join");
    assert_eq!(
        run.lines(),
        [
            "sorted 50000 numbers, both ways, identically",
            "min 59, max 999940",
            "left side panicked; the right side had finished before join passed the panic on",
        ]
    );
    assert_eq!(
        run.stderr.matches("the left side failed").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn join_runs_an_unrelated_job_while_it_waits_even_under_a_held_lock() {
    let run = listing!("ch13_join_lock");
    assert_eq!(
        run.lines(),
        [
            "the unrelated job ran on the thread that holds the lock: true",
            "try_lock there: WouldBlock",
        ]
    );
}

#[test]
fn custom_pool_has_two_named_threads() {
    let run = listing!("ch13_pool");
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert_eq!(lines[0], "sum of squares: 333833500");
    // `install` ran its closure on one of the pool's threads, not on main.
    assert!(
        ["crunch-0", "crunch-1"]
            .map(|t| format!("install ran its closure on {t}, while main waited"))
            .contains(&lines[1].to_owned()),
        "{}",
        run.stdout
    );
    assert_eq!(lines[2], "the pool's threads: crunch-0, crunch-1");
}

#[test]
fn whole_milliseconds_give_nan() {
    let run = listing!("ch13_speedup_nan");
    assert_eq!(
        run.lines(),
        ["from whole milliseconds: NaNx", "from f64 seconds: 0.69x"]
    );
}
