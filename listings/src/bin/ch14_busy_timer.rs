//! Chapter 14, listing 2: the timer that wakes itself instead of storing the waker.
//! It works, by spinning: the executor never gets to sleep.
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

// ANCHOR: busy
/// Don't do this: a timer that asks to be polled again straight away.
struct BusyTimer {
    deadline: Instant,
}

impl Future for BusyTimer {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.deadline {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref(); // "poll me again", immediately
            Poll::Pending
        }
    }
}
// ANCHOR_END: busy

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
    // ANCHOR: main
    let timer = BusyTimer {
        deadline: Instant::now() + Duration::from_millis(5),
    };
    let ((), stats) = block_on(timer);
    println!(
        "busy timer: polled {} times, executor slept {} times",
        stats.polls, stats.parks
    );
    // The future woke itself before every Pending, so the executor never slept: it spent
    // the whole 5 ms polling. The timer that stores its waker needs exactly 2 polls.
    assert_eq!(stats.parks, 0);
    assert!(stats.polls > 2, "polled only {} times", stats.polls);
    // ANCHOR_END: main
}
