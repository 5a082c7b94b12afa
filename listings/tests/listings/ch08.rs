//! Chapter 8: barriers.

use crate::support::listing;

const WORKERS: usize = 4;
const PHASES: usize = 3;

#[test]
fn phases_nobody_passes_a_barrier_before_everyone_arrived() {
    let run = listing!("ch08_phases");
    for phase in 0..PHASES {
        for id in 0..WORKERS {
            run.assert_once(&format!("worker {id} arrived at barrier {phase}"));
            run.assert_once(&format!("worker {id} passed barrier {phase}"));
        }
        // Each line is printed before its thread calls `wait` (or after it returns), so the
        // barrier orders them: every arrival at barrier p comes before any pass through it.
        let last_arrival = (0..WORKERS)
            .map(|id| run.position(&format!("worker {id} arrived at barrier {phase}")))
            .max()
            .unwrap();
        let first_pass = (0..WORKERS)
            .map(|id| run.position(&format!("worker {id} passed barrier {phase}")))
            .min()
            .unwrap();
        assert!(
            last_arrival < first_pass,
            "barrier {phase} let a worker through early:\n{}",
            run.stdout
        );
        // Exactly one leader per phase.
        let prefix = format!("barrier {phase}: all {WORKERS} arrived, worker ");
        let leaders = run
            .lines()
            .iter()
            .filter(|l| l.starts_with(&prefix))
            .count();
        assert_eq!(leaders, 1, "{}", run.stdout);
    }
    assert_eq!(
        run.lines().last(),
        Some(&"all 4 workers finished 3 phases"),
        "{}",
        run.stdout
    );
    assert_eq!(run.lines().len(), PHASES * (2 * WORKERS + 1) + 1);
}

#[test]
fn short_party_blocks_until_the_last_party_arrives() {
    let run = listing!("ch08_short_party");
    let lines = run.lines();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    // Main's report comes first: the waiters cannot print before main reaches the barrier.
    assert_eq!(lines[0], "after 10 ms both waiters are still blocked");
    run.assert_once("waiter 0 released");
    run.assert_once("waiter 1 released");
    assert_eq!(lines[3], "main was the third party; everyone is through");
}
