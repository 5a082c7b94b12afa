//! Chapter 21, "Preventing deadlocks": dining philosophers, without deadlock.
//!
//! Graded by plain tests, one of them under a watchdog. A deadlock depends on the interleaving,
//! so a run that finishes proves little; the first test checks the cause instead, on every run:
//! each philosopher waits for its second fork while holding its first, so the table can deadlock
//! only if those "holds first, waits for second" edges form a cycle around the table. It checks
//! that they do not, for tables of 2 to 9. The second test then lets five philosophers eat a
//! thousand meals each, inside a 5 s watchdog that turns a deadlock into a failure with a
//! message, and checks that every fork served its two neighbours.
use std::sync::Mutex;
use std::thread;

// ANCHOR: exercise
/// The forks of philosopher `i` of `n`, in the order to pick them up. Choose the order so
/// that the table cannot deadlock.
fn fork_order(i: usize, n: usize) -> (usize, usize) {
    let (left, right) = (i, (i + 1) % n);
    // TODO: Return `left` and `right` in the order to lock them.
    // "Left, then right" for everyone deadlocks as soon as every philosopher holds a left fork.
    todo!("philosopher {i} of {n} eats with forks {left} and {right}")
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
// ANCHOR_END: exercise

fn main() {
    let uses = dine(5, 1_000);
    assert_eq!(uses, vec![2_000; 5], "every fork serves its two neighbours");
    assert_eq!(dine(2, 10), vec![20, 20]);
    println!("5 philosophers ate 1000 meals each; every fork was used 2000 times");
}

#[cfg(test)]
mod tests {
    use super::{dine, fork_order};
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    const SEE: &str = "see chapter 21, 'Lock ordering'";

    #[test]
    fn the_waits_for_forks_cannot_form_a_cycle() {
        for n in 2..=9 {
            // waits_for[f] = the fork a philosopher holding fork `f` first waits for.
            let mut waits_for = vec![Vec::new(); n];
            for i in 0..n {
                let (first, second) = fork_order(i, n);
                let mut got = [first, second];
                got.sort_unstable();
                let mut own = [i, (i + 1) % n];
                own.sort_unstable();
                assert_eq!(
                    got, own,
                    "philosopher {i} of {n} must pick up its own two forks, {} and {}, each once \
                     (see chapter 21, 'Exercise')",
                    own[0], own[1]
                );
                waits_for[first].push(second);
            }
            // Each edge joins neighbouring forks, so a cycle must go all the way round:
            // follow the edges from every fork and see whether they come back to it.
            for start in 0..n {
                let mut seen = vec![false; n];
                let mut stack = waits_for[start].clone();
                while let Some(fork) = stack.pop() {
                    assert!(
                        fork != start,
                        "table of {n}: the philosophers' waits go round the table (a holder of \
                         fork {start} can end up waiting, through the others, for fork \
                         {start}): every philosopher can hold one fork and wait for the next \
                         ({SEE})"
                    );
                    if !std::mem::replace(&mut seen[fork], true) {
                        stack.extend(&waits_for[fork]);
                    }
                }
            }
        }
    }

    #[test]
    fn every_philosopher_eats_and_every_fork_serves_two() {
        let (done_tx, done_rx) = mpsc::channel();
        // Detached: if the table deadlocks, the thread stays blocked and the test fails below.
        thread::spawn(move || done_tx.send((dine(5, 1_000), dine(2, 10))));
        let (five, two) = done_rx
            .recv_timeout(Duration::from_secs(5))
            .unwrap_or_else(|_| {
                panic!(
                    "the philosophers have not finished after 5 s: the table deadlocked, or a \
                 philosopher locked one fork twice ({SEE})"
                )
            });
        assert_eq!(
            five,
            vec![2_000; 5],
            "every fork serves its two neighbours a thousand meals each (see chapter 21, \
             'Exercise')"
        );
        assert_eq!(two, vec![20, 20], "a table of two shares both forks");
    }
}
