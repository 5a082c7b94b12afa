//! Chapter 26, "Fan-out, fan-in and pipelines": fan out, then fan in *in input order*.
//!
//! Graded by plain tests under a watchdog. The results must equal a sequential `map`, in order,
//! for several worker counts over 2 000 items of uneven cost, 3 runs each. One test makes the
//! order certain to need restoring: item 0 cannot finish until item 1 has, so item 1's result
//! always arrives first, and a collector that hands results out in arrival order fails on every
//! run. A collector whose loop never ends (a `Sender` kept alive somewhere) fails after 5 s
//! instead of hanging.
// TODO: You need `crossbeam::channel`, `std::collections::BTreeMap` and `std::thread`.

// ANCHOR: exercise
/// Applies `f` to every item on `workers` threads and returns the results in the order of
/// `items`, as `items.into_iter().map(f).collect()` would.
fn ordered_map<T, R>(items: Vec<T>, workers: usize, f: impl Fn(T) -> R + Sync) -> Vec<R>
where
    T: Send,
    R: Send,
{
    // TODO: Feed `(index, item)` pairs into one bounded channel that every worker pulls from.
    // Workers send `(index, f(item))` to the collector. The collector keeps results that
    // arrived early in a `BTreeMap<usize, R>` and moves them to the output as soon as the next
    // index in line is there. Drop every `Sender` you cloned from, or the collector never ends.
    todo!(
        "map {} items with {} on {workers} workers",
        items.len(),
        std::any::type_name_of_val(&f)
    )
}
// ANCHOR_END: exercise

fn main() {
    let items: Vec<u64> = (0..10_000).collect();
    let slow_for_some = |n: u64| (0..n % 97).fold(n, |acc, k| acc.wrapping_mul(31).wrapping_add(k));
    let parallel = ordered_map(items.clone(), 4, slow_for_some);
    let sequential: Vec<u64> = items.into_iter().map(slow_for_some).collect();
    // No sorting: the order itself is part of the result.
    assert_eq!(parallel, sequential);
    println!("ordered results equal the sequential map");
}

#[cfg(test)]
mod tests {
    use super::ordered_map;
    use crossbeam::channel;
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::thread;
    use std::time::Duration;

    const ORDER: &str = "results arrive in the order the workers finish: carry each item's index \
                         and hold back results until their turn (see chapter 26, 'What can go \
                         wrong': relying on order)";
    const STRAY: &str = "the collector's loop ends only when every `Sender` of the results \
                         channel is dropped, the one you cloned from too (see chapter 26, 'What \
                         can go wrong': a stray `Sender`)";

    /// Runs `f` on a thread of its own; fails with `hang` if it has not returned within 5 s.
    fn within<T: Send + 'static>(hang: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (done_tx, done_rx) = mpsc::channel();
        let runner = thread::spawn(move || {
            let value = f();
            let _ = done_tx.send(());
            value
        });
        match done_rx.recv_timeout(Duration::from_secs(5)) {
            Err(RecvTimeoutError::Timeout) => panic!("no answer after 5 s: {hang}"),
            _ => runner
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        }
    }

    fn uneven(n: u64) -> u64 {
        (0..n % 97).fold(n, |acc, k| acc.wrapping_mul(31).wrapping_add(k))
    }

    #[test]
    fn results_equal_the_sequential_map_in_order() {
        let items: Vec<u64> = (0..2_000).collect();
        let sequential: Vec<u64> = items.iter().copied().map(uneven).collect();
        for workers in [1, 2, 4, 8] {
            for run in 0..3 {
                let items = items.clone();
                let parallel = within(STRAY, move || ordered_map(items, workers, uneven));
                assert!(
                    parallel == sequential,
                    "run {run}, {workers} workers: {} results, not the sequential map in input \
                     order; {ORDER}",
                    parallel.len()
                );
            }
        }
    }

    #[test]
    fn a_result_that_overtakes_an_earlier_one_waits_its_turn() {
        for run in 0..20 {
            let overtaken = within(STRAY, || {
                // Item 0 cannot finish before item 1 has: its result arrives second and must
                // still come out first. (Two workers, so that another one is free to take
                // item 1.)
                let (one_done, wait_for_one) = channel::bounded::<()>(1);
                ordered_map(vec![0_u32, 1], 2, move |n| {
                    if n == 0 {
                        wait_for_one.recv().unwrap();
                    } else {
                        one_done.send(()).unwrap();
                    }
                    n * 10
                })
            });
            assert_eq!(overtaken, [0, 10], "run {run}: {ORDER}");
        }
    }

    #[test]
    fn few_or_no_items() {
        let words = within(STRAY, || {
            ordered_map(vec!["a", "bb", "ccc"], 8, |w: &str| w.len())
        });
        assert_eq!(words, [1, 2, 3], "more workers than items: {ORDER}");
        let none = within(STRAY, || ordered_map(Vec::<u8>::new(), 2, |b| b));
        assert!(none.is_empty(), "no items, no results");
    }
}
