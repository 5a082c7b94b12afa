//! Chapter 7: read-write locks.

use crate::support::listing;

#[test]
fn readers_share_the_lock_and_writers_wait_for_them() {
    let run = listing!("ch07_readers");
    assert_eq!(
        run.lines(),
        [
            "a second reader sees 2 prices",
            "a writer has to wait for the readers",
            "after the write there are 3 prices",
        ]
    );
}

#[test]
fn no_reader_ever_sees_a_torn_write() {
    let run = listing!("ch07_consistent");
    assert_eq!(
        run.lines(),
        ["15000 reads, every one consistent", "final version 4000"]
    );
}

#[test]
fn exercise_solution_computes_each_key_once() {
    let run = listing!("ch07_solution");
    assert_eq!(run.lines(), ["800 lookups, 100 computations"]);
}
