//! Chapter 27, "Testing concurrent code": publish a value once, from one thread to another,
//! through a flag, and choose the orderings that make it safe.
//!
//! Graded by loom. Whether the orderings are right is invisible on x86, which keeps stores in
//! order with stores and loads with loads: a test run there passes with `Relaxed` everywhere.
//! So the tests run `publish` and `read` themselves under loom, as chapter 27's "Loom" section
//! does: `mod sync` below hands them loom's atomics when compiled for `cargo test`, and
//! `loom::model` runs a publisher and a reader in every interleaving, letting each `Relaxed`
//! load return any value the memory model allows. A flag stored or loaded with `Relaxed`, or
//! raised before the data is written, lets the reader see the flag up and the data not yet
//! there, in one of them: the test finds it on every run.
use std::thread;

/// The atomics of `Publication`: std's in the program, loom's in the tests, so that the tests
/// check every interleaving, and every ordering, of the code you write.
mod sync {
    #[cfg(test)]
    pub use loom::sync::atomic::{AtomicBool, AtomicU32};
    #[cfg(not(test))]
    pub use std::sync::atomic::{AtomicBool, AtomicU32};
}
use sync::{AtomicBool, AtomicU32};

// ANCHOR: hide
// You need the orderings: `use std::sync::atomic::Ordering::{...};`.
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
// ANCHOR_END: hide

/// A screen size, set once by one thread and read by others. Until `publish` has run,
/// `read` returns `None`.
#[allow(
    dead_code,
    reason = "the starter leaves every use of its fields to the reader"
)]
struct Publication {
    width: AtomicU32,
    height: AtomicU32,
    ready: AtomicBool,
}

impl Publication {
    fn new() -> Publication {
        Publication {
            width: AtomicU32::new(0),
            height: AtomicU32::new(0),
            ready: AtomicBool::new(false),
        }
    }

    // ANCHOR: exercise
    /// Sets the size. Called once.
    fn publish(&self, width: u32, height: u32) {
        // ANCHOR: todo("publish {width}x{height}")
        // Store the two numbers, then raise `ready`. Which ordering does each store
        // need, so that a thread that sees `ready` up also sees both numbers?
        self.width.store(width, Relaxed);
        self.height.store(height, Relaxed);
        // Release: everything written before this store is visible to a thread whose Acquire
        // load reads `true`.
        self.ready.store(true, Release);
        // ANCHOR_END: todo
    }

    /// The size, if it has been published.
    fn read(&self) -> Option<(u32, u32)> {
        // ANCHOR: todo("read the size once it is published")
        // Check `ready` first; if it is up, return both numbers. Which ordering does
        // each load need?
        if self.ready.load(Acquire) {
            // Acquire above pairs with publish's Release: these loads see what it stored.
            Some((self.width.load(Relaxed), self.height.load(Relaxed)))
        } else {
            None
        }
        // ANCHOR_END: todo
    }
    // ANCHOR_END: exercise
}

fn main() {
    let size = Publication::new();
    assert_eq!(size.read(), None);
    let seen = thread::scope(|s| {
        s.spawn(|| size.publish(1920, 1080));
        // Wait for the flag (the publisher always gets there), then read.
        loop {
            if let Some(seen) = size.read() {
                break seen;
            }
            thread::yield_now();
        }
    });
    assert_eq!(seen, (1920, 1080));
    println!("read {}x{} once the flag was up", seen.0, seen.1);
}

#[cfg(test)]
mod tests {
    use super::Publication;
    use loom::sync::Arc;

    const SEE: &str = "see chapter 27, 'Loom: every interleaving, every ordering'";

    #[test]
    fn read_returns_none_until_published_then_the_size() {
        loom::model(|| {
            let size = Publication::new();
            assert_eq!(
                size.read(),
                None,
                "nothing is published yet: `read` returns None until `ready` is up ({SEE})"
            );
            size.publish(640, 480);
            assert_eq!(
                size.read(),
                Some((640, 480)),
                "after `publish(640, 480)`, `read` returns the size ({SEE})"
            );
        });
    }

    #[test]
    fn a_reader_that_sees_the_flag_sees_the_data() {
        loom::model(|| {
            let size = Arc::new(Publication::new());
            let publisher = {
                let size = Arc::clone(&size);
                loom::thread::spawn(move || size.publish(640, 480))
            };
            // The reader looks once, at whatever point loom schedules it.
            let seen = size.read();
            publisher.join().unwrap();
            if let Some((width, height)) = seen {
                assert_eq!(
                    (width, height),
                    (640, 480),
                    "in one execution the reader saw `ready` up but the size {width}x{height}: \
                     store the data before raising the flag, with Release on the flag's store \
                     and Acquire on its load; otherwise nothing orders the data's stores before \
                     the reader's loads ({SEE})"
                );
            }
        });
    }
}
