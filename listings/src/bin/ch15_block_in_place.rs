//! Chapter 15: `block_in_place` lets a task block without stalling the tasks queued behind
//! it, on the multi-threaded runtime only.
use std::panic;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;
use tokio::runtime::Builder;
use tokio::time::sleep;

fn main() {
    // ANCHOR: multi_thread
    // A multi-threaded runtime with a single worker: one task blocking it would stop all.
    let runtime = Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let ticks = Arc::new(AtomicU64::new(0));
        let (tick_tx, tick_rx) = mpsc::channel();
        let ticker = tokio::spawn({
            let ticks = Arc::clone(&ticks);
            async move {
                loop {
                    let n = ticks.fetch_add(1, Ordering::Relaxed) + 1;
                    let _ = tick_tx.send(n);
                    sleep(Duration::from_millis(1)).await;
                }
            }
        });
        // A task on the only worker waits, blocking, until the ticker has ticked three more
        // times. `block_in_place` first hands the worker's other tasks to a new thread.
        let waiter = tokio::spawn(async move {
            let from = ticks.load(Ordering::Relaxed);
            tokio::task::block_in_place(|| {
                loop {
                    let n = tick_rx
                        .recv_timeout(Duration::from_secs(10))
                        .expect("the ticker stopped: the worker is blocked");
                    if n >= from + 3 {
                        return n;
                    }
                }
            })
        });
        waiter.await.unwrap();
        ticker.abort();
    });
    println!("multi-thread: the ticker kept ticking while a task blocked in place");
    // ANCHOR_END: multi_thread

    // ANCHOR: current_thread
    // On a current-thread runtime there is no other thread to hand the work to.
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let result = runtime
        .block_on(async { panic::catch_unwind(|| tokio::task::block_in_place(|| "never runs")) });
    let payload = result.unwrap_err();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not a string)");
    println!("current-thread: block_in_place panicked: {message}");
    // ANCHOR_END: current_thread
}
