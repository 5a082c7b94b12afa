//! Chapter 26 exercise, solved: fan out, then fan in *in input order*.
use crossbeam::channel;
use std::collections::BTreeMap;
use std::thread;

// ANCHOR: solution
/// Applies `f` to every item on `workers` threads and returns the results in the order of
/// `items`, as `items.into_iter().map(f).collect()` would.
fn ordered_map<T, R>(items: Vec<T>, workers: usize, f: impl Fn(T) -> R + Sync) -> Vec<R>
where
    T: Send,
    R: Send,
{
    let (to_workers, queue) = channel::bounded::<(usize, T)>(64);
    let (to_collector, results) = channel::unbounded::<(usize, R)>();
    let f = &f;
    let expected = items.len();

    thread::scope(|s| {
        for _ in 0..workers.max(1) {
            let (queue, to_collector) = (queue.clone(), to_collector.clone());
            s.spawn(move || {
                for (index, item) in queue {
                    if to_collector.send((index, f(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop((queue, to_collector));
        s.spawn(move || {
            for pair in items.into_iter().enumerate() {
                if to_workers.send(pair).is_err() {
                    break;
                }
            }
        });

        let mut output = Vec::with_capacity(expected);
        // Results that arrived before their turn, by index.
        let mut early = BTreeMap::new();
        for (index, result) in results {
            early.insert(index, result);
            // Move every result whose turn has come, in order.
            while let Some(result) = early.remove(&output.len()) {
                output.push(result);
            }
        }
        assert!(early.is_empty(), "every index arrives exactly once");
        output
    })
}
// ANCHOR_END: solution

fn main() {
    let items: Vec<u64> = (0..10_000).collect();
    let slow_for_some = |n: u64| (0..n % 97).fold(n, |acc, k| acc.wrapping_mul(31).wrapping_add(k));

    let parallel = ordered_map(items.clone(), 4, slow_for_some);
    let sequential: Vec<u64> = items.into_iter().map(slow_for_some).collect();
    // No sorting: the order itself is part of the result.
    assert_eq!(parallel, sequential);

    // Item 0 cannot finish before item 1 has: its result arrives second and must still
    // come out first. (Two workers, so that another one is free to take item 1.)
    let (one_done, wait_for_one) = channel::bounded::<()>(1);
    let overtaken = ordered_map(vec![0_u32, 1], 2, |n| {
        if n == 0 {
            wait_for_one.recv().unwrap();
        } else {
            one_done.send(()).unwrap();
        }
        n * 10
    });
    assert_eq!(overtaken, [0, 10]);

    let words = ordered_map(vec!["a", "bb", "ccc"], 8, |w: &str| w.len());
    assert_eq!(words, [1, 2, 3]);
    assert!(ordered_map(Vec::<u8>::new(), 2, |b| b).is_empty());
    println!("ordered results equal the sequential map");
}
