//! Chapter 26, listing 2: when the collector stops early, every stage winds down cleanly.
use crossbeam::channel;
use std::thread;

const ITEMS: u64 = 1_000_000;
const CAPACITY: usize = 8;
const WORKERS: usize = 4;
const WANTED: usize = 10;

fn main() {
    // ANCHOR: gone
    let (to_workers, queue) = channel::bounded::<u64>(CAPACITY);
    let (to_collector, results) = channel::bounded::<u64>(CAPACITY);

    let (sent, processed) = thread::scope(|s| {
        let feeder = s.spawn(move || {
            let mut sent = 0;
            for n in 0..ITEMS {
                if to_workers.send(n).is_err() {
                    break; // every worker has stopped
                }
                sent += 1;
            }
            sent
        });

        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let (queue, to_collector) = (queue.clone(), to_collector.clone());
                s.spawn(move || {
                    let mut processed = 0;
                    for n in queue {
                        processed += 1;
                        if to_collector.send(n * n).is_err() {
                            break; // the collector is gone; stop instead of panicking
                        }
                    }
                    processed // dropping `queue` here is how the feeder learns to stop
                })
            })
            .collect();
        drop((queue, to_collector));

        // The collector wants only the first few results, then leaves.
        let kept: Vec<u64> = results.iter().take(WANTED).collect();
        drop(results);
        println!("collector kept {} results", kept.len());

        let processed: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
        (feeder.join().unwrap(), processed)
    });
    // ANCHOR_END: gone

    // ANCHOR: bounds
    // At most WANTED results were taken and CAPACITY left in the channel; each worker
    // processed at most one more, whose send failed.
    let most_processed = WANTED + CAPACITY + WORKERS;
    // The feeder got ahead of the workers by at most one full queue.
    let most_sent = most_processed + CAPACITY;
    println!("workers processed {processed} items (at most {most_processed})");
    println!("feeder sent {sent} of {ITEMS} items (at most {most_sent})");
    assert!(processed <= most_processed);
    assert!(sent as usize <= most_sent);
    // ANCHOR_END: bounds
}
