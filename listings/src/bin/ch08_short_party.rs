//! Chapter 8, listing 2: a barrier for three, with only two threads. They wait until the third comes.
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

fn main() {
    // ANCHOR: short
    let barrier = Arc::new(Barrier::new(3));
    let waiters: Vec<_> = (0..2)
        .map(|id| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                println!("waiter {id} released");
            })
        })
        .collect();

    // However long we look, the two waiters are still inside `wait`: a barrier for three
    // releases nobody until the third thread arrives.
    for _ in 0..5 {
        thread::sleep(Duration::from_millis(2));
        assert!(waiters.iter().all(|w| !w.is_finished()));
    }
    println!("after 10 ms both waiters are still blocked");

    // Without this line the program would never end.
    barrier.wait();
    for waiter in waiters {
        waiter.join().unwrap();
    }
    println!("main was the third party; everyone is through");
    // ANCHOR_END: short
}
