//! Chapter 2 exercise: a worker thread with a request channel and a reply channel.
//! Run it with `cargo run -p listings --example ch02_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch02_solution.rs`.

// ANCHOR: exercise
/// Sends every word to a worker thread, which sends it back in upper case.
fn uppercase_all(words: Vec<String>) -> Vec<String> {
    // 1. Make two channels: one for requests (main -> worker), one for replies (worker -> main).
    // 2. Spawn a worker that receives words until its channel closes and sends each one back
    //    with `to_uppercase()`.
    // 3. Send every word, close the request channel, collect the replies, join the worker.
    // You need `std::sync::mpsc` and `std::thread`.
    todo!("uppercase_all({words:?})")
}

fn main() {
    let words = ["send", "recv", "join"].map(String::from).to_vec();
    assert_eq!(uppercase_all(words), ["SEND", "RECV", "JOIN"]);
    assert!(uppercase_all(Vec::new()).is_empty());
    let many: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
    let expected: Vec<String> = (0..1000).map(|i| format!("W{i}")).collect();
    assert_eq!(uppercase_all(many), expected, "one worker keeps the order");
    println!("every word came back in upper case, in order");
}
// ANCHOR_END: exercise
