//! Chapter 17, "Async I/O and streams": read length-prefixed records in a `select!` loop that
//! also answers ticks, without losing a byte when a tick wins in the middle of a record.
//!
//! Graded by plain tests under a watchdog. The sender in the tests sends every tick while the
//! reader is part-way through a record, and waits for the tick to be answered before it sends
//! the rest; a reader that keeps a partial record in a future `select!` drops (`read_exact`, or
//! a buffer made inside the loop) loses it on every run, and a reader that never answers a
//! tick makes the sender wait for ever, which the watchdog turns into a failure after 5 s.
// TODO: You need `tokio::select!` and `tokio::io::AsyncReadExt` (for `read_buf`).
use tokio::io::{self, DuplexStream};
use tokio::sync::{mpsc, oneshot};

// ANCHOR: exercise
/// Reads records until end of file: each record is one byte giving its length, then that many
/// bytes. Meanwhile it answers every tick (by sending `()` on the tick's `oneshot`) and counts
/// them. Returns the records' contents and the number of ticks; a record cut short by the end
/// of file is an `UnexpectedEof` error.
async fn read_records(
    reader: DuplexStream,
    ticks: mpsc::Receiver<oneshot::Sender<()>>,
) -> io::Result<(Vec<Vec<u8>>, usize)> {
    // TODO: Keep the bytes read so far in a buffer that lives outside the loop, and fill it with
    // `read_buf` in one branch of a `select!`; the other branch answers a tick. After each
    // read, cut every whole record off the front of the buffer. `read_exact` would lose the
    // part of a record it holds whenever the tick wins.
    todo!("read records from {reader:?} and answer {ticks:?}")
}
// ANCHOR_END: exercise

#[tokio::main]
async fn main() {
    let (mut tx, rx) = io::duplex(64);
    let (_tick_tx, tick_rx) = mpsc::channel(1);
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        tx.write_all(b"\x05hello\x00\x05world").await.unwrap();
    });
    let (records, ticks) = read_records(rx, tick_rx).await.unwrap();
    assert_eq!(records, [&b"hello"[..], b"", b"world"]);
    println!("{} records, {ticks} ticks", records.len());
}

#[cfg(test)]
mod tests {
    use super::read_records;
    use std::time::Duration;
    use tokio::io::{self, AsyncWriteExt};
    use tokio::sync::{mpsc, oneshot};

    /// Records of 0 to 11 bytes, each with a content of its own.
    fn records() -> Vec<Vec<u8>> {
        (0..12u8)
            .map(|n| (0..n).map(|i| b'a' + (n + i) % 26).collect())
            .collect()
    }

    /// Sends `records` through a 4-byte pipe. For every record of 4 bytes or more, a tick goes
    /// out once the reader has taken its first 4 bytes (length byte included) out of the pipe,
    /// and the rest follows only when the tick has been answered. `cut` drops that many bytes
    /// from the end. Returns the number of ticks sent.
    fn start_sender(
        records: Vec<Vec<u8>>,
        cut: usize,
    ) -> (
        io::DuplexStream,
        mpsc::Receiver<oneshot::Sender<()>>,
        tokio::task::JoinHandle<usize>,
    ) {
        let (mut tx, rx) = io::duplex(4);
        let (tick_tx, tick_rx) = mpsc::channel(1);
        let sender = tokio::spawn(async move {
            let mut ticks = 0;
            let mut bytes = Vec::new();
            for record in &records {
                bytes.push(record.len() as u8);
                bytes.extend_from_slice(record);
            }
            bytes.truncate(bytes.len() - cut);
            let mut at = 0;
            for record in &records {
                let end = (at + 1 + record.len()).min(bytes.len());
                if record.len() >= 4 && end - at > 4 {
                    tx.write_all(&bytes[at..at + 4]).await.unwrap(); // fills the pipe
                    // Completes only once the reader has taken those 4 bytes.
                    tx.write_all(&bytes[at + 4..at + 5]).await.unwrap();
                    let (ack_tx, ack_rx) = oneshot::channel();
                    tick_tx.send(ack_tx).await.unwrap();
                    ack_rx
                        .await
                        .expect("the reader dropped a tick without answering it");
                    ticks += 1;
                    tx.write_all(&bytes[at + 5..end]).await.unwrap();
                } else {
                    tx.write_all(&bytes[at..end]).await.unwrap();
                }
                at = end;
            }
            ticks
        });
        (rx, tick_rx, sender)
    }

    const HANG: &str = "the sender is still waiting for a tick to be answered, or the reader for \
                        more bytes (see chapter 17, 'What goes wrong: read_exact in select!')";

    /// A plain `#[test]` (Rustlings looks for one) on the multi-threaded runtime.
    fn on_two_workers(test: impl Future<Output = ()>) {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(test);
    }

    async fn within<T>(future: impl Future<Output = T>) -> T {
        tokio::time::timeout(Duration::from_secs(5), future)
            .await
            .unwrap_or_else(|_| panic!("no answer after 5 s: {HANG}"))
    }

    #[test]
    fn every_record_arrives_whole_and_every_tick_is_answered() {
        on_two_workers(every_record_arrives_whole());
    }

    async fn every_record_arrives_whole() {
        for run in 0..100 {
            let (reader, ticks, sender) = start_sender(records(), 0);
            let result = within(read_records(reader, ticks)).await;
            let Ok(sent) = within(sender).await else {
                panic!(
                    "run {run}: a tick's oneshot sender was dropped without an answer; send `()` \
                     on it (see chapter 17, 'Exercise')"
                );
            };
            let (got, answered) = result.unwrap_or_else(|e| {
                panic!(
                    "run {run}: {e}, but the input ends on a record boundary: bytes were lost \
                     (see chapter 17, 'What goes wrong: read_exact in select!')"
                )
            });
            assert_eq!(
                got,
                records(),
                "run {run}: records lost or garbled when a tick won mid-record (see chapter 17, \
                 'What goes wrong: read_exact in select!')"
            );
            assert_eq!(
                answered, sent,
                "run {run}: every tick must be counted once (see chapter 17, 'Exercise')"
            );
        }
    }

    #[test]
    fn a_record_cut_short_is_an_error() {
        on_two_workers(a_record_cut_short());
    }

    async fn a_record_cut_short() {
        let (reader, ticks, _sender) = start_sender(records(), 3);
        let result = within(read_records(reader, ticks)).await;
        assert_eq!(
            result.map_err(|e| e.kind()),
            Err(io::ErrorKind::UnexpectedEof),
            "the last record lacks 3 bytes: end of file inside a record is an UnexpectedEof \
             error (see chapter 17, 'The tool: AsyncRead and AsyncWrite')"
        );
    }
}
