//! Chapter 19: `tracing` spans name the task behind every log line, so the log of a stuck
//! program says which request holds the lock and which requests wait for it.
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::task::JoinSet;
use tracing::{Instrument, info, info_span, warn};

// ANCHOR: handle
/// Serves one request. `#[instrument]` puts the function's future in a span named `handle`,
/// with the arguments as fields (`cache` is skipped), and enters it every time it is polled.
#[tracing::instrument(skip(cache))]
async fn handle(request: u32, cache: Arc<Mutex<Vec<u32>>>) {
    info!("waiting for the cache");
    let mut cache = cache.lock().await;
    info!("got the cache");
    if request == 1 {
        info!("calling the backend with the cache locked");
        // The mistake of this chapter: a slow call while holding the lock.
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    cache.push(request);
    info!("done");
}
// ANCHOR_END: handle

// ANCHOR: serve
/// Runs one task per connection, each inside a span of its own, and gives up after
/// `patience`. Returns how many requests were served by then.
pub async fn serve(connections: u32, patience: Duration) -> usize {
    let cache = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = JoinSet::new();
    for peer in 1..=connections {
        let span = info_span!("connection", peer);
        tasks.spawn(handle(peer, Arc::clone(&cache)).instrument(span));
    }
    let mut served = 0;
    let all_served = async {
        while tasks.join_next().await.is_some() {
            served += 1;
        }
    };
    if tokio::time::timeout(patience, all_served).await.is_err() {
        warn!("gave up after {patience:?}: {served} of {connections} requests served");
    }
    served
}
// ANCHOR_END: serve

// The paused clock (chapter 15) makes the hour-long call instant, and the output exact.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: subscriber
    // Print every event to standard output, after the spans it happened in.
    tracing_subscriber::fmt()
        .without_time() // these three keep the book's output short and plain
        .with_target(false)
        .with_ansi(false)
        .init();
    // ANCHOR_END: subscriber
    let served = serve(3, Duration::from_secs(1)).await;
    assert_eq!(
        served, 0,
        "request 1 holds the cache, and 2 and 3 wait for it"
    );
}
