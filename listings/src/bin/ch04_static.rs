//! Chapter 4, listing 4: a value that lives as long as the program needs no `Arc`: every thread
//! can name a `static`.
use std::sync::Mutex;
use std::thread;

// ANCHOR: static
/// One registry for the whole program. `Mutex::new` and `Vec::new` are `const fn`s, so a
/// `static` can hold them, initialised before `main` starts.
static CONNECTED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn main() {
    let handles: Vec<_> = (1..=4)
        .map(|id| {
            // No `Arc` to clone and move: the closure borrows `CONNECTED`, which is `'static`.
            thread::spawn(move || {
                for session in 1..=250 {
                    CONNECTED
                        .lock()
                        .unwrap()
                        .push(format!("client {id}, session {session}"));
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }

    let connected = CONNECTED.lock().unwrap();
    println!("{} sessions registered", connected.len());
    // ANCHOR_END: static
    assert_eq!(connected.len(), 1000);
    let mut distinct = connected.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 1000, "every session registered once");
}
