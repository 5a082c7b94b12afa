//! Chapter 14 exercise: a one-shot channel whose receiver is a future.
//! Run it with `cargo run -p listings --example ch14_exercise`: it panics at the first `todo!()`
//! until you fill them in. The solution is `listings/src/bin/ch14_solution.rs`.
// Until the `todo!()`s are filled in, nothing reads the shared state's fields.
#![allow(dead_code)]
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

// ANCHOR: exercise
/// What the two halves share.
struct Inner<T> {
    value: Option<T>,
    sender_gone: bool,
    waker: Option<Waker>,
}

struct Sender<T> {
    inner: Arc<Mutex<Inner<T>>>,
}

/// A future: `Some(value)` once the value is sent, `None` if the sender is dropped without
/// sending.
struct Receiver<T> {
    inner: Arc<Mutex<Inner<T>>>,
}

fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let inner = Inner {
        value: None,
        sender_gone: false,
        waker: None,
    };
    let inner = Arc::new(Mutex::new(inner));
    (
        Sender {
            inner: Arc::clone(&inner),
        },
        Receiver { inner },
    )
}

impl<T> Sender<T> {
    fn send(self, value: T) {
        // Store the value; dropping `self` (below) then tells the receiver.
        todo!("store {}", std::any::type_name_of_val(&value))
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        // Mark the sender gone and wake the receiver, if it is waiting.
        todo!()
    }
}

impl<T> Future for Receiver<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // Ready if there is a value or the sender is gone; otherwise store the waker.
        todo!("{cx:?}")
    }
}
// ANCHOR_END: exercise

#[derive(Debug, Default)]
struct Stats {
    polls: usize,
    parks: usize,
}

struct ThreadWaker {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.thread.unpark();
    }
}

fn block_on<F: Future>(future: F) -> (F::Output, Stats) {
    let mut future = pin!(future);
    let signal = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    let mut stats = Stats::default();
    loop {
        stats.polls += 1;
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return (output, stats);
        }
        while !signal.woken.swap(false, Ordering::Acquire) {
            stats.parks += 1;
            thread::park();
        }
    }
}

// ANCHOR: main
fn main() {
    let (tx, rx) = channel();
    let sender = thread::spawn(move || {
        thread::sleep(Duration::from_millis(2));
        tx.send(42);
    });
    let (value, stats) = block_on(rx);
    sender.join().unwrap();
    assert_eq!(value, Some(42));
    assert!(stats.polls <= 2, "polled {} times", stats.polls);
    println!("received {value:?}");

    let (tx, rx) = channel::<u32>();
    thread::spawn(move || drop(tx)).join().unwrap();
    let (value, _) = block_on(rx);
    assert_eq!(value, None);
    println!("sender dropped: {value:?}");
}
// ANCHOR_END: main
