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
        ]
    );
}

#[test]
fn an_identity_that_is_not_neutral_is_added_once_per_piece() {
    let run = listing!("ch13_bad_identity");
    let line = run.lines()[0];
    let got: u64 = line
        .strip_prefix("expected 50005000, got ")
        .unwrap_or_else(|| panic!("unexpected output: {line}"))
        .parse()
        .unwrap();
    // 1..=10_000 has 10_000 items, so there are between 1 and 10_000 pieces.
    assert!((50_005_001..=50_015_000).contains(&got), "{got}");
}

#[test]
fn parallel_sorts_match_sequential_sorts() {
    let run = listing!("ch13_sort_join");
    assert_eq!(
        run.lines(),
        [
            "sorted 50000 numbers, both ways, identically",
            "min 59, max 999940"
        ]
    );
}

#[test]
fn custom_pool_has_two_named_threads() {
    let run = listing!("ch13_pool");
    assert_eq!(
        run.lines(),
        [
            "sum of squares: 333833500",
            "the pool's threads: crunch-0, crunch-1"
        ]
    );
}

#[test]
fn whole_milliseconds_give_nan() {
    let run = listing!("ch13_speedup_nan");
    assert_eq!(
        run.lines(),
        ["from whole milliseconds: NaNx", "from f64 seconds: 0.69x"]
    );
}

#[test]
fn exercise_solution_counts_like_the_sequential_version() {
    let run = listing!("ch13_solution");
    assert_eq!(run.lines(), ["parallel counts match: 195000 letters"]);
}
