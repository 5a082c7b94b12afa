//! A loom model of the Treiber stack's push and pop (chapter 19).
//!
//! crossbeam-epoch does not run under loom, so this is the same algorithm written with loom's
//! atomics, minus reclamation: popped nodes are kept until every thread of the execution has
//! been joined, then freed. That rules out use-after-free and ABA by construction, so this
//! model checks the linking and the orderings, not the reclamation (Miri checks that).
//!
//! Run: `RUSTFLAGS="--cfg loom" cargo test -p listings --release --test loom_stack`
#![cfg(loom)]

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::AtomicPtr;
use loom::thread;
use std::panic::{self, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::Ordering::{self, Acquire, Relaxed, Release};

// ANCHOR: model
struct Node {
    // A loom cell: loom reports any read of it that does not happen-after its write.
    value: UnsafeCell<u32>,
    next: *mut Node,
}

struct Stack {
    head: AtomicPtr<Node>,
    push_order: Ordering, // Release in the real stack; weakened in a test below
}

impl Stack {
    fn new(push_order: Ordering) -> Self {
        Stack {
            head: AtomicPtr::new(ptr::null_mut()),
            push_order,
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
                .compare_exchange(head, node, self.push_order, Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    /// Pops a value. The node is handed back instead of freed: the model frees it only when
    /// no thread can read it any more (after the join).
    fn pop(&self) -> Option<(u32, Box<Node>)> {
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
                // SAFETY: our exchange unlinked `head`; we are the only thread that reads
                // its value, and nobody frees it before the join.
                let value = unsafe { (*head).value.with(|v| *v) };
                // SAFETY: allocated by `Box::into_raw` in `push`; freed once, after the join.
                return Some((value, unsafe { Box::from_raw(head) }));
            }
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        let mut current = self.head.with_mut(|head| *head);
        while !current.is_null() {
            // SAFETY: `&mut self`: no other thread; each linked node is freed exactly once.
            let node = unsafe { Box::from_raw(current) };
            current = node.next;
        }
    }
}
// ANCHOR_END: model

/// Two threads each push one value and then pop one, while the stack already holds one value.
/// Whatever the interleaving, the three values come out exactly once between them.
fn two_pushers_two_poppers(push_order: Ordering) {
    let stack = Arc::new(Stack::new(push_order));
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
    // The popped nodes stay alive in `kept` until both threads have been joined.
    let kept: Vec<(u32, Box<Node>)> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let mut values: Vec<u32> = kept.iter().map(|(v, _)| *v).collect();
    let (last, _node) = stack.pop().expect("three pushed, two popped");
    values.push(last);
    values.sort_unstable();
    assert_eq!(values, [1, 2, 3]);
    assert!(stack.pop().is_none());
}

/// Two poppers race for the two values already on the stack while a third thread pushes.
fn two_poppers_and_a_pusher() {
    let stack = Arc::new(Stack::new(Release));
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
    let kept: Vec<(u32, Box<Node>)> = poppers.into_iter().map(|p| p.join().unwrap()).collect();
    pusher.join().unwrap();
    let mut values: Vec<u32> = kept.iter().map(|(v, _)| *v).collect();
    let (last, _node) = stack.pop().expect("three pushed, two popped");
    values.push(last);
    values.sort_unstable();
    assert_eq!(values, [1, 2, 3]);
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
    model(|| two_pushers_two_poppers(Release));
}

#[test]
fn racing_poppers_each_get_a_different_value() {
    model(two_poppers_and_a_pusher);
}

#[test]
fn relaxed_push_is_caught() {
    // With a Relaxed push, a popper's Acquire load no longer synchronizes with the push, so
    // its read of the node's value races with the write that initialised it. Loom must say so.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        model(|| two_pushers_two_poppers(Relaxed));
    }));
    let payload = outcome.expect_err("loom should have reported the unsynchronized read");
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("");
    assert!(message.contains("Causality violation"), "{message}");
}
// ANCHOR_END: tests
