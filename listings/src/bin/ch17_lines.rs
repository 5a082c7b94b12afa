//! Chapter 17, listing 3: a line protocol framed by `LinesCodec`: `FramedWrite` and
//! `SinkExt::send` on one end, `FramedRead` and `StreamExt::next` on the other.
use futures::{SinkExt, StreamExt};
use tokio::io;
use tokio_util::codec::{FramedRead, FramedWrite, LinesCodec, LinesCodecError};

#[tokio::main]
async fn main() -> Result<(), LinesCodecError> {
    // ANCHOR: lines
    let (client, server) = io::duplex(64);
    let mut outgoing = FramedWrite::new(client, LinesCodec::new());
    // A limit on the line length: without one, a peer that never sends '\n' makes the
    // codec buffer everything it sends.
    let mut incoming = FramedRead::new(server, LinesCodec::new_with_max_length(16));

    let sender = tokio::spawn(async move {
        outgoing.send("short line").await?; // encodes "short line\n" and flushes it
        outgoing
            .send("a line far longer than sixteen bytes")
            .await?;
        outgoing.send("after it").await?;
        Ok::<_, LinesCodecError>(())
    }); // the task ends and drops `outgoing`: end of file

    let mut seen = Vec::new();
    for call in 1..=5 {
        let item = incoming.next().await;
        println!("next() #{call}: {item:?}");
        seen.push(item.map(|line| line.map_err(|e| e.to_string())));
    }
    sender.await.unwrap()?;
    // ANCHOR_END: lines
    assert_eq!(
        seen,
        [
            Some(Ok("short line".to_string())),
            Some(Err("max line length exceeded".to_string())),
            None, // right after an error, although the line after it is on its way
            Some(Ok("after it".to_string())),
            None, // the real end of file
        ]
    );
    Ok(())
}
