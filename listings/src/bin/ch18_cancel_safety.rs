//! Chapter 18, listing 2: a future that holds partial state loses it when `select!` drops it.
//! The sender makes the loss certain: the tick comes only after the reader holds "hel".
use tokio::select;
use tokio::sync::{mpsc, oneshot};

// ANCHOR: sender
/// The other end: sends "hel", waits until the reader has taken it out of the channel, sends a
/// tick, waits until the tick has been handled, and only then sends the rest of the line, and
/// one more.
fn start_sender() -> (
    mpsc::Receiver<&'static str>,
    mpsc::Receiver<()>,
    oneshot::Sender<()>,
) {
    // Room for one message: a slot is free again only once "hel" has been received.
    let (data_tx, data_rx) = mpsc::channel(1);
    let (tick_tx, tick_rx) = mpsc::channel(1);
    let (ack_tx, ack_rx) = oneshot::channel();
    tokio::spawn(async move {
        data_tx.send("hel").await.unwrap();
        let slot = data_tx.reserve().await.unwrap(); // completes once "hel" is taken
        tick_tx.send(()).await.unwrap();
        ack_rx.await.unwrap();
        slot.send("lo\n");
        data_tx.send("world\n").await.unwrap();
    });
    (data_rx, tick_rx, ack_tx)
}
// ANCHOR_END: sender

// ANCHOR: lossy
/// NOT cancel safe: the part of the line read so far lives inside this future.
async fn read_line_lossy(rx: &mut mpsc::Receiver<&'static str>) -> Option<String> {
    let mut line = String::new();
    loop {
        line.push_str(rx.recv().await?);
        if let Some(complete) = line.strip_suffix('\n') {
            return Some(complete.to_string());
        }
    }
}

pub async fn lines_lossy() -> Vec<String> {
    let (mut data, mut ticks, ack) = start_sender();
    let mut ack = Some(ack);
    let mut lines = Vec::new();
    loop {
        select! {
            biased;
            line = read_line_lossy(&mut data) => match line {
                Some(line) => lines.push(line),
                None => break,
            },
            Some(()) = ticks.recv() => {
                // The read_line_lossy future, and the "hel" it held, are gone by now.
                if let Some(ack) = ack.take() {
                    ack.send(()).unwrap();
                }
            }
        }
    }
    lines
}
// ANCHOR_END: lossy

// ANCHOR: safe
/// Cancel safe: the partial line lives in `buf`, owned by the caller, and the only `.await`
/// is `recv`, which is cancel safe itself.
async fn read_line(rx: &mut mpsc::Receiver<&'static str>, buf: &mut String) -> Option<String> {
    loop {
        if let Some(end) = buf.find('\n') {
            let line = buf[..end].to_string();
            buf.drain(..=end);
            return Some(line);
        }
        buf.push_str(rx.recv().await?);
    }
}

pub async fn lines_safe() -> Vec<String> {
    let (mut data, mut ticks, ack) = start_sender();
    let mut ack = Some(ack);
    let mut lines = Vec::new();
    let mut buf = String::new(); // outlives every read_line future
    loop {
        select! {
            biased;
            line = read_line(&mut data, &mut buf) => match line {
                Some(line) => lines.push(line),
                None => break,
            },
            Some(()) = ticks.recv() => {
                if let Some(ack) = ack.take() {
                    ack.send(()).unwrap();
                }
            }
        }
    }
    lines
}
// ANCHOR_END: safe

#[tokio::main]
async fn main() {
    // ANCHOR: main
    let lossy = lines_lossy().await;
    println!("lossy reader: {lossy:?}");
    assert_eq!(lossy, ["lo", "world"]);

    let safe = lines_safe().await;
    println!("cancel-safe reader: {safe:?}");
    assert_eq!(safe, ["hello", "world"]);
    // ANCHOR_END: main
}
