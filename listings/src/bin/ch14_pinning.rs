//! Chapter 14, listing 4: what `Pin` promises, why an `async` block needs it, and the two
//! ways to pin a future: `pin!` on the stack and `Box::pin` on the heap.
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ANCHOR: self_ref
/// Returns `Pending` once, then `Ready`: a stand-in for any `.await` that has to wait.
struct YieldOnce {
    yielded: bool,
}

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            Poll::Ready(())
        } else {
            self.yielded = true;
            cx.waker().wake_by_ref(); // ready to go on: ask to be polled again
            Poll::Pending
        }
    }
}

async fn first_of_three() -> u32 {
    let numbers = [1, 2, 3];
    let first = &numbers[0]; // points into this future's own state
    YieldOnce { yielded: false }.await; // suspended here, with `first` still in use
    *first
}
// ANCHOR_END: self_ref

// ANCHOR: tracker
/// A future that is `Pending` `polls_left` times, then `Ready`, and logs its own address at
/// every poll and when it is dropped. `Tracker<PhantomPinned>` is `!Unpin`, like the
/// future of an `async` block; `Tracker<()>` is `Unpin`, like the chapter's timer.
struct Tracker<Marker> {
    polls_left: Cell<u32>,
    log: Rc<RefCell<Vec<usize>>>,
    _marker: Marker,
}

impl<Marker: Default> Tracker<Marker> {
    fn new(polls_left: u32, log: &Rc<RefCell<Vec<usize>>>) -> Self {
        Tracker {
            polls_left: Cell::new(polls_left),
            log: Rc::clone(log),
            _marker: Marker::default(),
        }
    }

    fn record(&self) {
        self.log.borrow_mut().push(self as *const Self as usize);
    }
}

impl<Marker: Default> Future for Tracker<Marker> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.record();
        match self.polls_left.get() {
            0 => Poll::Ready(()),
            n => {
                self.polls_left.set(n - 1);
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }
}

impl<Marker> Drop for Tracker<Marker> {
    fn drop(&mut self) {
        self.log.borrow_mut().push(self as *const Self as usize);
    }
}
// ANCHOR_END: tracker

/// Polls a pinned future until it is ready, with a waker that does nothing (every future
/// here wakes itself), and returns its output and how many polls it took.
fn poll_to_end<F: Future>(mut future: Pin<&mut F>) -> (F::Output, usize) {
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return (output, polls);
        }
    }
}

fn all_equal(addresses: &[usize]) -> bool {
    addresses.windows(2).all(|pair| pair[0] == pair[1])
}

fn main() {
    // ANCHOR: pin_macro
    // `pin!` pins a future where it stands, on the stack, for as long as it lives.
    let mut future = pin!(first_of_three());
    let (first, polls) = poll_to_end(future.as_mut());
    assert_eq!((first, polls), (1, 2));
    println!("first_of_three: {first} after {polls} polls");

    let log = Rc::new(RefCell::new(Vec::new()));
    {
        let mut tracker = pin!(Tracker::<PhantomPinned>::new(2, &log));
        poll_to_end(tracker.as_mut());
    } // the tracker is dropped here
    let addresses = log.take();
    assert_eq!(addresses.len(), 4, "three polls and a drop");
    assert!(all_equal(&addresses));
    println!("pin!: three polls and the drop, all at one address");
    // ANCHOR_END: pin_macro

    // ANCHOR: box_pin
    // `Box::pin` pins it on the heap. Moving the box moves a pointer, not the future.
    let mut boxed = Box::pin(Tracker::<PhantomPinned>::new(1, &log));
    assert!(
        boxed
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
            .is_pending()
    );
    let mut moved = vec![boxed]; // the box moves into the vector
    poll_to_end(moved[0].as_mut());
    drop(moved);
    let addresses = log.take();
    assert_eq!(addresses.len(), 3, "two polls and a drop");
    assert!(all_equal(&addresses));
    println!("Box::pin: the box moved, the future did not");
    // ANCHOR_END: box_pin

    // ANCHOR: unpin
    // An `Unpin` future makes no such promise: `Pin::new` pins it, and it may move
    // between polls.
    let mut movable = Tracker::<()>::new(1, &log);
    let waker = Waker::noop();
    assert!(
        Pin::new(&mut movable)
            .poll(&mut Context::from_waker(waker))
            .is_pending()
    );
    let mut moved = Box::new(movable); // from the stack to the heap
    poll_to_end(Pin::new(&mut *moved));
    drop(moved);
    let addresses = log.take();
    assert_eq!(addresses.len(), 3);
    assert_ne!(addresses[0], addresses[1]);
    println!("Unpin: polled at two different addresses, which is allowed");
    // ANCHOR_END: unpin
}
