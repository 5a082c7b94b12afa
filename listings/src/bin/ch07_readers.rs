//! Chapter 7, listing 1: many readers at once, or one writer alone.
use std::sync::{RwLock, TryLockError};
use std::thread;

fn main() {
    // ANCHOR: readers
    let prices = RwLock::new(vec![("apple", 3), ("pear", 4)]);

    let first = prices.read().unwrap(); // a shared lock: readers do not exclude readers
    thread::scope(|s| {
        s.spawn(|| {
            // Another thread gets a read guard while `first` is still alive...
            let second = prices.try_read().expect("readers share the lock");
            println!("a second reader sees {} prices", second.len());
            // ...but no writer gets in while any reader holds the lock.
            assert!(matches!(prices.try_write(), Err(TryLockError::WouldBlock)));
            println!("a writer has to wait for the readers");
        });
    });
    // Holding a read guard and asking for the write lock on the same thread never succeeds:
    // `write()` here would wait for `first`, which this thread holds, forever.
    assert!(matches!(prices.try_write(), Err(TryLockError::WouldBlock)));
    drop(first);

    prices.write().unwrap().push(("plum", 5)); // no readers left: the writer gets in
    let count = prices.read().unwrap().len();
    println!("after the write there are {count} prices");
    assert_eq!(count, 3);
    // ANCHOR_END: readers
}
