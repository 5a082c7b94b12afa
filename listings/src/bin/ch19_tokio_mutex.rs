//! Chapter 19, listing 3: when a lock must be held across `.await`: tokio's mutex, or a task
//! that owns the resource.
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc};
use tokio::task::{JoinSet, yield_now};

/// Checks that each record's three parts arrived together and in order.
pub fn records_are_whole(log: &[String]) -> bool {
    log.chunks(3).all(|parts| {
        let id = parts[0].split(':').next().unwrap();
        parts
            .iter()
            .enumerate()
            .all(|(i, part)| *part == format!("{id}: part {i}"))
    })
}

// ANCHOR: locked
/// A record goes out in three parts, each an `.await` (think of a socket write). Parts of
/// different records must not interleave, so the lock is held across all three.
async fn write_record(sink: &Mutex<Vec<String>>, id: u32) {
    let mut sink = sink.lock().await;
    for part in 0..3 {
        sink.push(format!("record {id}: part {part}"));
        yield_now().await; // other tasks run here, but cannot get at the sink
    }
}

pub async fn with_async_mutex() -> Vec<String> {
    let sink = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = JoinSet::new();
    for id in 0..10 {
        let sink = Arc::clone(&sink);
        tasks.spawn(async move { write_record(&sink, id).await });
    }
    tasks.join_all().await;
    sink.lock().await.clone()
}
// ANCHOR_END: locked

// ANCHOR: per_part
/// Wrong: a lock per part keeps each push safe, but lets records interleave.
pub async fn lock_per_part() -> Vec<String> {
    let sink = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut tasks = JoinSet::new();
    for id in 0..10 {
        let sink = Arc::clone(&sink);
        tasks.spawn(async move {
            for part in 0..3 {
                sink.lock()
                    .unwrap()
                    .push(format!("record {id}: part {part}"));
                yield_now().await;
            }
        });
    }
    tasks.join_all().await;
    sink.lock().unwrap().clone()
}
// ANCHOR_END: per_part

// ANCHOR: owner
/// The restructured version: one task owns the sink, and writers send it whole records. The
/// owner writes every record waiting in its queue with a single write. Returns the sink, and
/// how many writes it took.
pub async fn with_owner_task() -> (Vec<String>, usize) {
    let (tx, mut rx) = mpsc::channel::<u32>(16);
    let owner = tokio::spawn(async move {
        let mut sink = Vec::new();
        let mut writes = 0;
        let mut waiting = Vec::new();
        // Everything queued, up to 16 records, in one go; 0 means the channel is closed.
        while rx.recv_many(&mut waiting, 16).await > 0 {
            for id in waiting.drain(..) {
                for part in 0..3 {
                    sink.push(format!("record {id}: part {part}"));
                }
            }
            writes += 1;
            yield_now().await; // one write, for the whole batch
        }
        (sink, writes)
    });
    let mut tasks = JoinSet::new();
    for id in 0..10 {
        let tx = tx.clone();
        tasks.spawn(async move { tx.send(id).await.unwrap() });
    }
    drop(tx);
    tasks.join_all().await;
    owner.await.unwrap()
}
// ANCHOR_END: owner

#[tokio::main]
async fn main() {
    // How many writes the owner needed depends on how the tasks interleaved; the tests
    // count them on one thread, where it is exact.
    let (owned, _writes) = with_owner_task().await;
    for (name, log) in [
        ("tokio::sync::Mutex", with_async_mutex().await),
        ("owner task", owned),
    ] {
        assert_eq!(log.len(), 30);
        assert!(records_are_whole(&log), "{log:#?}");
        println!("{name}: 10 records, none interleaved");
    }
}
