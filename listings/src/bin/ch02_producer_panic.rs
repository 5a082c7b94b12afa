//! Chapter 2, listing 4: a closed channel does not mean the producer succeeded.
use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: panic
    let (tx, rx) = mpsc::channel();
    let producer = thread::spawn(move || {
        for reading in ["12", "7", "oops", "40"] {
            let value: u32 = reading.parse().expect("the sensor sent garbage");
            tx.send(value).unwrap();
        }
    });

    // The panic unwinds the producer, which drops `tx`: the loop ends as if all went well.
    let received: Vec<u32> = rx.iter().collect();
    println!("received {received:?}, then the channel closed");

    // Only the join tells a finished producer from a crashed one.
    match producer.join() {
        Ok(()) => println!("the producer finished: the data is complete"),
        Err(_) => println!("the producer panicked: the data is incomplete"),
    }
    // ANCHOR_END: panic
    assert_eq!(received, [12, 7]);
}
