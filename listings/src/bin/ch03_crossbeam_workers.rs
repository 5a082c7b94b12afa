//! Chapter 3, listing 4: crossbeam's receiver can be cloned, so several workers share a queue.
use crossbeam::channel;
use std::thread;
use std::time::Duration;

const JOBS: u64 = 200;
const WORKERS: usize = 3;

fn main() {
    // ANCHOR: workers
    let (job_tx, job_rx) = channel::unbounded::<u64>();
    let (result_tx, result_rx) = channel::unbounded::<(usize, u64, u64)>();

    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            // A clone of the receiver: every job goes to exactly one of the workers.
            let (job_rx, result_tx) = (job_rx.clone(), result_tx.clone());
            thread::spawn(move || {
                for job in job_rx {
                    thread::sleep(Duration::from_micros(100)); // stands in for real work
                    result_tx.send((worker, job, job * job)).unwrap();
                }
            })
        })
        .collect();
    drop((job_rx, result_tx));

    for job in 0..JOBS {
        job_tx.send(job).unwrap();
    }
    // Close the job queue: each worker's loop ends once the queue is empty.
    drop(job_tx);
    // ANCHOR_END: workers

    // ANCHOR: collect
    let mut seen = vec![false; JOBS as usize];
    let mut per_worker = [0; WORKERS];
    for (worker, job, square) in result_rx {
        assert_eq!(square, job * job);
        assert!(!seen[job as usize], "job {job} was done twice");
        seen[job as usize] = true;
        per_worker[worker] += 1;
    }
    for w in workers {
        w.join().unwrap();
    }
    assert!(seen.iter().all(|&s| s), "a job was lost");
    assert_eq!(per_worker.iter().sum::<u64>(), JOBS);
    println!("{JOBS} jobs, each done exactly once");
    eprintln!("jobs per worker (varies from run to run): {per_worker:?}");
    // ANCHOR_END: collect
}
