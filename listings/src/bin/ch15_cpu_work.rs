//! Chapter 15: CPU-bound work handed to rayon, its answer brought back on a `oneshot` channel,
//! so that the runtime's threads stay free for everything else.
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

// ANCHOR: on_rayon
/// Runs `work` on rayon's pool and waits for its result without holding a runtime thread.
pub async fn on_rayon<T, F>(work: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    rayon::spawn(move || {
        // Uncaught, a panic in a `rayon::spawn` job aborts the process: catch it, and send it.
        let result = panic::catch_unwind(AssertUnwindSafe(work));
        let _ = tx.send(result); // the caller may have stopped waiting; that is fine
    });
    match rx.await.expect("the job sends before it ends") {
        Ok(value) => value,
        // The job panicked: panic here too, in the task that asked for the work.
        Err(payload) => panic::resume_unwind(payload),
    }
}
// ANCHOR_END: on_rayon

// ANCHOR: server
/// A server task: answers every request with its number, and counts its answers.
async fn server(
    mut requests: mpsc::Receiver<(u32, oneshot::Sender<u32>)>,
    answered: Arc<AtomicUsize>,
) {
    while let Some((n, reply)) = requests.recv().await {
        answered.fetch_add(1, SeqCst);
        let _ = reply.send(n);
    }
}

/// Stands in for a long computation, with a twist that makes the demonstration exact rather
/// than a race: once it has said it started, it keeps the CPU busy until the server has
/// answered `wanted` more requests (or for at most five seconds), and returns how many it saw.
fn busy_until_answered(
    answered: &AtomicUsize,
    wanted: usize,
    started: oneshot::Sender<()>,
) -> usize {
    let before = answered.load(SeqCst);
    started.send(()).unwrap();
    let start = Instant::now();
    while answered.load(SeqCst) - before < wanted && start.elapsed() < Duration::from_secs(5) {
        std::hint::spin_loop();
    }
    answered.load(SeqCst) - before
}
// ANCHOR_END: server

// ANCHOR: main
// One runtime thread, as in the ticker listing: nothing else can run while a task computes on it.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let answered = Arc::new(AtomicUsize::new(0));
    let (requests, inbox) = mpsc::channel(8);
    tokio::spawn(server(inbox, Arc::clone(&answered)));

    let (started_tx, started_rx) = oneshot::channel();
    let job = tokio::spawn({
        let answered = Arc::clone(&answered);
        on_rayon(move || busy_until_answered(&answered, 3, started_tx))
    });
    started_rx.await.unwrap(); // the job is computing now
    for n in 1..=3 {
        let (reply, answer) = oneshot::channel();
        requests.send((n, reply)).await.unwrap();
        assert_eq!(answer.await.unwrap(), n);
    }
    let seen = job.await.unwrap();
    assert_eq!(
        seen, 3,
        "the server could not answer while the job computed"
    );
    println!("the server answered {seen} requests while the job computed on rayon");

    // A panic in the job comes back as a panic of the task that awaited it.
    let failed = tokio::spawn(on_rayon(|| -> u64 { panic!("bad input") })).await;
    let payload = failed.unwrap_err().into_panic();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"bad input"));
    println!("the job's panic came back to the task: bad input");
}
// ANCHOR_END: main
