//! Chapter 15 exercise: the first attempt to succeed wins; the rest are cancelled.
//! Run it with `cargo run -p listings --example ch15_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch15_solution.rs`.
use std::time::Duration;
use tokio::time::timeout;

// ANCHOR: exercise
/// Runs every attempt at once (each waits its delay, then yields its result). Returns the
/// first `Ok` to finish, after stopping the others, or every error if all of them fail.
pub async fn first_ok(attempts: Vec<(Duration, Result<u32, String>)>) -> Result<u32, Vec<String>> {
    // 1. Spawn one task per attempt into a `tokio::task::JoinSet`: sleep, then return the result.
    // 2. Take results with `join_next` as they finish. At the first `Ok`, stop the other
    //    tasks and wait until they have stopped (`JoinSet::shutdown`), then return it.
    // 3. Collect the errors; if the set runs dry, return them all.
    todo!("{} attempts", attempts.len())
}

#[tokio::main]
async fn main() {
    let ms = Duration::from_millis;
    let limit = Duration::from_secs(10);
    let attempts = vec![
        (Duration::MAX, Ok(1)), // never finishes
        (ms(1), Err("refused".to_string())),
        (ms(3), Ok(2)),
    ];
    let winner = timeout(limit, first_ok(attempts))
        .await
        .expect("first_ok waited for the attempt that never finishes");
    assert_eq!(winner, Ok(2));
    println!("first success: {winner:?}");

    let attempts = vec![(ms(2), Err("b".into())), (ms(1), Err("a".into()))];
    let all_failed = timeout(limit, first_ok(attempts)).await.unwrap();
    let mut errors = all_failed.unwrap_err();
    errors.sort(); // which fails first is up to the clock
    assert_eq!(errors, ["a", "b"]);
    println!("all failed: {errors:?}");
}
// ANCHOR_END: exercise
