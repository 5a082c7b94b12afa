//! A loom model of the Treiber stack's push and pop (chapter 20).
//!
//! crossbeam-epoch does not run under loom, so this is the same algorithm written with loom's
//! atomics, minus reclamation: a popped node is handed back, not freed, and each test frees
//! the nodes only after its checks have passed. That rules out use-after-free and ABA by
//! construction, so this model checks the linking and the orderings, not the reclamation
//! (Miri checks that). It also means that a bug that hands one node to two poppers fails an
//! assertion, which loom reports with the interleaving, instead of freeing the node twice,
//! which would abort the whole test binary.
//!
//! The orderings are those of `ch20_epoch_stack`. `listings/mutants/ch20.toml` weakens them
//! one at a time and checks that these tests fail.
//!
//! Run: `bash .ci/loom.sh`, or
//! `RUSTFLAGS="--cfg loom" cargo test -p listings --release --test loom_stack`
#![cfg(loom)]

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::AtomicPtr;
use loom::thread;
use std::ptr;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};

// ANCHOR: model
struct Node {
    // A loom cell: loom reports any read of it that does not happen-after its write.
    value: UnsafeCell<u32>,
    next: *mut Node,
}

struct Stack {
    head: AtomicPtr<Node>,
}

impl Stack {
    fn new() -> Self {
        Stack {
            head: AtomicPtr::new(ptr::null_mut()),
        }
    }

    fn push(&self, value: u32) {
        let node = Box::into_raw(Box::new(Node {
            value: UnsafeCell::new(value),
            next: ptr::null_mut(),
        }));
        loop {
            let head = self.head.load(Relaxed);
            // SAFETY: `node` is not shared until the exchange below succeeds.
            unsafe { (*node).next = head };
            if self
                .head
                .compare_exchange(head, node, Release, Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    /// Pops a value, and hands back its node instead of freeing it.
    fn pop(&self) -> Option<(u32, *mut Node)> {
        loop {
            let head = self.head.load(Acquire);
            if head.is_null() {
                return None;
            }
            // SAFETY: nodes are never freed while the threads run, so `head` is valid.
            let next = unsafe { (*head).next };
            if self
                .head
                .compare_exchange(head, next, Relaxed, Relaxed)
                .is_ok()
            {
                // SAFETY: as above; loom checks that this read happens-after the write.
                let value = unsafe { (*head).value.with(|v| *v) };
                return Some((value, head));
            }
        }
    }
}
// ANCHOR_END: model

/// Checks that `popped` holds the values 1, 2 and 3 once each, then frees their nodes.
/// A failed check panics before anything is freed: loom reports it, and the nodes of that
/// one failing execution leak.
fn check_and_free(mut popped: Vec<(u32, *mut Node)>) {
    popped.sort_unstable_by_key(|&(value, _)| value);
    let values: Vec<u32> = popped.iter().map(|&(value, _)| value).collect();
    assert_eq!(values, [1, 2, 3], "a value was lost or popped twice");
    for (_, node) in popped {
        // SAFETY: three distinct values come from three distinct nodes, each allocated by
        // `Box::into_raw` in `push`, unlinked once, and no thread is left to read them.
        drop(unsafe { Box::from_raw(node) });
    }
}

/// Two threads each push one value and then pop one, while the stack already holds one value.
/// Whatever the interleaving, the three values come out exactly once between them.
fn two_pushers_two_poppers() {
    let stack = Arc::new(Stack::new());
    stack.push(1);
    let workers: Vec<_> = [2, 3]
        .into_iter()
        .map(|value| {
            let stack = Arc::clone(&stack);
            thread::spawn(move || {
                stack.push(value);
                stack.pop().expect("we pushed before popping: never empty")
            })
        })
        .collect();
    let mut popped: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    popped.push(stack.pop().expect("three pushed, two popped"));
    assert!(stack.pop().is_none(), "a popped node is still on the stack");
    check_and_free(popped);
}

/// Two poppers race for the two values already on the stack while a third thread pushes.
fn two_poppers_and_a_pusher() {
    let stack = Arc::new(Stack::new());
    stack.push(1);
    stack.push(2);
    let poppers: Vec<_> = (0..2)
        .map(|_| {
            let stack = Arc::clone(&stack);
            thread::spawn(move || stack.pop().expect("two values for two poppers"))
        })
        .collect();
    let pusher = {
        let stack = Arc::clone(&stack);
        thread::spawn(move || stack.push(3))
    };
    let mut popped: Vec<_> = poppers.into_iter().map(|p| p.join().unwrap()).collect();
    pusher.join().unwrap();
    popped.push(stack.pop().expect("three pushed, two popped"));
    assert!(stack.pop().is_none(), "a popped node is still on the stack");
    check_and_free(popped);
}

fn model(f: fn()) {
    let mut builder = loom::model::Builder::new();
    // Bounded: explore every interleaving with at most this many preemptions (the real
    // bugs in small concurrent code need very few). LOOM_MAX_PREEMPTIONS overrides it.
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    builder.check(f);
}

// ANCHOR: tests
#[test]
fn push_and_pop_lose_and_duplicate_nothing() {
    model(two_pushers_two_poppers);
}

#[test]
fn racing_poppers_each_get_a_different_value() {
    model(two_poppers_and_a_pusher);
}
// ANCHOR_END: tests
