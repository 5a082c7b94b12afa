//! Chapter 20, listing 2: a lock-free (Treiber) stack that frees its nodes safely, with
//! crossbeam's epoch-based reclamation. Checked by Miri in `bash .ci/miri.sh`; that its `Drop`
//! frees every node is checked with a counting allocator in `listings/tests/listings/ch20.rs`.
// ANCHOR: all
use std::mem::ManuallyDrop;
use std::ptr;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::sync::{Arc, Barrier};
use std::thread;

use crossbeam::epoch::{self, Atomic, Owned};

// ANCHOR: types
/// A node owns its value until a `pop` moves it out; after that the node is only memory,
/// which the epoch collector frees once no thread can still be reading it.
struct Node<T> {
    value: ManuallyDrop<T>,
    next: Atomic<Node<T>>,
}

pub struct Stack<T> {
    head: Atomic<Node<T>>,
}
// ANCHOR_END: types

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

    // ANCHOR: push
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
    // ANCHOR_END: push

    // ANCHOR: pop
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
    // ANCHOR_END: pop
}

// ANCHOR: drop
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
// ANCHOR_END: drop

fn main() {
    concurrent_pushes_and_pops();
    pops_race_pushes();
    drop_drops_what_is_left();
}

// ANCHOR: concurrent
fn concurrent_pushes_and_pops() {
    // Small under Miri, which interprets every instruction; larger on real hardware.
    let (threads, per_thread) = if cfg!(miri) { (3, 30) } else { (4, 20_000) };
    let stack = Stack::new();
    let start = Barrier::new(threads);

    // Every thread pushes its own numbers and pops twice after every third push, all at once.
    let popped: Vec<Vec<usize>> = thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (stack, start) = (&stack, &start);
                s.spawn(move || {
                    start.wait(); // the threads start together, so their operations overlap
                    let mut mine = Vec::new();
                    for i in 0..per_thread {
                        stack.push(t * per_thread + i);
                        if i % 3 == 2 {
                            // Two pops for every three pushes: the stack grows and shrinks.
                            mine.extend(stack.pop());
                            mine.extend(stack.pop());
                        }
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });

    // No pop can find the stack empty: before each one, its own thread has pushed more than
    // it has popped, so the stack holds at least one value, whatever the others did.
    let by_pop: usize = popped.iter().map(Vec::len).sum();
    assert_eq!(
        by_pop,
        threads * 2 * (per_thread / 3),
        "a pop came back empty"
    );

    // Every value pushed comes out exactly once: from a pop, or left on the stack.
    let mut seen: Vec<usize> = popped.into_iter().flatten().collect();
    while let Some(value) = stack.pop() {
        seen.push(value);
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..threads * per_thread).collect::<Vec<_>>());
    println!(
        "{} values pushed, {by_pop} popped concurrently, all exactly once",
        seen.len()
    );
}
// ANCHOR_END: concurrent

// ANCHOR: racing
fn pops_race_pushes() {
    let (pushers, poppers, per_pusher) = if cfg!(miri) {
        (2, 2, 20)
    } else {
        (2, 2, 20_000)
    };
    let stack = Stack::new();
    let pushing = AtomicUsize::new(pushers);

    // Two threads only push, two only pop: a pop may find the stack empty and get `None`.
    let popped: Vec<usize> = thread::scope(|s| {
        for p in 0..pushers {
            let (stack, pushing) = (&stack, &pushing);
            s.spawn(move || {
                for i in 0..per_pusher {
                    stack.push(p * per_pusher + i);
                }
                // Only tells the poppers when to stop; the scope's join orders the rest.
                pushing.fetch_sub(1, Relaxed);
            });
        }
        let poppers: Vec<_> = (0..poppers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    while pushing.load(Relaxed) > 0 {
                        mine.extend(stack.pop());
                    }
                    mine
                })
            })
            .collect();
        poppers
            .into_iter()
            .flat_map(|p| p.join().unwrap())
            .collect()
    });

    // How many values the poppers got varies from run to run; that none is lost or
    // duplicated does not.
    let mut seen = popped;
    while let Some(value) = stack.pop() {
        seen.push(value);
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..pushers * per_pusher).collect::<Vec<_>>());
    println!(
        "{} values pushed by {pushers} threads while {poppers} others popped, all exactly once",
        seen.len()
    );
}
// ANCHOR_END: racing

// ANCHOR: drop_check
fn drop_drops_what_is_left() {
    // Each clone of an Arc is a value whose drop we can count.
    let token = Arc::new(());
    let stack = Stack::new();
    for _ in 0..4 {
        stack.push(Arc::clone(&token));
    }
    drop(stack.pop()); // one value leaves through pop...
    drop(stack); // ...and Drop must drop the other three
    assert_eq!(Arc::strong_count(&token), 1, "Drop left values behind");
    println!("dropping the stack dropped the 3 values still on it");
}
// ANCHOR_END: drop_check
// ANCHOR_END: all
