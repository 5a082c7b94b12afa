//! Chapter 6, listing 5: two flags; each thread raises its own, then reads the other's.
//! `SeqCst` on all four accesses, or a `SeqCst` fence in each thread, forbids both threads
//! reading `false`.
//!
//! The same file is a loom model: `listings/tests/loom_ch06.rs` includes it as a module, and
//! under `--cfg loom` the `use` lines below swap in loom's `AtomicBool` and `fence`.
#![cfg_attr(loom, allow(dead_code))]
#[cfg(loom)]
use loom::sync::atomic::{AtomicBool, fence};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicBool, fence};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

// ANCHOR: seqcst
/// Raise my flag, then look at the other thread's.
pub fn raise_then_look(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Ordering::SeqCst);
    theirs.load(Ordering::SeqCst)
}
// ANCHOR_END: seqcst

// ANCHOR: fence
/// The same, with the order coming from a fence: the two accesses may be `Relaxed`.
pub fn raise_fence_look(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, Ordering::Relaxed);
    // The two threads' SeqCst fences are ordered, one before the other; the thread whose
    // fence comes second sees the store the other made before its fence.
    fence(Ordering::SeqCst);
    theirs.load(Ordering::Relaxed)
}
// ANCHOR_END: fence

// Enough rounds to make the point, few enough that a loaded machine (where each meeting may
// wait for a time slice) still finishes in a second or two.
const ROUNDS: usize = 1_000;

/// Both threads call this before each round, so that their rounds overlap in time.
fn meet(arrived: &AtomicUsize, round: usize) {
    arrived.fetch_add(1, Ordering::Relaxed);
    while arrived.load(Ordering::Relaxed) < 2 * (round + 1) {
        thread::yield_now(); // the other thread has not arrived yet
    }
}

// ANCHOR: rounds
/// One thread's turn in a round: raise my flag, then look at the other's.
type Play = fn(&AtomicBool, &AtomicBool) -> bool;

/// Plays `ROUNDS` rounds of `play` on two threads, with fresh lowered flags every round.
/// Returns the number of rounds in which both threads saw `false`.
fn both_missed(play: Play) -> usize {
    let flags: Vec<[AtomicBool; 2]> = (0..ROUNDS).map(|_| Default::default()).collect();
    let arrived = AtomicUsize::new(0);

    let (a_saw, b_saw) = thread::scope(|s| {
        let player = |me: usize| {
            let (flags, arrived) = (&flags, &arrived);
            move || {
                let mut saw = Vec::with_capacity(ROUNDS);
                for (round, pair) in flags.iter().enumerate() {
                    meet(arrived, round);
                    saw.push(play(&pair[me], &pair[1 - me]));
                }
                saw
            }
        };
        let a = s.spawn(player(0));
        let b = s.spawn(player(1));
        (a.join().unwrap(), b.join().unwrap())
    });

    a_saw.iter().zip(&b_saw).filter(|&(a, b)| !a && !b).count()
}
// ANCHOR_END: rounds

fn main() {
    // ANCHOR: main
    let versions: [(&str, Play); 2] = [
        ("SeqCst accesses", raise_then_look),
        ("SeqCst fences", raise_fence_look),
    ];
    for (name, play) in versions {
        let missed = both_missed(play);
        println!("{name}: both threads missed the other's flag in {missed} of {ROUNDS} rounds");
        assert_eq!(missed, 0, "{name}: the language forbids this outcome");
    }
    // ANCHOR_END: main
}
