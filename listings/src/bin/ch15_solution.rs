//! Chapter 15 exercise, solved: the first attempt to succeed wins; the rest are cancelled.
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::{sleep, timeout};

// ANCHOR: solution
/// Runs every attempt at once (each waits its delay, then yields its result). Returns the
/// first `Ok` to finish, after stopping the others, or every error if all of them fail.
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
            Ok(value) => {
                set.shutdown().await; // abort the rest, and wait until they have stopped
                return Ok(value);
            }
            Err(e) => errors.push(e),
        }
    }
    Err(errors)
}
// ANCHOR_END: solution

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
