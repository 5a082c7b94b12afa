//! Chapter 10 exercise, solved: small per-thread ids from a lazy thread-local.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

// ANCHOR: solution
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // Lazy: the initialiser runs on a thread's first call to `small_id`, and only then.
    static ID: usize = NEXT_ID.fetch_add(1, Ordering::Relaxed);
}

/// A small number unique to the calling thread: 0 for the first thread that asks, 1 for the
/// second, and so on. A thread always gets the same number.
fn small_id() -> usize {
    ID.with(|id| *id)
}
// ANCHOR_END: solution

fn main() {
    let main_id = small_id();
    assert_eq!(main_id, 0, "main asks first");
    assert_eq!(small_id(), main_id, "same thread, same id");

    let mut ids: Vec<usize> = thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    let id = small_id();
                    for _ in 0..3 {
                        assert_eq!(small_id(), id, "same thread, same id");
                    }
                    id
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    ids.sort_unstable();
    assert_eq!(ids, (1..=8).collect::<Vec<_>>(), "distinct, no gaps");
    println!("main has id {main_id}; the 8 workers have ids {ids:?}");

    // Those eight threads have exited, but their numbers are not handed out again.
    let mut later: Vec<usize> = thread::scope(|s| {
        let handles: Vec<_> = (0..8).map(|_| s.spawn(small_id)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    later.sort_unstable();
    assert_eq!(later, (9..=16).collect::<Vec<_>>(), "never recycled");
    println!("8 later threads got ids {later:?}: numbers are never reused");
}
