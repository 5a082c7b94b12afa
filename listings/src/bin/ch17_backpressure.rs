//! Chapter 17, listing 7: backpressure. A writer that outpaces its reader waits in
//! `write_all` once the bytes in transit fill the pipe (or a socket's buffers).
use std::time::Duration;

use tokio::io::{self, AsyncReadExt, AsyncWriteExt};
use tokio::time::{Instant, sleep};

// ANCHOR: pace
/// Writes ten 8-byte lines through a pipe that holds `capacity` bytes, to a reader that takes
/// `per_line` over each line. Returns when each `write_all` completed.
pub async fn pace(capacity: usize, per_line: Duration) -> Vec<Duration> {
    let (mut writer, mut reader) = io::duplex(capacity);
    let slow_reader = tokio::spawn(async move {
        let mut line = [0u8; 8];
        let mut lines = 0;
        while reader.read_exact(&mut line).await.is_ok() {
            lines += 1;
            sleep(per_line).await; // handling the line takes a while
        }
        lines
    });

    let start = Instant::now();
    let mut written_at = Vec::new();
    for i in 0..10 {
        writer
            .write_all(format!("line {i:02}\n").as_bytes())
            .await
            .unwrap();
        written_at.push(start.elapsed());
    }
    drop(writer); // end of file: the reader's loop ends
    assert_eq!(slow_reader.await.unwrap(), 10);
    written_at
}
// ANCHOR_END: pace

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    for capacity in [32, 1024] {
        let ms: Vec<u128> = pace(capacity, Duration::from_millis(10))
            .await
            .iter()
            .map(Duration::as_millis)
            .collect();
        println!("pipe of {capacity} bytes: lines written at {ms:?} ms");
    }
    // ANCHOR_END: main
}
