//! Chapter 20, listing 1: a lock-free stack as it circulates widely in tutorials. It is
//! UNSOUND: never run it outside Miri. `bash .ci/miri.sh` runs it under Miri and checks that
//! Miri reports undefined behaviour.
//!
//! `cargo +nightly miri run -p listings --bin ch20_naive_stack` races two poppers;
//! `... -- leak` drops a non-empty stack and shows the leak.
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::thread;

// ANCHOR: stack
struct Node<T> {
    value: T,
    next: *mut Node<T>,
}

struct NaiveStack<T> {
    head: AtomicPtr<Node<T>>,
}

impl<T> NaiveStack<T> {
    fn new() -> Self {
        NaiveStack {
            head: AtomicPtr::new(ptr::null_mut()),
        }
    }

    fn push(&self, value: T) {
        let node = Box::into_raw(Box::new(Node {
            value,
            next: ptr::null_mut(),
        }));
        loop {
            let head = self.head.load(Ordering::Relaxed);
            // SAFETY: `node` is ours alone until the exchange below publishes it.
            unsafe { (*node).next = head };
            if self
                .head
                .compare_exchange_weak(head, node, Ordering::Release, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    fn pop(&self) -> Option<T> {
        loop {
            let head = self.head.load(Ordering::Acquire);
            if head.is_null() {
                return None;
            }
            // BUG: another thread may have popped `head` and freed it since we loaded it.
            // SAFETY: none. This read can touch freed memory: that is the point of the listing.
            let next = unsafe { (*head).next };
            if self
                .head
                .compare_exchange_weak(head, next, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                // We unlinked `head`, so we free it, while other poppers may still read it.
                // SAFETY: none, for the same reason.
                let node = unsafe { Box::from_raw(head) };
                return Some(node.value);
            }
        }
    }
}

// BUG: this promise is false: it lets safe code call `pop` from several threads at once.
// It is not what makes that compile, though. `AtomicPtr<T>` is `Send` and `Sync` for every
// `T`, so without this line the compiler derives both for `NaiveStack<T>`, for every `T`.
// With it, `Sync` needs `T: Send`; `Send` is still derived for every `T`.
// SAFETY: none; the promise is exactly what the chapter shows to be wrong.
unsafe impl<T: Send> Sync for NaiveStack<T> {}

// BUG: the derived `Send`. A stack of `Rc`s can move to another thread while clones of the
// same `Rc`s stay behind, and two threads then change one non-atomic reference count.
// This compiles, and it should not:
#[allow(dead_code)]
fn a_stack_of_rc_is_send() {
    fn assert_send<S: Send>() {}
    assert_send::<NaiveStack<std::rc::Rc<u32>>>();
}

// BUG: no `Drop`, so every node still on the stack when it is dropped leaks.
// ANCHOR_END: stack

fn main() {
    // ANCHOR: main
    if std::env::args().nth(1).as_deref() == Some("leak") {
        // One thread, no race: three nodes go in, none comes out.
        let stack = NaiveStack::new();
        for i in 0..3 {
            stack.push(i);
        }
        return; // `stack` goes out of scope here, and with no `Drop` its nodes are never freed
    }

    let stack = NaiveStack::new();
    // Several threads push and pop at the same time: poppers race on the same head.
    let threads = 3;
    let rounds = if cfg!(miri) { 20 } else { 10_000 };
    let popped: usize = thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let stack = &stack;
                s.spawn(move || {
                    let mut popped = 0;
                    for i in 0..rounds {
                        stack.push(t * rounds + i);
                        if stack.pop().is_some() {
                            popped += 1;
                        }
                    }
                    popped
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    // Each thread pushes before it pops, so every pop finds something.
    assert_eq!(popped, threads * rounds);
    // ANCHOR_END: main
}
