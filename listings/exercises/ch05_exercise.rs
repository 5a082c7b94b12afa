//! Chapter 5 exercise: shed load with `try_send` instead of blocking.
//! Run it with `cargo run -p listings --example ch05_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch05_solution.rs`.

// ANCHOR: exercise
/// Offers `0..n` to a slow consumer through a channel of `capacity`. An item that finds the
/// channel full is dropped instead of waited for. Returns what the consumer got, and how many
/// items were dropped.
fn offer_all(n: u32, capacity: usize) -> (Vec<u32>, u32) {
    // 1. Make a `sync_channel(capacity)` and a consumer thread that collects what it receives
    //    into a Vec, sleeping a few microseconds per item to be slower than the producer.
    // 2. Offer each item with `try_send`: on `Full`, count it as dropped and go on.
    // 3. Close the channel, join the consumer, and return what it got with the drop count.
    todo!("offer_all({n}, {capacity})")
}

fn main() {
    for capacity in [0, 1, 8] {
        let (delivered, dropped) = offer_all(1000, capacity);
        // Every item is either delivered or counted as dropped, never both, never neither.
        assert_eq!(delivered.len() as u32 + dropped, 1000);
        // What gets through keeps its order.
        assert!(delivered.windows(2).all(|w| w[0] < w[1]));
    }
    // With room for everything, nothing can be dropped, however slow the consumer is.
    let (delivered, dropped) = offer_all(100, 100);
    assert_eq!((delivered, dropped), ((0..100).collect(), 0));
    println!("every item was delivered or counted as dropped");
}
// ANCHOR_END: exercise
