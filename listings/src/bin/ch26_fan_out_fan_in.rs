//! Chapter 26, listing 1: fan out to workers that pull from one queue, fan the results in.
use crossbeam::channel;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread;

/// The work: the number of Collatz steps from `n` down to 1. Its cost varies from item
/// to item, as real work does.
fn collatz_steps(mut n: u64) -> u32 {
    let mut steps = 0;
    while n != 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        steps += 1;
    }
    steps
}

// ANCHOR: fan
/// Computes `collatz_steps` for every item on `workers` threads. Returns the results in
/// the order they finished, how many items each worker took, and the most items any worker
/// left waiting, untaken, when it stopped.
fn fan_out_fan_in(items: Vec<u64>, workers: usize) -> (Vec<(u64, u32)>, Vec<usize>, usize) {
    let total = items.len();
    let taken_so_far = AtomicUsize::new(0);
    // One queue that every worker pulls from: a worker takes the next item as soon as it
    // is free, so a run of expensive items cannot pile up on one of them.
    let (to_workers, queue) = channel::bounded::<u64>(64);
    let (to_collector, results) = channel::unbounded::<(u64, u32)>();

    thread::scope(|s| {
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                let (queue, to_collector) = (queue.clone(), to_collector.clone());
                let taken_so_far = &taken_so_far;
                s.spawn(move || {
                    let mut taken = 0;
                    for n in queue {
                        taken_so_far.fetch_add(1, SeqCst);
                        taken += 1;
                        if to_collector.send((n, collatz_steps(n))).is_err() {
                            break; // the collector is gone: nobody wants more results
                        }
                    }
                    // The queue is closed and empty: nothing is left waiting, except items
                    // that other workers have just received and not yet counted.
                    (taken, total - taken_so_far.load(SeqCst))
                })
            })
            .collect();
        // Only the workers may keep these ends open, or the loops below never end.
        drop((queue, to_collector));

        // Feed the queue from a thread of its own, so that the collector runs meanwhile.
        s.spawn(move || {
            for n in items {
                if to_workers.send(n).is_err() {
                    break; // every worker has stopped
                }
            }
            // `to_workers` is dropped here: the workers' loops end when the queue is empty.
        });

        // Fan in: `results` ends when every worker has dropped its sender.
        let collected: Vec<(u64, u32)> = results.iter().collect();
        let (taken, left_waiting): (Vec<usize>, Vec<usize>) =
            workers.into_iter().map(|w| w.join().unwrap()).unzip();
        (
            collected,
            taken,
            left_waiting.into_iter().max().unwrap_or(0),
        )
    }) // the scope joins the feeder too
}
// ANCHOR_END: fan

fn main() {
    // ANCHOR: main
    let items: Vec<u64> = (1..=20_000).collect();
    let workers = 4;
    let (mut parallel, taken, left_waiting) = fan_out_fan_in(items.clone(), workers);

    for (worker, count) in taken.iter().enumerate() {
        println!("worker {worker} took {count} items");
    }
    assert_eq!(taken.iter().sum::<usize>(), items.len());
    // No worker stopped while items were waiting for a worker: at most the other workers'
    // last items, received but not yet counted, were still untaken.
    assert!(
        left_waiting < workers,
        "a worker stopped with {left_waiting} items waiting"
    );
    println!("no worker stopped while items were waiting");

    // Results arrive in whatever order the workers finish: sort before comparing.
    parallel.sort_unstable();
    let sequential: Vec<(u64, u32)> = items.iter().map(|&n| (n, collatz_steps(n))).collect();
    assert_eq!(parallel, sequential);
    println!("{} results, equal to the sequential run", parallel.len());
    // ANCHOR_END: main
}
