//! Chapter 16, listing 3: request and reply, with an mpsc channel in and a oneshot channel back.
use std::collections::HashMap;
use tokio::sync::{mpsc, oneshot};

// ANCHOR: service
/// A request carries the channel its answer goes back on.
struct Lookup {
    key: String,
    reply: oneshot::Sender<Option<u32>>,
}

/// Owns the table; nobody else touches it, so it needs no lock.
async fn price_service(mut requests: mpsc::Receiver<Lookup>) {
    let prices = HashMap::from([("apple".to_string(), 3), ("pear".to_string(), 5)]);
    while let Some(Lookup { key, reply }) = requests.recv().await {
        if key == "poison" {
            // Drop `reply` without answering, as a crashed handler would.
            continue;
        }
        // The asker may have given up; that is not our problem.
        let _ = reply.send(prices.get(&key).copied());
    }
    println!("service: every sender is gone, shutting down");
}

async fn ask(service: &mpsc::Sender<Lookup>, key: &str) -> Result<Option<u32>, &'static str> {
    let (reply, answer) = oneshot::channel();
    let request = Lookup {
        key: key.to_string(),
        reply,
    };
    service
        .send(request)
        .await
        .map_err(|_| "the service is gone")?;
    answer.await.map_err(|_| "the service dropped the request")
}
// ANCHOR_END: service

// ANCHOR: main
#[tokio::main]
async fn main() {
    let (tx, rx) = mpsc::channel(8);
    let service = tokio::spawn(price_service(rx));

    assert_eq!(ask(&tx, "apple").await, Ok(Some(3)));
    assert_eq!(ask(&tx, "plum").await, Ok(None));
    println!("apple: Some(3), plum: None");
    let dropped = ask(&tx, "poison").await;
    println!("poison: {dropped:?}");
    assert_eq!(dropped, Err("the service dropped the request"));

    drop(tx); // the last sender: the service's recv returns None
    service.await.unwrap();
}
// ANCHOR_END: main
