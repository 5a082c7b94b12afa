//! Chapter 2, listing 1: a producer thread sends, `main` receives, and the producer is joined.
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() {
    // ANCHOR: channel
    let (tx, rx) = mpsc::channel();
    // ANCHOR_END: channel

    // ANCHOR: producer
    let producer = thread::spawn(move || {
        for i in 1..=5 {
            tx.send(format!("message {i}"))
                .expect("the receiver hung up");
            thread::sleep(Duration::from_millis(1));
        }
        // `tx` is dropped here, as the closure returns: that closes the channel.
    });
    // ANCHOR_END: producer

    // ANCHOR: consume
    let mut received = Vec::new();
    for message in rx {
        println!("got {message}");
        received.push(message);
    }
    println!("channel closed");
    // ANCHOR_END: consume

    // ANCHOR: join
    producer.join().expect("the producer panicked");
    println!("producer joined");
    // One sender, one receiver: the messages arrive in the order they were sent.
    let expected: Vec<String> = (1..=5).map(|i| format!("message {i}")).collect();
    assert_eq!(received, expected);
    // ANCHOR_END: join
}
