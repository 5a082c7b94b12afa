//! Chapter 14 exercise, solved: a one-shot channel whose receiver is a future.
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

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

// ANCHOR: solution
impl<T> Sender<T> {
    fn send(self, value: T) {
        self.inner.lock().unwrap().value = Some(value);
        // `self` is dropped here, and `drop` wakes the receiver.
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waker = {
            let mut inner = self.inner.lock().unwrap();
            inner.sender_gone = true;
            inner.waker.take()
        };
        // Wake outside the lock: the woken task may run at once and want it.
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Future for Receiver<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut inner = self.inner.lock().unwrap();
        if let Some(value) = inner.value.take() {
            Poll::Ready(Some(value))
        } else if inner.sender_gone {
            Poll::Ready(None)
        } else {
            // Checked and stored under one lock: the sender cannot slip in between.
            inner.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
// ANCHOR_END: solution

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
