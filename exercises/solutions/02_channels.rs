//! Chapter 2, "Message passing with channels": a worker thread with a request channel and a
//! reply channel.
//!
//! Graded by plain tests under a watchdog: the replies must be the words in upper case, in
//! order, and the function must return. A worker that waits for a request channel nobody closes
//! hangs; the watchdog turns that into a failure after 5 s that says which section to re-read.
// ANCHOR: hide
// You need `std::sync::mpsc` and `std::thread`.
use std::sync::mpsc;
use std::thread;
// ANCHOR_END: hide

// ANCHOR: exercise
/// Sends every word to a worker thread, which sends it back in upper case.
fn uppercase_all(words: Vec<String>) -> Vec<String> {
    // ANCHOR: todo("uppercase_all({words:?})")
    // Make two channels, one for requests and one for replies.
    // The worker receives words until its channel closes and sends each one back with
    // `to_uppercase()`. Send every word, close the request channel, collect the replies, and
    // join the worker.
    let (request_tx, request_rx) = mpsc::channel::<String>();
    let (reply_tx, reply_rx) = mpsc::channel::<String>();

    let worker = thread::spawn(move || {
        // Ends when every request sender is gone.
        for word in request_rx {
            if reply_tx.send(word.to_uppercase()).is_err() {
                break; // nobody is listening for replies any more
            }
        }
        // `reply_tx` is dropped here, which closes the reply channel.
    });

    for word in words {
        request_tx.send(word).expect("the worker stopped early");
    }
    drop(request_tx); // without this, the worker waits for more words forever

    let replies = reply_rx.iter().collect();
    worker.join().expect("the worker panicked");
    replies
    // ANCHOR_END: todo
}
// ANCHOR_END: exercise

fn main() {
    let words = ["send", "recv", "join"].map(String::from).to_vec();
    assert_eq!(uppercase_all(words), ["SEND", "RECV", "JOIN"]);
    println!("every word came back in upper case, in order");
}

#[cfg(test)]
mod tests {
    use super::uppercase_all;
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::thread;
    use std::time::Duration;

    /// Runs `f` on a thread of its own; fails with `hang` if it has not returned within 5 s.
    fn within<T: Send + 'static>(hang: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (done_tx, done_rx) = mpsc::channel();
        let runner = thread::spawn(move || {
            let value = f();
            let _ = done_tx.send(());
            value
        });
        match done_rx.recv_timeout(Duration::from_secs(5)) {
            Err(RecvTimeoutError::Timeout) => panic!("no answer after 5 s: {hang}"),
            _ => runner
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        }
    }

    const HANG: &str = "the worker's `for` loop ends only when every request sender is dropped, \
                        and `main` can finish collecting replies only after that (see chapter 2, \
                        'Closing, and what `recv` returns')";

    #[test]
    fn every_word_comes_back_in_upper_case_in_order() {
        let many: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
        let expected: Vec<String> = (0..1000).map(|i| format!("W{i}")).collect();
        let replies = within(HANG, move || uppercase_all(many));
        assert_eq!(
            replies.len(),
            1000,
            "every request gets one reply: the worker keeps receiving until the request channel \
             closes (see chapter 2, 'Closing, and what `recv` returns')"
        );
        assert_eq!(
            replies, expected,
            "one worker and two first-in, first-out channels keep the order (see chapter 2, \
             'The tool: `mpsc::channel`')"
        );
    }

    #[test]
    fn no_words_no_replies() {
        assert!(within(HANG, || uppercase_all(Vec::new())).is_empty());
    }
}
