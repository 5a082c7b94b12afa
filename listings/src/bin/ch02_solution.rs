//! Chapter 2 exercise, solved: a worker thread with a request channel and a reply channel.
use std::sync::mpsc;
use std::thread;

// ANCHOR: solution
/// Sends every word to a worker thread, which sends it back in upper case.
fn uppercase_all(words: Vec<String>) -> Vec<String> {
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
}
// ANCHOR_END: solution

fn main() {
    let words = ["send", "recv", "join"].map(String::from).to_vec();
    assert_eq!(uppercase_all(words), ["SEND", "RECV", "JOIN"]);
    assert!(uppercase_all(Vec::new()).is_empty());
    let many: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
    let expected: Vec<String> = (0..1000).map(|i| format!("W{i}")).collect();
    assert_eq!(uppercase_all(many), expected, "one worker keeps the order");
    println!("every word came back in upper case, in order");
}
