//! Chapter 6, listing 8: `fetch_add` wraps around silently; a checked increment stops at the
//! top, and a saturating one sticks there.
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;

// ANCHOR: checked
/// The next ID, or `None` once they are used up. The counter never wraps.
fn next_id(ids: &AtomicU32) -> Option<u32> {
    ids.try_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_add(1))
        .ok()
}

/// Counts up to `u32::MAX` and stays there. `update` always writes, so it cannot fail.
fn count_saturating(hits: &AtomicU32) {
    hits.update(Ordering::Relaxed, Ordering::Relaxed, |n| {
        n.saturating_add(1)
    });
}
// ANCHOR_END: checked

fn main() {
    // ANCHOR: wraps
    let ids = AtomicU32::new(u32::MAX);
    assert_eq!(ids.fetch_add(1, Ordering::Relaxed), u32::MAX);
    assert_eq!(ids.load(Ordering::Relaxed), 0); // no panic, in any build profile
    println!("fetch_add at u32::MAX wrapped around to 0");
    // ANCHOR_END: wraps

    // ANCHOR: race
    // 1000 IDs left, and four threads that ask 500 times each.
    let ids = AtomicU32::new(u32::MAX - 1_000);
    let mut given: Vec<u32> = thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| (0..500).filter_map(|_| next_id(&ids)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    given.sort_unstable();
    assert_eq!(given, (u32::MAX - 1_000..u32::MAX).collect::<Vec<_>>());
    assert_eq!(ids.load(Ordering::Relaxed), u32::MAX, "stopped at the top");
    println!("next_id gave out the last 1000 IDs once each, then None; no wrap");

    let hits = AtomicU32::new(u32::MAX - 1);
    for _ in 0..3 {
        count_saturating(&hits);
    }
    assert_eq!(hits.load(Ordering::Relaxed), u32::MAX);
    println!("count_saturating stuck at u32::MAX");
    // ANCHOR_END: race
}
