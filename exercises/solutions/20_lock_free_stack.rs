//! Chapter 20, "A lock-free stack, verified": give the epoch-based stack a `take_all` that
//! empties it in one atomic step.
//!
//! Graded by plain tests, and by Miri for what no test run can show. The plain tests check the
//! order (newest first, as `pop`), that every value comes out exactly once while other threads
//! push and pop, and the reclamation rule: while a thread is pinned (as a `pop` that loaded the
//! old head just before your swap is), `take_all` must free no node. A counting allocator, on
//! the test's own thread, sees a node freed at once. What the plain tests cannot see is the
//! memory ordering of the swap: on x86 a `Relaxed` swap behaves like an `Acquire` one. Miri's
//! data-race detector reports it; run the tests under Miri with
//!
//! ```text
//! MIRIFLAGS="-Zmiri-tree-borrows -Zmiri-ignore-leaks -Zmiri-address-reuse-rate=0" \
//!     cargo +nightly miri test --bin 20_lock_free_stack
//! ```
//!
//! (chapter 20, 'Miri, on several seeds', explains the flags). crossbeam-epoch does not run
//! under loom, so loom is not an option here.
use std::mem::ManuallyDrop;
use std::ptr;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};

// ANCHOR: hide
// You need `crossbeam::epoch::Shared` (for `Shared::null()`).
use crossbeam::epoch::Shared;
// ANCHOR_END: hide
use crossbeam::epoch::{self, Atomic, Owned};

/// A node owns its value until a `pop` moves it out; after that the node is only memory,
/// which the epoch collector frees once no thread can still be reading it.
struct Node<T> {
    value: ManuallyDrop<T>,
    next: Atomic<Node<T>>,
}

struct Stack<T> {
    head: Atomic<Node<T>>,
}

impl<T> Stack<T> {
    fn new() -> Self {
        Stack {
            head: Atomic::null(),
        }
    }

    fn push(&self, value: T) {
        let mut node = Owned::new(Node {
            value: ManuallyDrop::new(value),
            next: Atomic::null(),
        });
        let guard = epoch::pin();
        loop {
            let head = self.head.load(Relaxed, &guard);
            node.next.store(head, Relaxed);
            // Release: a thread that loads the new head with Acquire sees the node's contents.
            match self
                .head
                .compare_exchange(head, node, Release, Relaxed, &guard)
            {
                Ok(_) => return,
                Err(failed) => node = failed.new, // someone else moved the head: try again
            }
        }
    }

    fn pop(&self) -> Option<T> {
        // While `guard` lives, no node this thread can reach from `head` is freed.
        let guard = epoch::pin();
        loop {
            let head = self.head.load(Acquire, &guard);
            // SAFETY: `head` is null or a node published by `push` (its Release pairs with
            // our Acquire). Nodes are freed only through `defer_destroy`, which waits until
            // every thread pinned now, us included, has unpinned: the node is still there.
            let node = unsafe { head.as_ref() }?;
            let next = node.next.load(Relaxed, &guard);
            if self
                .head
                .compare_exchange(head, next, Relaxed, Relaxed, &guard)
                .is_ok()
            {
                // SAFETY: read the value exactly once, by the one thread whose exchange
                // succeeded; `ManuallyDrop` keeps the node from dropping it a second time.
                let value = unsafe { ptr::read(&node.value) };
                // SAFETY: `head` is unlinked, so no thread that pins from now on can reach
                // it, and the collector destroys it only after every current guard is gone.
                // Its destructor only frees the node's memory: the value has moved out.
                unsafe { guard.defer_destroy(head) };
                return Some(ManuallyDrop::into_inner(value));
            }
        }
    }

    // ANCHOR: exercise
    /// Removes every value on the stack at once, with a single atomic operation, and returns
    /// them in the order `pop` would have: the most recently pushed first.
    fn take_all(&self) -> Vec<T> {
        // ANCHOR: todo("take_all")
        // 1. Detach the whole list: swap the head with null (which ordering, and why?).
        // 2. Walk the detached nodes: move each value out, as `pop` does.
        // 3. Free the nodes. Can you free them at once? Think of a `pop` that loaded the old
        //    head just before your swap and has not yet read `next`.
        let guard = epoch::pin();
        // Acquire: we will read the contents of every node pushed before the swap.
        let mut current = self.head.swap(Shared::null(), Acquire, &guard);
        let mut values = Vec::new();
        // SAFETY: the nodes were published by `push`, and none of them is freed while our
        // guard is pinned (only `defer_destroy` frees them).
        while let Some(node) = unsafe { current.as_ref() } {
            let next = node.next.load(Relaxed, &guard);
            // SAFETY: the swap detached this list: no other thread can unlink these nodes
            // any more, so we are the only one to move their values out, once each.
            let value = unsafe { ptr::read(&node.value) };
            values.push(ManuallyDrop::into_inner(value));
            // Not freed now: a `pop` that loaded this node before our swap may still read
            // its `next` (its exchange will then fail, because the head has moved).
            // SAFETY: the node is unreachable from `head` for every thread that pins from now
            // on; as in `pop`, its destructor only frees memory, on whichever thread runs it.
            unsafe { guard.defer_destroy(current) };
            current = next;
        }
        values
        // ANCHOR_END: todo
    }
    // ANCHOR_END: exercise
}

impl<T> Drop for Stack<T> {
    fn drop(&mut self) {
        // SAFETY: `&mut self` means no other thread can use the stack any more, so no guard
        // is needed, and every node still linked owns its value: drop it, then the node.
        unsafe {
            let guard = epoch::unprotected();
            let mut current = self.head.load(Relaxed, guard);
            while !current.is_null() {
                let mut node = current.into_owned();
                current = node.next.load(Relaxed, guard);
                ManuallyDrop::drop(&mut node.value);
            }
        }
    }
}

fn main() {
    let stack = Stack::new();
    for i in 1..=5 {
        stack.push(i);
    }
    assert_eq!(stack.pop(), Some(5));
    assert_eq!(stack.take_all(), [4, 3, 2, 1]);
    assert_eq!(stack.pop(), None);
    println!("took 4, 3, 2, 1 in one step");
}

#[cfg(test)]
mod tests {
    use super::Stack;
    use crossbeam::epoch;
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;
    use std::sync::atomic::AtomicUsize;
    use std::sync::atomic::Ordering::SeqCst;
    use std::thread;

    /// The tests' allocator: the system's, plus a count of the deallocations each thread
    /// makes (per thread, so that tests running at the same time stay out of the numbers).
    struct Counting;

    thread_local! {
        static DEALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    }

    // SAFETY: every call goes to `System` unchanged. The counter is a thread-local `Cell` with
    // a constant initialiser and no destructor: updating it neither allocates nor fails.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: our caller keeps `GlobalAlloc::alloc`'s contract; we pass it on.
            unsafe { System.alloc(layout) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            DEALLOCATIONS.with(|n| n.set(n.get() + 1));
            // SAFETY: `ptr` came from `System`, with this layout.
            unsafe { System.dealloc(ptr, layout) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // A growing `Vec`, not a freed node: passed on, not counted.
            // SAFETY: our caller keeps `GlobalAlloc::realloc`'s contract; we pass it on.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static COUNTING: Counting = Counting;

    const SEE_ORDER: &str = "see chapter 20, 'Exercise'";
    const SEE_FREE: &str = "see chapter 20, 'Freeing memory safely: epoch-based reclamation'";

    #[test]
    fn take_all_returns_every_value_newest_first() {
        let stack = Stack::new();
        assert_eq!(
            stack.take_all(),
            [0u64; 0],
            "an empty stack gives an empty Vec"
        );
        for i in 0..10u64 {
            stack.push(i);
        }
        assert_eq!(
            stack.take_all(),
            (0..10).rev().collect::<Vec<_>>(),
            "take_all returns the values in the order `pop` would: the last pushed first \
             ({SEE_ORDER})"
        );
        assert_eq!(
            stack.pop(),
            None,
            "take_all must leave the stack empty ({SEE_ORDER})"
        );
        stack.push(10);
        assert_eq!(
            stack.pop(),
            Some(10),
            "the stack must work after a take_all"
        );
    }

    /// Fails unless `take_all` frees no node while another thread is pinned.
    fn assert_take_all_frees_nothing_while_pinned() {
        let stack = Stack::new();
        for i in 0..100u64 {
            stack.push(i);
        }
        // This guard stands for a `pop` that loaded the old head just before the swap: while
        // it is pinned, none of the detached nodes may be freed.
        let reader = epoch::pin();
        let before = DEALLOCATIONS.with(Cell::get);
        let taken = stack.take_all();
        let freed = DEALLOCATIONS.with(Cell::get) - before;
        drop(reader);
        assert_eq!(
            taken.len(),
            100,
            "take_all must take all 100 values ({SEE_ORDER})"
        );
        assert_eq!(
            freed, 0,
            "take_all freed memory {freed} times while a thread was still pinned: a pop that \
             loaded the old head just before the swap may still read its `next`. Hand each \
             node to `guard.defer_destroy` instead ({SEE_FREE})"
        );
    }

    #[test]
    fn take_all_frees_no_node_while_another_thread_may_read_it() {
        assert_take_all_frees_nothing_while_pinned();
    }

    #[test]
    fn racing_pushes_pops_and_take_alls_hand_out_every_value_once() {
        // A `take_all` that frees nodes at once would make this race a use-after-free, which
        // can crash the test binary before any test reports: check that rule first.
        assert_take_all_frees_nothing_while_pinned();
        let (pushers, per_pusher) = if cfg!(miri) { (2, 20) } else { (2, 5_000) };
        let stack = Stack::new();
        let done = AtomicUsize::new(0);
        let (batches, popped) = thread::scope(|s| {
            for p in 0..pushers {
                let (stack, done) = (&stack, &done);
                s.spawn(move || {
                    for i in 0..per_pusher {
                        stack.push(p * per_pusher + i);
                    }
                    done.fetch_add(1, SeqCst);
                });
            }
            // A popper races the swaps: it may load a head that `take_all` detaches.
            let popper = s.spawn(|| {
                let mut popped = Vec::new();
                while done.load(SeqCst) < pushers {
                    popped.extend(stack.pop());
                }
                popped
            });
            // Take batches while the others run, then one last batch once they are done.
            let mut batches = Vec::new();
            while done.load(SeqCst) < pushers {
                batches.push(stack.take_all());
                thread::yield_now();
            }
            let popped = popper.join().unwrap();
            batches.push(stack.take_all());
            (batches, popped)
        });
        for batch in &batches {
            for p in 0..pushers {
                let own: Vec<_> = batch.iter().filter(|v| **v / per_pusher == p).collect();
                assert!(
                    own.windows(2).all(|w| w[0] > w[1]),
                    "within one batch, each pusher's values must come out newest first \
                     ({SEE_ORDER})"
                );
            }
        }
        let mut all: Vec<usize> = batches.into_iter().flatten().chain(popped).collect();
        all.sort_unstable();
        assert!(
            all == (0..pushers * per_pusher).collect::<Vec<_>>(),
            "{} values came out for {} pushed: each must come out exactly once; detach the \
             list with one `swap`, not a load and a store (see chapter 20, 'The idea')",
            all.len(),
            pushers * per_pusher
        );
        assert_eq!(stack.pop(), None);
    }
}
