//! Chapter 15: `join!` and `try_join!` run futures concurrently inside one task, without
//! spawning.
use std::future::pending;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::time::timeout;

// ANCHOR: join
/// Sends `name` to its partner, then waits for the partner's name. Two of these finish only
/// if they run at the same time: each waits for something the other sends.
async fn greet(
    name: &str,
    to_partner: oneshot::Sender<String>,
    from_partner: oneshot::Receiver<String>,
) -> String {
    to_partner.send(name.to_string()).unwrap();
    let partner = from_partner.await.unwrap();
    format!("{name} met {partner}")
}

async fn meet(names: &[String]) -> (String, String) {
    let (to_b, from_a) = oneshot::channel();
    let (to_a, from_b) = oneshot::channel();
    let a = greet(&names[0], to_b, from_b);
    let b = greet(&names[1], to_a, from_a);
    // One task polls both futures, turn about, until both are ready.
    tokio::join!(a, b)
}
// ANCHOR_END: join

// ANCHOR: try_join
/// `try_join!` returns at the first `Err`, and drops the futures still running.
async fn first_error() -> (Result<((), ()), String>, bool) {
    let (guard, dropped) = oneshot::channel::<()>();
    let result = tokio::try_join!(
        async move {
            let _guard = guard; // dropped together with this future
            pending::<()>().await; // never finishes
            Ok(())
        },
        async { Err::<(), _>("refused".to_string()) },
    );
    // The guard's sender is gone: the pending future was dropped, not left waiting.
    let was_dropped = dropped.await.is_err();
    (result, was_dropped)
}
// ANCHOR_END: try_join

#[tokio::main]
async fn main() {
    // ANCHOR: main
    // Plain local data, borrowed: `join!` needs neither `'static` nor `Send`.
    let names = vec!["Ada".to_string(), "Grace".to_string()];
    let (a, b) = timeout(Duration::from_secs(10), meet(&names))
        .await
        .expect("the two greetings did not run concurrently");
    println!("{a}; {b}");
    assert_eq!((a.as_str(), b.as_str()), ("Ada met Grace", "Grace met Ada"));

    let (result, was_dropped) = first_error().await;
    assert_eq!(result, Err("refused".to_string()));
    assert!(was_dropped);
    println!("try_join!: {result:?}, and the other future was dropped");
    // ANCHOR_END: main
}
