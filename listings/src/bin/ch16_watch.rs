//! Chapter 16, listing 5: watch keeps only the latest value; receivers see changes, not history.
use tokio::sync::watch;

#[tokio::main]
async fn main() {
    // ANCHOR: watch
    let (tx, mut rx) = watch::channel("config v1");
    assert_eq!(*rx.borrow_and_update(), "config v1");

    // Three updates before the receiver looks: it sees only the last one.
    tx.send("config v2").unwrap();
    tx.send("config v3").unwrap();
    tx.send("config v4").unwrap();
    rx.changed().await.unwrap();
    let seen = *rx.borrow_and_update();
    println!("after three updates the receiver sees {seen}");
    assert_eq!(seen, "config v4");

    // A task waits for changes until the sender goes away.
    let mut watcher = tx.subscribe();
    let task = tokio::spawn(async move {
        let mut changes = 0;
        while watcher.changed().await.is_ok() {
            changes += 1;
        }
        (changes, *watcher.borrow())
    });
    tx.send("config v5").unwrap();
    drop(tx);
    let (changes, last) = task.await.unwrap();
    // Whether the task ran before or after the send, it sees v5 once, then the end.
    assert_eq!(changes, 1);
    assert_eq!(last, "config v5");
    println!("the watcher ended with {last}");
    // ANCHOR_END: watch

    // ANCHOR: nobody
    let (tx, rx) = watch::channel("config v1");
    drop(rx);
    // With no receiver, `send` fails and does not store the value...
    assert!(tx.send("config v2").is_err());
    assert_eq!(*tx.subscribe().borrow(), "config v1");
    println!("no receivers: send failed, and a new receiver still sees config v1");
    // ...while `send_replace` always stores it, receivers or not.
    tx.send_replace("config v2");
    assert_eq!(*tx.subscribe().borrow(), "config v2");
    println!("send_replace stored config v2 for later receivers");
    // ANCHOR_END: nobody
}
