//! Chapter 10, listing: a thread-local whose destructor panics takes the whole process down.
//! (The process is meant to abort: its test checks for SIGABRT and the runtime's message.)
use std::thread;

// ANCHOR: all
struct Flusher;

impl Drop for Flusher {
    fn drop(&mut self) {
        // Imagine a flush that fails and unwraps the error.
        panic!("flush failed");
    }
}

thread_local! {
    static FLUSHER: Flusher = const { Flusher };
}

fn main() {
    let worker = thread::spawn(|| {
        FLUSHER.with(|_| {}); // first use: the destructor will run when the thread exits
    });
    // The panic happens while the worker exits, after its closure returned. It cannot unwind
    // into `join`: the runtime aborts the process, and `join` never returns.
    let joined = worker.join();
    println!("join returned {joined:?}");
}
// ANCHOR_END: all
