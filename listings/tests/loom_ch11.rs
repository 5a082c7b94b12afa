//! Loom models of chapter 11's listings: the same queue and park code the chapter shows,
//! run in every interleaving of a small case. Loom reports a deadlock (every thread blocked)
//! as a failure, which is how a lost wake-up shows up here.
//!
//! Run: `RUSTFLAGS="--cfg loom" cargo test -p listings --test loom_ch11` (or `bash .ci/loom.sh`).
//! Without `--cfg loom` this file is empty.
#![cfg(loom)]

#[path = "../src/bin/ch11_park.rs"]
mod park;
#[path = "../src/bin/ch11_bounded_queue.rs"]
mod queue;

use loom::sync::Arc;
use loom::sync::atomic::AtomicBool;
use loom::thread;
use queue::BoundedQueue;

/// Runs `f` as a loom model, with at most 3 preemptions per execution unless
/// `LOOM_MAX_PREEMPTIONS` says otherwise.
fn model(f: impl Fn() + Sync + Send + 'static) {
    model_with_bound(3, f);
}

/// The same with another default bound, for a model with more threads.
fn model_with_bound(preemptions: usize, f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound.get_or_insert(preemptions);
    builder.check(f);
}

/// The chapter's stolen wake-up: consumer A waits, the producer pushes and notifies A, and
/// consumer B takes the item before A has the lock back. A must wait again, not give up.
#[test]
fn queue_consumer_woken_for_a_stolen_item_waits_again() {
    model(|| {
        let queue = Arc::new(BoundedQueue::new(2));
        let producer = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                queue.push(1).unwrap();
                queue.push(2).unwrap();
            })
        };
        let other = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.pop().expect("woken, but no item"))
        };
        let mine = queue.pop().expect("woken, but no item");
        let theirs = other.join().unwrap();
        producer.join().unwrap();
        let mut got = [mine, theirs];
        got.sort_unstable();
        assert_eq!(got, [1, 2]);
    });
}

/// Two producers and a queue of one: a producer waits while the queue is full, and one that is
/// woken for a slot another producer took waits again. The queue never holds two items.
#[test]
fn queue_never_holds_more_than_its_capacity() {
    // Four threads: 2 preemptions are enough for the stolen slot, and keep it to seconds.
    model_with_bound(2, || {
        let queue = Arc::new(BoundedQueue::new(1));
        let producers: Vec<_> = [vec![1, 2], vec![3]]
            .into_iter()
            .map(|items| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || {
                    for item in items {
                        queue.push(item).unwrap();
                    }
                })
            })
            .collect();
        let mut got: Vec<u32> = (0..3).map(|_| queue.pop().unwrap()).collect();
        for producer in producers {
            producer.join().unwrap();
        }
        assert_eq!(queue.high_water(), 1, "over capacity");
        got.sort_unstable();
        assert_eq!(got, [1, 2, 3]);
    });
}

/// Two consumers asleep on an empty queue: `close` must wake both.
#[test]
fn queue_close_wakes_every_waiting_consumer() {
    model(|| {
        let queue = Arc::new(BoundedQueue::<u32>::new(1));
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || queue.pop())
            })
            .collect();
        queue.close();
        for consumer in consumers {
            assert_eq!(consumer.join().unwrap(), None);
        }
    });
}

/// The flag-and-park scheme ends in every interleaving: an unpark that comes before the
/// park leaves a token, and one that comes after wakes the parked thread.
#[test]
fn park_flag_waiter_always_wakes() {
    model(|| {
        let ready = Arc::new(AtomicBool::new(false));
        let waiter = {
            let ready = Arc::clone(&ready);
            thread::spawn(move || park::wait_for(&ready))
        };
        park::set_and_wake(&ready, waiter.thread());
        waiter.join().unwrap();
    });
}
