//! Chapter 1, listing 5: a thread whose handle is dropped is detached. Its panic is printed but
//! reaches no code, and it is stopped wherever it is when `main` returns.
use std::thread;
use std::time::Duration;

fn main() {
    // ANCHOR: detached
    let worker = thread::spawn(|| {
        let readings: Vec<u32> = Vec::new();
        readings[0] // panics: the default hook prints the message to standard error
    });
    // Wait until the worker has ended, without joining it...
    while !worker.is_finished() {
        thread::sleep(Duration::from_millis(1));
    }
    // ...and drop the handle: the panic's payload goes with it, and nothing here learns of it.
    drop(worker);
    println!("the worker has ended, and main cannot tell how");

    // A detached thread that would run forever:
    thread::spawn(|| {
        loop {
            thread::sleep(Duration::from_millis(1));
        }
    });
    println!("main returns, and the process exits with the loop still running");
    // ANCHOR_END: detached
}
