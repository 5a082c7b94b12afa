//! Chapter 14, "Futures by hand": a one-shot channel whose receiver is a future.
//!
//! Graded by plain tests under a watchdog. The tests send (or drop the sender) only after the
//! receiver's first poll, so the receiver always has to wait, on every run: a receiver that
//! forgets its waker, a sender that forgets to wake it, or a woken receiver that finds nothing
//! to return leaves the executor parked for ever, which the watchdog turns into a failure after
//! 5 s. They also count the polls: two, one before the value exists and one after the wake-up.
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

// ANCHOR: exercise
/// What the two halves share.
#[allow(dead_code, reason = "the starter leaves the fields to the reader")]
struct Inner<T> {
    value: Option<T>,
    sender_gone: bool,
    waker: Option<Waker>,
}

#[allow(dead_code, reason = "the starter leaves the fields to the reader")]
struct Sender<T> {
    inner: Arc<Mutex<Inner<T>>>,
}

/// A future: `Some(value)` once the value is sent, `None` if the sender is dropped without
/// sending.
#[allow(dead_code, reason = "the starter leaves the fields to the reader")]
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
        // ANCHOR: todo("store {}", std::any::type_name_of_val(&value))
        // Store the value; dropping `self` (at the end of `send`) then tells the receiver.
        self.inner.lock().unwrap().value = Some(value);
        // `self` is dropped here, and `drop` wakes the receiver.
        // ANCHOR_END: todo
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        // ANCHOR: todo
        // Mark the sender gone and wake the receiver, if it is waiting.
        // Take its waker under the lock, and wake it after the lock is released.
        let waker = {
            let mut inner = self.inner.lock().unwrap();
            inner.sender_gone = true;
            inner.waker.take()
        };
        // Wake outside the lock: the woken task may run at once and want it.
        if let Some(waker) = waker {
            waker.wake();
        }
        // ANCHOR_END: todo
    }
}

impl<T> Future for Receiver<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // ANCHOR: todo("{cx:?}")
        // Ready if there is a value or the sender is gone; otherwise store the waker.
        // Check and store under one lock, so that the sender cannot slip in between.
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
        // ANCHOR_END: todo
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

#[cfg(test)]
mod tests {
    use super::{after_first_poll, block_on, channel};
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    /// Runs `body` on a thread of its own and fails with `hang` if it is not done within 5 s.
    fn within<T: Send + 'static>(hang: &str, body: impl FnOnce() -> T + Send + 'static) -> T {
        let (done_tx, done_rx) = mpsc::channel();
        thread::spawn(move || done_tx.send(body()));
        match done_rx.recv_timeout(Duration::from_secs(5)) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("still parked after 5 s: {hang}"),
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the receiver's thread panicked"),
        }
    }

    /// Polls a receiver once, then lets `then` run on another thread, then awaits the receiver.
    fn wait_for<T: Send + 'static>(
        then: impl FnOnce(super::Sender<T>) + Send + 'static,
    ) -> (Option<T>, usize) {
        let (tx, rx) = channel();
        let (go_tx, go_rx) = mpsc::channel();
        let other = thread::spawn(move || {
            go_rx.recv().unwrap();
            then(tx);
        });
        let (value, stats) = block_on(after_first_poll(rx, move || go_tx.send(()).unwrap()));
        other.join().unwrap();
        (value, stats.polls)
    }

    const NO_WAKE: &str = "the receiver returned Pending and nobody woke it: store the waker in \
                           `poll`, and wake it in the sender's `drop` (see chapter 14, \
                           'Returning `Pending` without arranging a wake-up')";

    #[test]
    fn a_value_sent_later_wakes_the_receiver() {
        for run in 0..50 {
            let (value, polls) = within(NO_WAKE, || wait_for(|tx| tx.send(42)));
            assert_eq!(value, Some(42), "run {run} (see chapter 14, 'Exercise')");
            assert_eq!(
                polls, 2,
                "run {run}: one poll before the value exists, one after the wake-up (see \
                 chapter 14, 'The tool: `Future`, `Poll` and the `Waker`')"
            );
        }
    }

    #[test]
    fn a_sender_dropped_later_gives_none() {
        for run in 0..50 {
            let hang = "the receiver was woken, found no value and polled Pending again: when \
                        the sender is dropped without sending, `drop` must mark it gone, so \
                        that the receiver resolves to None (see chapter 14, 'Exercise')";
            let (value, polls) = within(hang, || wait_for::<u32>(drop));
            assert_eq!(value, None, "run {run} (see chapter 14, 'Exercise')");
            assert_eq!(polls, 2, "run {run} (see chapter 14, 'Exercise')");
        }
    }

    #[test]
    fn a_value_sent_before_the_first_poll_is_ready_at_once() {
        let (value, stats) = within(NO_WAKE, || {
            let (tx, rx) = channel();
            tx.send("early");
            block_on(rx)
        });
        assert_eq!(value, Some("early"), "see chapter 14, 'Exercise'");
        assert_eq!(
            stats.polls, 1,
            "the value was there at the first poll (see chapter 14, 'Exercise')"
        );
    }
}
