//! Chapter 15, listing 4: blocking inside a task stalls every task on that thread;
//! `spawn_blocking` moves the wait to a thread of its own.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;
use tokio::time::sleep;

// ANCHOR: main
// One runtime thread, so "every task on this thread" means every task.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // A ticker task counts, and reports each tick on a std (blocking) channel.
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
    sleep(Duration::from_millis(3)).await; // let it tick a little

    // Wrong: block the runtime thread for 20 ms.
    let before = ticks.load(Ordering::Relaxed);
    thread::sleep(Duration::from_millis(20));
    let after = ticks.load(Ordering::Relaxed);
    assert!(before >= 1);
    assert_eq!(
        before, after,
        "no task runs while this one blocks the thread"
    );
    println!("while main blocked the thread, the ticker did not tick");

    // Right: do the blocking wait on tokio's blocking pool, and await it.
    // The closure waits until the ticker has ticked three more times.
    let seen = tokio::task::spawn_blocking(move || {
        loop {
            let n = tick_rx.recv_timeout(Duration::from_secs(10)).unwrap();
            if n >= after + 3 {
                return n;
            }
        }
    })
    .await
    .unwrap();
    assert!(seen >= after + 3);
    println!("while spawn_blocking waited, the ticker kept ticking");
    ticker.abort();
}
// ANCHOR_END: main
