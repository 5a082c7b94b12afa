//! Chapter 15: what `#[tokio::main]` does, and where tasks run on each kind of runtime.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use tokio::runtime::Builder;

// ANCHOR: expanded
// `#[tokio::main] async fn main() { body }` becomes, give or take, the first half of this;
// `#[tokio::main(flavor = "current_thread")]` the second.
fn main() {
    let runtime = Builder::new_multi_thread()
        .enable_all() // the timer and I/O drivers
        .build()
        .expect("Failed building the Runtime");
    runtime.block_on(multi_thread_body());
    drop(runtime); // what returning from `main` does

    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(current_thread_body());
}
// ANCHOR_END: expanded

// ANCHOR: multi_thread
async fn multi_thread_body() {
    // The body is not a task: `block_on` polls it on the thread that called `block_on`.
    assert_eq!(tokio::task::try_id(), None);
    assert_eq!(thread::current().name(), Some("main"));

    // A spawned task is a task, and it runs on one of the runtime's worker threads.
    let (id, thread_name) = tokio::spawn(async {
        let name = thread::current().name().map(String::from);
        (tokio::task::try_id(), name)
    })
    .await
    .unwrap();
    assert!(id.is_some());
    assert_eq!(thread_name.as_deref(), Some("tokio-rt-worker"));
    println!("multi-thread: the body runs on `main`, the task on a worker thread");
}
// ANCHOR_END: multi_thread

// ANCHOR: current_thread
async fn current_thread_body() {
    let ran = Arc::new(AtomicBool::new(false));
    let task = tokio::spawn({
        let ran = Arc::clone(&ran);
        async move {
            ran.store(true, Ordering::Relaxed);
            thread::current().name().map(String::from)
        }
    });
    // The runtime's only thread is busy running this body: the task has not started.
    assert!(!ran.load(Ordering::Relaxed));
    println!("current-thread: after spawn, the task has not run");

    // At an `.await` that is not ready, the body gives the thread back, and the task runs.
    tokio::task::yield_now().await;
    assert!(ran.load(Ordering::Relaxed));
    println!("current-thread: after the body yielded, it has");
    assert_eq!(task.await.unwrap().as_deref(), Some("main"));
    println!("current-thread: the task ran on `main`, like the body");
}
// ANCHOR_END: current_thread
