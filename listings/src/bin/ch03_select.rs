//! Chapter 3, listing 5: `select!` waits on two channels of different types at once.
use crossbeam::channel::{self, never, select};
use std::thread;

fn main() {
    // ANCHOR: select
    let (num_tx, num_rx) = channel::unbounded::<u32>();
    let (word_tx, word_rx) = channel::unbounded::<&str>();
    let numbers = thread::spawn(move || {
        for n in 1..=3 {
            num_tx.send(n).unwrap();
        }
    });
    let words = thread::spawn(move || {
        for w in ["a", "b"] {
            word_tx.send(w).unwrap();
        }
    });

    let (mut nums, mut wrds) = (num_rx, word_rx);
    let (mut sum, mut text, mut open) = (0, String::new(), 2);
    while open > 0 {
        // Blocks until one of the two has a message, or is closed.
        select! {
            recv(nums) -> msg => match msg {
                Ok(n) => sum += n,
                // Closed: stop selecting on it, or this arm would fire again at once, forever.
                Err(_) => { nums = never(); open -= 1; }
            },
            recv(wrds) -> msg => match msg {
                Ok(w) => text.push_str(w),
                Err(_) => { wrds = never(); open -= 1; }
            },
        }
    }
    numbers.join().unwrap();
    words.join().unwrap();
    // ANCHOR_END: select
    let mut letters: Vec<char> = text.chars().collect();
    letters.sort_unstable();
    assert_eq!((sum, letters), (6, vec!['a', 'b']));
    println!("sum of numbers: {sum}; letters received: {}", text.len());
}
