//! Chapter 1, listing 2: a panic ends only its own thread, and `join` hands it to you.
use std::thread;

fn main() {
    // ANCHOR: panic
    let worker = thread::spawn(|| {
        let readings: Vec<u32> = Vec::new();
        // Indexing an empty vector panics, and the panic unwinds this thread only.
        readings[0]
    });

    match worker.join() {
        Ok(value) => println!("the worker returned {value}"),
        Err(payload) => {
            // The payload is whatever `panic!` was given: usually a &str or a String.
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("(not a string)");
            println!("the worker panicked: {message}");
        }
    }
    println!("main is still running");
    // ANCHOR_END: panic
}
