//! Chapter 18, listing 6: branch preconditions (`, if`), and a future that must not be polled
//! again once it has completed.
use std::time::Duration;
use tokio::select;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep, sleep_until};

// ANCHOR: precondition
/// Collects messages until the channel closes or, if there is a deadline, until it passes.
pub async fn collect_until(mut rx: mpsc::Receiver<u32>, deadline: Option<Instant>) -> Vec<u32> {
    let mut got = Vec::new();
    loop {
        select! {
            // `, if` disables the branch, but its expression is evaluated all the same: with
            // `deadline.unwrap()` here, "no deadline" would be a panic.
            () = sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => break,
            message = rx.recv() => match message {
                Some(message) => got.push(message),
                None => break,
            },
        }
    }
    got
}
// ANCHOR_END: precondition

// ANCHOR: completed
/// Waits for a reply while collecting progress reports, and keeps collecting them after the
/// reply has come, until the reports end.
pub async fn reply_and_progress(
    mut reply: oneshot::Receiver<u32>,
    mut progress: mpsc::Receiver<u32>,
) -> (Option<u32>, Vec<u32>) {
    let mut answer = None;
    let mut replied = false;
    let mut reports = Vec::new();
    loop {
        select! {
            // `&mut reply` is the same future on every turn. Polled again after it has
            // completed, it panics; the precondition makes sure it is not.
            result = &mut reply, if !replied => {
                replied = true;
                answer = result.ok();
            }
            report = progress.recv() => match report {
                Some(report) => reports.push(report),
                None => break,
            },
        }
    }
    (answer, reports)
}
// ANCHOR_END: completed

#[tokio::main]
async fn main() {
    let (tx, rx) = mpsc::channel(8);
    for i in 1..=3 {
        tx.send(i).await.unwrap();
    }
    drop(tx);
    let got = collect_until(rx, None).await;
    assert_eq!(got, [1, 2, 3]);
    println!("no deadline: collected {got:?} until the channel closed");

    let (tx, rx) = mpsc::channel(8);
    tx.send(1).await.unwrap(); // and `tx` stays open
    let got = collect_until(rx, Some(Instant::now() + Duration::from_millis(5))).await;
    assert_eq!(got, [1]);
    println!("a 5 ms deadline: collected {got:?}, then the deadline passed");
    drop(tx);

    let (reply_tx, reply_rx) = oneshot::channel();
    let (progress_tx, progress_rx) = mpsc::channel(8);
    reply_tx.send(42).unwrap();
    tokio::spawn(async move {
        for report in 1..=3 {
            sleep(Duration::from_millis(1)).await; // the reply is in long before
            progress_tx.send(report).await.unwrap();
        }
    });
    let (answer, reports) = reply_and_progress(reply_rx, progress_rx).await;
    assert_eq!((answer, &reports[..]), (Some(42), &[1, 2, 3][..]));
    println!("reply {answer:?}, and every progress report after it: {reports:?}");
}
