//! Chapter 2, listing 5: a producer learns from a failed `send` that its consumer has gone, and
//! stops.
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Stands in for a sensor that yields a reading every millisecond, for ever.
fn read_sensor(n: u64) -> u64 {
    thread::sleep(Duration::from_millis(1));
    n * 10
}

fn main() {
    let (tx, rx) = mpsc::channel();
    // This consumer has enough after three readings. When it returns, `rx` is dropped.
    let consumer = thread::spawn(move || rx.iter().take(3).collect::<Vec<u64>>());

    // ANCHOR: stop
    let mut sent = 0;
    for n in 0.. {
        let reading = read_sensor(n);
        if tx.send(reading).is_err() {
            break; // nobody is listening any more
        }
        sent += 1;
    }
    // ANCHOR_END: stop

    let taken = consumer.join().expect("the consumer panicked");
    println!("the consumer took {taken:?} and left");
    println!("the producer noticed and stopped");
    // How many sends succeeded before the consumer left depends on scheduling.
    eprintln!("sends that succeeded: {sent}");
    assert_eq!(taken, [0, 10, 20]);
    assert!(sent >= 3, "the consumer took three");
}
