//! Chapter 25, timeline: two workers take eight jobs of different lengths from one shared
//! queue. One line of output per event, for `cargo xtask diagrams` to draw.
use crossbeam::channel;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send + 'static>;

const WORKERS: usize = 2;
const JOBS: usize = 8;

fn main() {
    // ANCHOR: timeline
    let (jobs, queue) = channel::unbounded::<(usize, Job)>();
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let queue = queue.clone();
            thread::spawn(move || {
                // Whichever worker is free takes the next job.
                for (id, job) in queue.iter() {
                    println!("worker {w}: job {id} started");
                    job();
                    println!("worker {w}: job {id} finished");
                }
                println!("worker {w}: queue closed and empty, exiting");
            })
        })
        .collect();

    let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..JOBS).map(|_| AtomicUsize::new(0)).collect());
    for id in 0..JOBS {
        let runs = Arc::clone(&runs);
        let job: Job = Box::new(move || {
            thread::sleep(Duration::from_millis(1 + id as u64 % 3)); // 1, 2 or 3 ms of "work"
            runs[id].fetch_add(1, Ordering::SeqCst);
        });
        jobs.send((id, job)).unwrap();
    }
    println!("main: queued {JOBS} jobs");

    // Close the queue: each worker finishes what is left, then its loop ends.
    drop(jobs);
    for worker in workers {
        worker.join().unwrap();
    }
    println!("main: all workers joined");
    // ANCHOR_END: timeline
    assert!(
        runs.iter().all(|n| n.load(Ordering::SeqCst) == 1),
        "every job ran exactly once"
    );
}
