//! Chapter 1, listing 3: `move` gives the thread its own copy of what it uses.
use std::thread;

// A Vec rather than an array on purpose: arrays of integers are Copy, and the point is the move.
#[allow(clippy::useless_vec)]
fn main() {
    // ANCHOR: move
    let name = String::from("sensor-7");
    let readings = vec![3, 1, 4, 1, 5];

    let worker = thread::spawn(move || {
        // `name` and `readings` now belong to this thread.
        let total: i32 = readings.iter().sum();
        format!("{name}: {total}")
    });

    // println!("{readings:?}"); // error[E0382]: borrow of moved value: `readings`
    let report = worker.join().unwrap();
    println!("{report}");
    assert_eq!(report, "sensor-7: 14");
    // ANCHOR_END: move
}
