//! Chapter 4, listing 5: `Box::leak` turns a value built at run time into a `&'static`
//! reference that every thread can copy. The price: the value is never freed.
use std::collections::HashMap;
use std::thread;

fn main() {
    // ANCHOR: leak
    // Built at run time (think: read from a file at startup), so it cannot be a `static`.
    let limits: HashMap<String, u64> = (1..=4)
        .map(|id| (format!("client {id}"), id * 100))
        .collect();
    // Give up ever freeing it, and get a reference that is valid for the rest of the program.
    let limits: &'static HashMap<String, u64> = Box::leak(Box::new(limits));

    let handles: Vec<_> = (1..=4)
        .map(|id| {
            // `&T` is `Copy`: each `move` closure takes its own copy of the reference.
            thread::spawn(move || limits[&format!("client {id}")])
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    println!("every thread read the same map: the limits add up to {total}");
    // ANCHOR_END: leak
    assert_eq!(total, 100 + 200 + 300 + 400);
    assert_eq!(
        limits.len(),
        4,
        "still there: a leaked value lives until the process exits"
    );
}
