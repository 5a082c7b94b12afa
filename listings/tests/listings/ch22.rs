//! Chapter 22: divide and conquer.

use crate::support::listing;

#[test]
fn naive_version_spawns_a_thread_per_split_and_copies_every_level() {
    let run = listing!("ch22_naive");
    // 100_000 items halved until <= 1_000: 7 levels, 128 leaves, 2 * 127 threads,
    // and every level copies all 100_000 items.
    assert_eq!(
        run.lines(),
        ["to add up 100000 numbers: 254 threads spawned, 700000 numbers copied"]
    );
}

#[test]
fn join_sum_equals_sequential_sum_for_every_threshold() {
    let run = listing!("ch22_sum");
    assert_eq!(
        run.lines(),
        ["parallel sum = sequential sum = -314749, for every threshold"]
    );
}

#[test]
fn scoped_sum_spawns_one_thread_fewer_than_pieces() {
    // The listing counts the threads that really ran (each one increments a counter); at
    // depth d there are 2^d pieces, and the calling thread does one of them itself.
    let run = listing!("ch22_scoped");
    let cores = std::thread::available_parallelism().unwrap().get();
    let depth = cores.next_power_of_two().trailing_zeros();
    let mut expected = vec![format!(
        "{cores} cores: depth {depth}, threads spawned: {}",
        (1 << depth) - 1
    )];
    for d in 0..=4 {
        expected.push(format!("depth {d}: threads spawned: {}", (1 << d) - 1));
    }
    assert_eq!(run.lines(), expected);
}

#[test]
fn parallel_quicksort_sorts_like_sort_unstable() {
    let run = listing!("ch22_quicksort");
    for name in [
        "random",
        "many duplicates",
        "sorted",
        "reversed",
        "all equal",
        "empty",
        "one item",
    ] {
        run.assert_once(&format!("{name}: sorted like sort_unstable"));
    }
    assert_eq!(run.lines().len(), 7);
}
