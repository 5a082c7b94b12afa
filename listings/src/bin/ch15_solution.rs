//! Chapter 15 exercise, solved: the first attempt to succeed wins; the rest are cancelled.
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};

// ANCHOR: solution
/// Runs every attempt at once (each waits its delay, then yields its result). Returns the
/// first `Ok` to finish, cancelling the others, or every error if all of them fail.
pub async fn first_ok(attempts: Vec<(Duration, Result<u32, String>)>) -> Result<u32, Vec<String>> {
    let mut set = JoinSet::new();
    for (delay, result) in attempts {
        set.spawn(async move {
            sleep(delay).await;
            result
        });
    }
    let mut errors = Vec::new();
    while let Some(joined) = set.join_next().await {
        match joined.expect("attempt panicked") {
            Ok(value) => return Ok(value), // dropping `set` aborts the rest
            Err(e) => errors.push(e),
        }
    }
    Err(errors)
}
// ANCHOR_END: solution

#[tokio::main]
async fn main() {
    let ms = Duration::from_millis;
    let start = Instant::now();
    let winner = first_ok(vec![
        (ms(500), Ok(1)),
        (ms(1), Err("refused".to_string())),
        (ms(3), Ok(2)),
    ])
    .await;
    assert_eq!(winner, Ok(2));
    assert!(start.elapsed() < ms(500), "waited for the slowest attempt");
    println!("first success: {winner:?}");

    let all_failed = first_ok(vec![(ms(2), Err("b".into())), (ms(1), Err("a".into()))]).await;
    let mut errors = all_failed.unwrap_err();
    errors.sort();
    assert_eq!(errors, ["a", "b"]);
    println!("all failed: {errors:?}");
}
