//! Chapter 9, listing 1: scoped threads borrow chunks of a local vector; no Arc, no clone.
use std::thread;

fn main() {
    // ANCHOR: sum
    let data: Vec<i32> = (1..=10).collect();

    let total: i32 = thread::scope(|s| {
        let handles: Vec<_> = data
            .chunks(3)
            .map(|chunk| {
                // `chunk` is a `&[i32]` into `data`; `move` copies that reference into the
                // closure. The borrow of `data` lasts as long as the scope, which is enough.
                s.spawn(move || {
                    let sum: i32 = chunk.iter().sum();
                    println!("chunk {chunk:?} sums to {sum}");
                    sum
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });

    // Every thread has been joined by now, so `data` is ours again.
    assert_eq!(total, data.iter().sum::<i32>());
    println!(
        "total {total}, from {} numbers still owned by main",
        data.len()
    );
    // ANCHOR_END: sum
}
