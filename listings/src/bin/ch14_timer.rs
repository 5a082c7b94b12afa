//! Chapter 14, listing 1: a timer future that stores its waker, and an executor that sleeps
//! until it is woken.
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

// ANCHOR: timer
/// What a `Timer` and its timer thread share.
struct Shared {
    done: bool,
    waker: Option<Waker>,
}

/// A future that completes once `duration` has passed since it was first polled.
struct Timer {
    duration: Duration,
    started: bool,
    shared: Arc<Mutex<Shared>>,
}

impl Timer {
    fn new(duration: Duration) -> Self {
        let shared = Shared {
            done: false,
            waker: None,
        };
        Timer {
            duration,
            started: false,
            shared: Arc::new(Mutex::new(shared)),
        }
    }
}

impl Future for Timer {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Timer holds nothing self-referential, so it is Unpin and we may use it as `&mut`.
        let this = self.get_mut();
        let mut shared = this.shared.lock().unwrap();
        if shared.done {
            return Poll::Ready(());
        }
        // Not ready: remember whom to wake. Always keep the waker of the *latest* poll; the
        // future may have moved to another task since the last one.
        match &shared.waker {
            Some(old) if old.will_wake(cx.waker()) => {}
            _ => shared.waker = Some(cx.waker().clone()),
        }
        // The first poll starts the clock: something else must do the waiting, not us.
        if !this.started {
            this.started = true;
            let shared = Arc::clone(&this.shared);
            let duration = this.duration;
            thread::spawn(move || {
                thread::sleep(duration);
                let waker = {
                    let mut shared = shared.lock().unwrap();
                    shared.done = true;
                    shared.waker.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            });
        }
        Poll::Pending
    }
}
// ANCHOR_END: timer

// ANCHOR: executor
/// What the executor counts, so the chapter can check its claims.
#[derive(Debug, Default)]
struct Stats {
    polls: usize,
    parks: usize,
}

/// Wakes the executor's thread. `woken` tells a real wake-up from a spurious return of `park`.
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

/// Runs `future` to completion on the current thread.
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
        // Pending: sleep until somebody calls the waker. `park` may also return for no
        // reason at all, so only a set flag counts as a wake-up.
        while !signal.woken.swap(false, Ordering::Acquire) {
            stats.parks += 1;
            thread::park();
        }
    }
}
// ANCHOR_END: executor

// ANCHOR: async_fn
async fn delayed_greeting(name: &str, delay: Duration) -> String {
    println!("delayed_greeting: started");
    Timer::new(delay).await;
    format!("Hello, {name}!")
}
// ANCHOR_END: async_fn

fn main() {
    // ANCHOR: main
    let start = Instant::now();
    let ((), stats) = block_on(Timer::new(Duration::from_millis(5)));
    assert!(start.elapsed() >= Duration::from_millis(5));
    println!("timer: polled {} times", stats.polls);
    assert_eq!(
        stats.polls, 2,
        "one poll to start, one after the single wake-up"
    );

    let greeting = delayed_greeting("Alice", Duration::from_millis(2));
    println!("future created; nothing has run yet");
    let (text, stats) = block_on(greeting);
    println!("{text} (polled {} times)", stats.polls);
    assert_eq!(text, "Hello, Alice!");
    assert_eq!(stats.polls, 2);
    // ANCHOR_END: main
}
