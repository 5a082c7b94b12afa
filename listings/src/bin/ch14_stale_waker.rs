//! Chapter 14, listing 3: a future polled first by one task and then by another must wake
//! the task that polled it last.
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

// ANCHOR: gate
/// A future that completes once its `Opener` opens it: the timer's pattern, with the
/// helper thread replaced by whoever holds the opener.
struct Gate {
    shared: Arc<Mutex<GateState>>,
}

struct Opener {
    shared: Arc<Mutex<GateState>>,
}

struct GateState {
    open: bool,
    waker: Option<Waker>,
}

fn gate() -> (Gate, Opener) {
    let shared = Arc::new(Mutex::new(GateState {
        open: false,
        waker: None,
    }));
    let opener = Opener {
        shared: Arc::clone(&shared),
    };
    (Gate { shared }, opener)
}

impl Future for Gate {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.shared.lock().unwrap();
        if state.open {
            return Poll::Ready(());
        }
        // The waker of *this* poll replaces the stored one, unless it wakes the same task.
        match &state.waker {
            Some(old) if old.will_wake(cx.waker()) => {}
            _ => state.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl Opener {
    fn open(self) {
        let waker = {
            let mut state = self.shared.lock().unwrap();
            state.open = true;
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}
// ANCHOR_END: gate

/// A waker that only counts how often it is called: the first task's.
#[derive(Default)]
struct CountingWaker {
    wakes: AtomicUsize,
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::Relaxed);
    }
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

/// The chapter's executor: polls, and on `Pending` parks until the waker is called.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let signal = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        while !signal.woken.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}

fn main() {
    // ANCHOR: main
    let (mut gate, opener) = gate();

    // The first task polls the gate once, with its own waker, and then gives the gate away.
    let first_task = Arc::new(CountingWaker::default());
    let first_waker = Waker::from(Arc::clone(&first_task));
    let poll = Pin::new(&mut gate).poll(&mut Context::from_waker(&first_waker));
    assert!(poll.is_pending());

    // The second task, an executor on another thread, owns the gate from now on. It says
    // when it has polled the gate, so we open the gate only after that poll.
    let (polled_tx, polled_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    thread::spawn(move || {
        let mut first_poll = true;
        block_on(poll_fn(|cx| {
            let poll = Pin::new(&mut gate).poll(cx);
            if first_poll {
                first_poll = false;
                polled_tx.send(()).unwrap();
            }
            poll
        }));
        done_tx.send(()).unwrap();
    });
    polled_rx.recv().unwrap();
    opener.open();

    done_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the second task was never woken: the gate woke a stale waker");
    println!("the task that polled the gate last was woken");
    assert_eq!(first_task.wakes.load(Ordering::Relaxed), 0);
    println!("the first task's waker was not called");
    // ANCHOR_END: main
}
