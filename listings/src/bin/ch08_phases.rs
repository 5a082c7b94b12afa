//! Chapter 8, listing 1: four workers run three phases; a barrier separates the phases.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

const WORKERS: usize = 4;
const PHASES: usize = 3;

fn main() {
    // ANCHOR: phases
    let barrier = Arc::new(Barrier::new(WORKERS));
    // Counts arrivals at the barrier, over all phases. Only the assertions read it.
    let arrived = Arc::new(AtomicUsize::new(0));

    let handles: Vec<_> = (0..WORKERS)
        .map(|id| {
            let barrier = Arc::clone(&barrier);
            let arrived = Arc::clone(&arrived);
            thread::spawn(move || {
                let mut led = Vec::new();
                for phase in 0..PHASES {
                    // Workers run at different speeds: the barrier must not care.
                    thread::sleep(Duration::from_millis((id as u64 + phase as u64) % 3));
                    println!("worker {id} arrived at barrier {phase}");
                    arrived.fetch_add(1, Ordering::SeqCst);

                    let result = barrier.wait();

                    // Everyone has arrived for this phase. Others may have arrived at the
                    // next barrier already, but no further: it holds them until we come too.
                    let seen = arrived.load(Ordering::SeqCst);
                    let this_phase = WORKERS * (phase + 1);
                    assert!(seen >= this_phase, "released early: {seen} < {this_phase}");
                    assert!(seen < this_phase + WORKERS, "ran ahead: {seen}");

                    if result.is_leader() {
                        println!("barrier {phase}: all {WORKERS} arrived, worker {id} leads");
                        led.push(phase);
                    }
                    println!("worker {id} passed barrier {phase}");
                }
                led
            })
        })
        .collect();

    let mut leaders_per_phase = [0; PHASES];
    for handle in handles {
        for phase in handle.join().unwrap() {
            leaders_per_phase[phase] += 1;
        }
    }
    assert_eq!(
        leaders_per_phase, [1; PHASES],
        "exactly one leader per phase"
    );
    assert_eq!(arrived.load(Ordering::SeqCst), WORKERS * PHASES);
    println!("all {WORKERS} workers finished {PHASES} phases");
    // ANCHOR_END: phases
}
