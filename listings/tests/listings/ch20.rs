//! Chapter 20: a lock-free stack, verified.
//!
//! `ch20_naive_stack` is deliberately NOT run here: it has undefined behaviour, so a normal run
//! proves nothing either way. `bash .ci/miri.sh` runs it under Miri and checks that Miri
//! rejects it; the same script runs the correct stack under Miri on several seeds.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use crate::support::listing;

// The stack itself, compiled into this test binary so that a test can watch its `Drop` free
// memory. (The listing's own `main` is unused here.)
#[allow(dead_code)]
#[path = "../../src/bin/ch20_epoch_stack.rs"]
mod epoch_stack;

#[test]
fn epoch_stack_hands_out_every_value_exactly_once() {
    let run = listing!("ch20_epoch_stack");
    // The listing asserts the multiset itself, and that none of the 4 x 13 332 pops of the
    // first part came back empty (each follows its own thread's surplus pushes).
    assert_eq!(
        run.lines(),
        [
            "80000 values pushed, 53328 popped concurrently, all exactly once",
            "40000 values pushed by 2 threads while 2 others popped, all exactly once",
            "dropping the stack dropped the 3 values still on it",
        ]
    );
}

// ANCHOR: counting
/// The test binary's allocator: the system's, plus a count of the allocations and
/// deallocations each thread makes. Counting per thread keeps the tests that run at the same
/// time, on other threads, out of the numbers.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static DEALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call goes to `System` unchanged. The counters are thread-local `Cell`s with
// constant initialisers and no destructor: reading them neither allocates nor fails.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: our caller keeps `GlobalAlloc::alloc`'s contract; we pass it on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        DEALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: `ptr` came from `alloc` above, that is from `System`, with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// (allocations, deallocations) made by this thread so far.
fn counts() -> (usize, usize) {
    (ALLOCATIONS.with(Cell::get), DEALLOCATIONS.with(Cell::get))
}

#[test]
fn drop_frees_every_node_and_every_value_left_on_the_stack() {
    let stack = epoch_stack::Stack::new();
    for i in 0..100 {
        stack.push(Box::new(i)); // a value that owns memory too: its drop is a deallocation
    }
    let before = counts();
    drop(stack);
    let after = counts();
    // Drop runs on this thread, with no guard and no collector: what it frees, it frees now.
    assert_eq!(after.0 - before.0, 0, "Drop allocated memory");
    assert_eq!(
        after.1 - before.1,
        200,
        "Drop must free 100 nodes and 100 values, one deallocation each"
    );
}
// ANCHOR_END: counting
