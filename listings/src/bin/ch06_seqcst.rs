//! Chapter 6, listing 3: two flags, each thread raises its own and reads the other's.
//! Only `SeqCst` forbids both threads reading `false`.
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

// Enough rounds to make the point, few enough that a loaded machine (where each meeting may wait
// for a time slice) still finishes in well under a second or two.
const ROUNDS: usize = 2_000;

// ANCHOR: seqcst
/// Raise my flag, then look at the other thread's.
fn raise_then_look(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Ordering::SeqCst);
    theirs.load(Ordering::SeqCst)
}
// ANCHOR_END: seqcst

/// Both threads call this before each round, so that their rounds overlap in time.
fn meet(arrived: &AtomicUsize, round: usize) {
    arrived.fetch_add(1, Ordering::Relaxed);
    while arrived.load(Ordering::Relaxed) < 2 * (round + 1) {
        thread::yield_now(); // the other thread has not arrived yet
    }
}

fn main() {
    // ANCHOR: rounds
    // A fresh pair of lowered flags for every round.
    let flags: Vec<[AtomicBool; 2]> = (0..ROUNDS).map(|_| Default::default()).collect();
    let arrived = AtomicUsize::new(0);

    let (a_saw, b_saw) = thread::scope(|s| {
        let player = |me: usize| {
            let (flags, arrived) = (&flags, &arrived);
            move || {
                let mut saw = Vec::with_capacity(ROUNDS);
                for (round, pair) in flags.iter().enumerate() {
                    meet(arrived, round);
                    saw.push(raise_then_look(&pair[me], &pair[1 - me]));
                }
                saw
            }
        };
        let a = s.spawn(player(0));
        let b = s.spawn(player(1));
        (a.join().unwrap(), b.join().unwrap())
    });

    let both_missed = a_saw
        .iter()
        .zip(&b_saw)
        .filter(|(a, b)| !**a && !**b)
        .count();
    println!("rounds in which both threads missed the other's flag: {both_missed} of {ROUNDS}");
    assert_eq!(both_missed, 0, "SeqCst forbids this outcome");
    // ANCHOR_END: rounds
}
