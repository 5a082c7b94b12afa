//! Chapter 21 exercise, solved: dining philosophers, without deadlock.
use std::sync::Mutex;
use std::thread;

// ANCHOR: solution
/// The forks of philosopher `i` of `n`, in the order to pick them up: lower-numbered first.
/// The last philosopher, whose right fork is 0, reaches for fork 0 first too, so no cycle of
/// waiting philosophers can form.
pub fn fork_order(i: usize, n: usize) -> (usize, usize) {
    let (left, right) = (i, (i + 1) % n);
    (left.min(right), left.max(right))
}

/// Philosopher `i` needs forks `i` and `(i + 1) % n` to eat a meal. Each fork counts how
/// many times it was used. Every philosopher eats `meals` times; returns the forks' counts.
/// "Left fork, then right fork" deadlocks as soon as every philosopher holds a left fork.
fn dine(philosophers: usize, meals: u32) -> Vec<u32> {
    // With one philosopher, "left" and "right" are the same fork: the same mutex twice.
    assert!(philosophers >= 2, "a lone philosopher has only one fork");
    let forks: Vec<Mutex<u32>> = (0..philosophers).map(|_| Mutex::new(0)).collect();
    thread::scope(|s| {
        for i in 0..philosophers {
            let forks = &forks;
            s.spawn(move || {
                let (first, second) = fork_order(i, forks.len());
                for _ in 0..meals {
                    let mut a = forks[first].lock().unwrap();
                    let mut b = forks[second].lock().unwrap();
                    *a += 1;
                    *b += 1;
                }
            });
        }
    });
    forks.into_iter().map(|f| f.into_inner().unwrap()).collect()
}
// ANCHOR_END: solution

fn main() {
    let uses = dine(5, 1_000);
    assert_eq!(uses, vec![2_000; 5], "every fork serves its two neighbours");
    assert_eq!(dine(2, 10), vec![20, 20]);
    println!("5 philosophers ate 1000 meals each; every fork was used 2000 times");
}
