//! Chapter 14 exercise: a one-shot channel whose receiver is a future.
//! Run it with `cargo run -p listings --example ch14_exercise`: it panics at the first `todo!()`
//! until you fill them in. The solution is `listings/src/bin/ch14_solution.rs`.
// Until the `todo!()`s are filled in, nothing reads the shared state's fields.
#![allow(dead_code)]
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

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

/// Polls `future`, and calls `then` once, right after the first poll has returned.
async fn after_first_poll<F: Future + Unpin>(mut future: F, then: impl FnOnce()) -> F::Output {
    let mut then = Some(then);
    poll_fn(move |cx| {
        let poll = Pin::new(&mut future).poll(cx);
        if let Some(then) = then.take() {
            then();
        }
        poll
    })
    .await
}

// ANCHOR: main
fn main() {
    // The sender sends only once the receiver has been polled, so the receiver always has to
    // wait: one poll before the value exists, and one after the wake-up.
    let (tx, rx) = channel();
    let (go_tx, go_rx) = mpsc::channel();
    let sender = thread::spawn(move || {
        go_rx.recv().unwrap();
        tx.send(42);
    });
    let (value, stats) = block_on(after_first_poll(rx, move || go_tx.send(()).unwrap()));
    sender.join().unwrap();
    assert_eq!(value, Some(42));
    assert_eq!(
        stats.polls, 2,
        "one poll before the value, one after the wake-up"
    );
    println!("received {value:?}");

    // The same, with a sender that is dropped without sending.
    let (tx, rx) = channel::<u32>();
    let (go_tx, go_rx) = mpsc::channel();
    let sender = thread::spawn(move || {
        go_rx.recv().unwrap();
        drop(tx);
    });
    let (value, stats) = block_on(after_first_poll(rx, move || go_tx.send(()).unwrap()));
    sender.join().unwrap();
    assert_eq!(value, None);
    assert_eq!(stats.polls, 2);
    println!("sender dropped: {value:?}");
}
// ANCHOR_END: main
