//! Chapter 6, listing 4: read-modify-write with a condition: compare_exchange and fetch_update.
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;

// ANCHOR: cas
/// Hands out at most `limit` permits; returns the permit number, or `None` when they are gone.
fn take_permit(issued: &AtomicU32, limit: u32) -> Option<u32> {
    let mut current = issued.load(Ordering::Relaxed);
    loop {
        if current == limit {
            return None;
        }
        // Only succeeds if nobody changed `issued` since we read it.
        match issued.compare_exchange_weak(
            current,
            current + 1,
            Ordering::Relaxed,
            Ordering::Relaxed,
        ) {
            Ok(_) => return Some(current),
            Err(actual) => current = actual, // somebody beat us: retry with the new value
        }
    }
}

/// The same, with `fetch_update` writing the loop for us.
fn take_permit_with_fetch_update(issued: &AtomicU32, limit: u32) -> Option<u32> {
    issued
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
            (n < limit).then_some(n + 1)
        })
        .ok()
}
// ANCHOR_END: cas

fn main() {
    // ANCHOR: race
    const LIMIT: u32 = 1_000;
    for take in [take_permit, take_permit_with_fetch_update] {
        let issued = AtomicU32::new(0);
        // Four threads each try 500 times, 2000 attempts for 1000 permits.
        let mut permits: Vec<u32> = thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        (0..500)
                            .filter_map(|_| take(&issued, LIMIT))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        permits.sort_unstable();
        // Every permit handed out exactly once, and never more than the limit.
        assert_eq!(permits, (0..LIMIT).collect::<Vec<_>>());
        assert_eq!(issued.load(Ordering::Relaxed), LIMIT);
    }
    println!("{LIMIT} permits, each handed out exactly once, by both versions");
    // ANCHOR_END: race
}
