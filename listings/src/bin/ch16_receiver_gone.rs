//! Chapter 16, listing 6: what senders see when the receiver is dropped.
use tokio::sync::mpsc;

#[tokio::main]
async fn main() {
    // ANCHOR: gone
    let (tx, mut rx) = mpsc::channel::<u32>(2);
    let producer = tokio::spawn(async move {
        for i in 0.. {
            if let Err(mpsc::error::SendError(value)) = tx.send(i).await {
                // The message comes back: nothing was lost silently.
                return value;
            }
        }
        unreachable!()
    });

    for expected in 0..3 {
        assert_eq!(rx.recv().await, Some(expected));
    }
    drop(rx); // messages still in the buffer are dropped with it
    let returned = producer.await.unwrap();
    // 0..3 were received; at most the 2 buffered after them were lost.
    assert!((3..=5).contains(&returned), "{returned}");
    println!("the producer stopped: send returned its message");
    // ANCHOR_END: gone

    // ANCHOR: closed
    let (tx, rx) = mpsc::channel::<u32>(1);
    let watchdog = tokio::spawn(async move {
        // Completes when the receiver is dropped (or closed with `rx.close()`).
        tx.closed().await;
        tx.is_closed()
    });
    drop(rx);
    assert!(watchdog.await.unwrap());
    println!("closed() completed when the receiver went away");
    // ANCHOR_END: closed
}
