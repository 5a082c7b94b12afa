//! Chapter 11, listing 2: a bounded blocking queue from a mutex and two condition variables.
//!
//! The same file is a loom model: `listings/tests/loom_ch11.rs` includes it as a module, and
//! under `--cfg loom` the `use` lines below swap in loom's `Mutex` and `Condvar`.
#![cfg_attr(loom, allow(dead_code, unused_imports))]
#[cfg(loom)]
use loom::sync::{Condvar, Mutex};
use std::collections::VecDeque;
#[cfg(not(loom))]
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

// ANCHOR: queue
pub struct BoundedQueue<T> {
    state: Mutex<State<T>>,
    not_empty: Condvar, // consumers wait here
    not_full: Condvar,  // producers wait here
    capacity: usize,
}

struct State<T> {
    items: VecDeque<T>,
    closed: bool,
    high_water: usize, // the most items ever held, for the listing's own check
}

impl<T> BoundedQueue<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0);
        BoundedQueue {
            state: Mutex::new(State {
                items: VecDeque::with_capacity(capacity),
                closed: false,
                high_water: 0,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity,
        }
    }

    /// Blocks while the queue is full. Hands the item back if the queue is closed.
    pub fn push(&self, item: T) -> Result<(), T> {
        let mut state = self.state.lock().unwrap();
        while state.items.len() == self.capacity && !state.closed {
            state = self.not_full.wait(state).unwrap(); // unlock, sleep, lock again
        }
        if state.closed {
            return Err(item);
        }
        state.items.push_back(item);
        state.high_water = state.high_water.max(state.items.len());
        drop(state);
        self.not_empty.notify_one(); // one new item: one consumer is enough
        Ok(())
    }

    /// Blocks while the queue is empty. Returns `None` once it is closed and drained.
    pub fn pop(&self) -> Option<T> {
        let mut state = self.state.lock().unwrap();
        while state.items.is_empty() && !state.closed {
            state = self.not_empty.wait(state).unwrap();
        }
        let item = state.items.pop_front(); // `None` only if closed and empty
        drop(state);
        if item.is_some() {
            self.not_full.notify_one(); // one free slot: one producer is enough
        }
        item
    }

    /// Wakes everyone: producers fail from now on, consumers drain what is left.
    pub fn close(&self) {
        self.state.lock().unwrap().closed = true;
        self.not_empty.notify_all();
        self.not_full.notify_all();
    }
    // ANCHOR_END: queue

    /// The most items the queue has ever held.
    pub fn high_water(&self) -> usize {
        self.state.lock().unwrap().high_water
    }
}

#[derive(Debug, PartialEq)]
pub struct TimedOut;

#[cfg(not(loom))] // loom's Condvar has no `wait_timeout_while`
// ANCHOR: pop_timeout
impl<T> BoundedQueue<T> {
    /// Like `pop`, but waits at most `timeout` for an item.
    pub fn pop_timeout(&self, timeout: Duration) -> Result<Option<T>, TimedOut> {
        let state = self.state.lock().unwrap();
        // Spurious wake-ups do not restart the clock: `timeout` bounds the whole wait.
        let (mut state, _) = self
            .not_empty
            .wait_timeout_while(state, timeout, |s| s.items.is_empty() && !s.closed)
            .unwrap();
        if state.items.is_empty() && !state.closed {
            return Err(TimedOut); // the predicate still holds: we ran out of time
        }
        let item = state.items.pop_front();
        drop(state);
        if item.is_some() {
            self.not_full.notify_one();
        }
        Ok(item)
    }
}
// ANCHOR_END: pop_timeout

const PRODUCERS: u32 = 3;
const CONSUMERS: u32 = 3;
const ITEMS_EACH: u32 = 200;
const CAPACITY: usize = 4;

#[cfg(not(loom))]
fn main() {
    // ANCHOR: main
    let queue = BoundedQueue::new(CAPACITY);

    let mut consumed: Vec<u32> = thread::scope(|s| {
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some(item) = queue.pop() {
                        mine.push(item);
                    }
                    mine
                })
            })
            .collect();
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                let queue = &queue;
                s.spawn(move || {
                    for i in 0..ITEMS_EACH {
                        queue.push(p * 1_000 + i).expect("closed too early");
                    }
                })
            })
            .collect();

        for producer in producers {
            producer.join().unwrap();
        }
        queue.close(); // every item is in; let the consumers finish
        consumers
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect()
    });

    consumed.sort_unstable();
    let expected: Vec<u32> = (0..PRODUCERS)
        .flat_map(|p| (0..ITEMS_EACH).map(move |i| p * 1_000 + i))
        .collect();
    assert_eq!(consumed, expected, "every item consumed exactly once");
    assert!(queue.high_water() <= CAPACITY, "over capacity");
    println!("{} items consumed, each exactly once", consumed.len());
    println!("the queue never held more than {CAPACITY} items");
    assert_eq!(queue.push(7), Err(7), "a closed queue refuses items");
    // ANCHOR_END: main

    // ANCHOR: timeout
    let queue = BoundedQueue::new(1);
    assert_eq!(queue.pop_timeout(Duration::from_millis(5)), Err(TimedOut));
    println!("pop_timeout on an empty queue gave up after 5 ms");
    queue.push(42).unwrap();
    assert_eq!(queue.pop_timeout(Duration::from_millis(5)), Ok(Some(42)));
    queue.close();
    assert_eq!(queue.pop_timeout(Duration::from_millis(5)), Ok(None));
    println!("with an item it returns the item; once closed, None");
    // ANCHOR_END: timeout
}

#[cfg(loom)]
fn main() {} // built with --cfg loom, this file is a model (see the top), not a program
