//! Chapter 20 exercise, solved: `take_all` empties the lock-free stack with one swap.
//!
//! The exercise itself is `exercises/solutions/20_lock_free_stack.rs`; this copy of its
//! solution is what `.ci/miri.sh` runs under Miri (a `Relaxed` swap shows only there).
use std::mem::ManuallyDrop;
use std::ptr;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::thread;

use crossbeam::epoch::{self, Atomic, Owned, Shared};

/// A node owns its value until a `pop` moves it out; after that the node is only memory,
/// which the epoch collector frees once no thread can still be reading it.
struct Node<T> {
    value: ManuallyDrop<T>,
    next: Atomic<Node<T>>,
}

pub struct Stack<T> {
    head: Atomic<Node<T>>,
}

impl<T> Default for Stack<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Stack<T> {
    pub fn new() -> Self {
        Stack {
            head: Atomic::null(),
        }
    }
    pub fn push(&self, value: T) {
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
    pub fn pop(&self) -> Option<T> {
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
                // The exchange unlinked `head`: we alone own its value. Others may still
                // read `node.next` (they hold the same pointer), but never `node.value`.
                // SAFETY: read the value exactly once, by the one thread whose exchange
                // succeeded; `ManuallyDrop` keeps the node from dropping it a second time.
                let value = unsafe { ptr::read(&node.value) };
                // SAFETY: `head` is unlinked, so no thread that pins from now on can reach
                // it, and the collector destroys it only after every current guard is gone.
                // The destructor may run on another thread, whichever one collects: that is
                // sound because it only frees the node's memory. The value has moved out,
                // and `ManuallyDrop` stops the node's drop from touching it, so no `T` is
                // dropped or read on that thread.
                unsafe { guard.defer_destroy(head) };
                return Some(ManuallyDrop::into_inner(value));
            }
        }
    }

    // ANCHOR: solution
    /// Removes every value on the stack at once, with a single atomic operation, and returns
    /// them in the order `pop` would have: the most recently pushed first.
    pub fn take_all(&self) -> Vec<T> {
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
    }
    // ANCHOR_END: solution
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
    let (pushers, per_pusher) = if cfg!(miri) { (2, 20) } else { (2, 20_000) };
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
        // A popper races the swaps: it may load a head that `take_all` detaches and frees.
        let popper = s.spawn(|| {
            let mut popped = Vec::new();
            while done.load(SeqCst) < pushers {
                popped.extend(stack.pop());
            }
            popped
        });
        // Take batches while the others run, then one last batch once the pushers are done.
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
        // Within a batch, each pusher's values come out newest first.
        for p in 0..pushers {
            let own: Vec<_> = batch.iter().filter(|v| **v / per_pusher == p).collect();
            assert!(own.windows(2).all(|w| w[0] > w[1]), "not LIFO: {own:?}");
        }
    }
    let mut all: Vec<usize> = batches.into_iter().flatten().chain(popped).collect();
    all.sort_unstable();
    assert_eq!(all, (0..pushers * per_pusher).collect::<Vec<_>>());
    assert!(stack.pop().is_none());
    println!("every value taken exactly once, newest first within each batch");
}
