//! Chapter 1, listing 1: spawn a thread, keep working, then join it and collect its result.
// ANCHOR: all
use std::thread;
use std::time::Duration;

fn main() {
    // ANCHOR: spawn
    let worker = thread::spawn(|| {
        let mut sum = 0;
        for step in 1..=5 {
            println!("worker: step {step}");
            sum += step;
            thread::sleep(Duration::from_millis(1));
        }
        sum // the thread's result travels back through its JoinHandle
    });
    // ANCHOR_END: spawn

    // ANCHOR: meanwhile
    for step in 1..=3 {
        println!("main: step {step}");
        thread::sleep(Duration::from_millis(1));
    }
    // ANCHOR_END: meanwhile

    // ANCHOR: join
    let sum = worker.join().expect("the worker thread panicked");
    println!("worker returned {sum}");
    assert_eq!(sum, 1 + 2 + 3 + 4 + 5);
    // ANCHOR_END: join
}
// ANCHOR_END: all
