//! Chapter 25, listing 1: a pool whose workers die with the first job that panics.
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex, mpsc};
use std::thread;

type Job = Box<dyn FnOnce() + Send + 'static>;

// ANCHOR: naive
struct NaivePool {
    workers: Vec<thread::JoinHandle<()>>,
    sender: Option<mpsc::Sender<Job>>,
}

impl NaivePool {
    fn new(size: usize) -> NaivePool {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..size)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                thread::spawn(move || {
                    loop {
                        // The guard is a temporary: the lock is released before the job runs.
                        let job = receiver.lock().unwrap().recv();
                        match job {
                            Ok(job) => job(), // a panic here unwinds out of the worker
                            Err(_) => break,
                        }
                    }
                })
            })
            .collect();
        NaivePool {
            workers,
            sender: Some(sender),
        }
    }

    fn execute(&self, job: impl FnOnce() + Send + 'static) {
        self.sender.as_ref().unwrap().send(Box::new(job)).unwrap();
    }
}

impl Drop for NaivePool {
    fn drop(&mut self) {
        drop(self.sender.take());
        for worker in self.workers.drain(..) {
            worker.join().unwrap(); // panics if the worker did
        }
    }
}
// ANCHOR_END: naive

fn main() {
    // ANCHOR: main
    let pool = NaivePool::new(2);
    let ran = Arc::new(AtomicUsize::new(0));

    // Two jobs that panic. They wait until everything is queued, so that the outcome does
    // not depend on how fast the workers are.
    let everything_queued = Arc::new(Barrier::new(3));
    for _ in 0..2 {
        let everything_queued = Arc::clone(&everything_queued);
        pool.execute(move || {
            everything_queued.wait();
            panic!("a job failed");
        });
    }
    for _ in 0..5 {
        let ran = Arc::clone(&ran);
        pool.execute(move || {
            ran.fetch_add(1, Ordering::Relaxed);
        });
    }
    everything_queued.wait();

    // Each panic killed the worker that ran it: nobody is left for the other five jobs.
    let dropped = panic::catch_unwind(AssertUnwindSafe(|| drop(pool)));
    println!("dropping the pool panicked: {}", dropped.is_err());
    println!("jobs run: {} of 5", ran.load(Ordering::Relaxed));
    assert!(dropped.is_err());
    assert_eq!(ran.load(Ordering::Relaxed), 0);
    // ANCHOR_END: main
}
