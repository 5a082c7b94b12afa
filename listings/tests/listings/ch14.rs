//! Chapter 14: futures by hand.

use crate::support::listing;

#[test]
fn timer_is_polled_twice_and_woken_once() {
    let run = listing!("ch14_timer");
    // One poll starts the timer thread, its single wake-up causes the second, which is Ready.
    run.assert_once("timer: polled 2 times");
    // An async fn is lazy: its body starts only when the executor first polls it, and the
    // timer's wake-up travels through it.
    let created = run.position("future created; nothing has run yet");
    let started = run.position("delayed_greeting: started");
    assert!(
        created < started,
        "the async fn body ran before it was polled"
    );
    run.assert_once("Hello, Alice! (polled 2 times)");
    assert_eq!(run.lines().len(), 4);
}

#[test]
fn busy_timer_keeps_the_executor_from_sleeping() {
    let run = listing!("ch14_busy_timer");
    let line = run.lines()[0];
    let polls: usize = line
        .strip_prefix("busy timer: polled ")
        .and_then(|rest| rest.strip_suffix(" times, executor slept 0 times"))
        .unwrap_or_else(|| panic!("unexpected output: {line}"))
        .parse()
        .unwrap();
    // The timer that stores its waker is polled exactly twice; this one, over and over.
    assert!(polls > 2, "polled only {polls} times");
}

#[test]
fn a_moved_future_wakes_the_task_that_polled_it_last() {
    let run = listing!("ch14_stale_waker");
    assert_eq!(
        run.lines(),
        [
            "the task that polled the gate last was woken",
            "the first task's waker was not called",
        ]
    );
}

#[test]
fn a_pinned_future_stays_at_one_address_until_dropped() {
    let run = listing!("ch14_pinning");
    assert_eq!(
        run.lines(),
        [
            "first_of_three: 1 after 2 polls",
            "pin!: three polls and the drop, all at one address",
            "Box::pin: the box moved, the future did not",
            "Unpin: polled at two different addresses, which is allowed",
        ]
    );
}
