//! Chapter 17, listing 2: `read_exact` in a `select!` loop loses the bytes it has read when
//! another branch wins. A buffer that outlives the loop, filled by `read_buf`, or a
//! `FramedRead`, loses nothing.
use futures::StreamExt;
use tokio::io::{self, AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::select;
use tokio::sync::{mpsc, oneshot};
use tokio_util::bytes::BytesMut;
use tokio_util::codec::{Decoder, FramedRead};

const RECORD: usize = 8;
const RECORDS: [&[u8; RECORD]; 3] = [b"rec-0001", b"rec-0002", b"rec-0003"];

// ANCHOR: sender
/// The other end: three 8-byte records through a pipe that holds 4 bytes, and a tick that
/// arrives while the reader holds part of the first record.
fn start_sender() -> (DuplexStream, mpsc::Receiver<()>, oneshot::Sender<()>) {
    let (mut tx, rx) = io::duplex(4);
    let (tick_tx, tick_rx) = mpsc::channel(1);
    let (ack_tx, ack_rx) = oneshot::channel();
    tokio::spawn(async move {
        tx.write_all(&RECORDS[0][..4]).await.unwrap(); // fills the pipe
        // The pipe is full, so this completes only once the reader has taken those 4 bytes.
        tx.write_all(&RECORDS[0][4..5]).await.unwrap();
        tick_tx.send(()).await.unwrap();
        ack_rx.await.unwrap(); // the tick has been handled
        tx.write_all(&RECORDS[0][5..]).await.unwrap();
        tx.write_all(RECORDS[1]).await.unwrap();
        tx.write_all(RECORDS[2]).await.unwrap();
    }); // dropping `tx`: end of file
    (rx, tick_rx, ack_tx)
}
// ANCHOR_END: sender

/// What a reader made of the byte stream: the records it got, and how it ended.
#[derive(Debug)]
pub struct Outcome {
    pub records: Vec<Vec<u8>>,
    pub end: io::Result<()>,
}

// ANCHOR: lossy
/// NOT cancel safe: `read_exact` keeps the bytes it has read so far in `record`, and they are
/// gone for good when the tick wins and the `read_exact` future is dropped.
pub async fn read_exact_in_select() -> Outcome {
    let (mut reader, mut ticks, ack) = start_sender();
    let mut ack = Some(ack);
    let mut records = Vec::new();
    let end = loop {
        let mut record = [0u8; RECORD];
        select! {
            read = reader.read_exact(&mut record) => match read {
                Ok(_) => records.push(record.to_vec()),
                Err(e) => break Err(e), // UnexpectedEof: a partial record at the end
            },
            Some(()) = ticks.recv() => {
                if let Some(ack) = ack.take() {
                    ack.send(()).unwrap();
                }
            }
        }
    };
    Outcome { records, end }
}
// ANCHOR_END: lossy

// ANCHOR: read_buf
/// Cancel safe: the bytes live in `buf`, which outlives every `read_buf` future, and
/// `read_buf` itself reads nothing unless it completes.
pub async fn read_buf_in_select() -> Outcome {
    let (mut reader, mut ticks, ack) = start_sender();
    let mut ack = Some(ack);
    let mut records = Vec::new();
    let mut buf = BytesMut::with_capacity(64); // outlives every turn of the loop
    let end = loop {
        select! {
            read = reader.read_buf(&mut buf) => match read {
                Ok(0) if buf.is_empty() => break Ok(()), // a clean end of file
                Ok(0) => break Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(_) => {
                    while buf.len() >= RECORD {
                        records.push(buf.split_to(RECORD).to_vec());
                    }
                }
                Err(e) => break Err(e),
            },
            Some(()) = ticks.recv() => {
                if let Some(ack) = ack.take() {
                    ack.send(()).unwrap();
                }
            }
        }
    };
    Outcome { records, end }
}
// ANCHOR_END: read_buf

// ANCHOR: framed
/// A decoder: how to cut one record off the front of the bytes read so far.
struct Records;

impl Decoder for Records {
    type Item = BytesMut;
    type Error = io::Error;

    fn decode(&mut self, buf: &mut BytesMut) -> io::Result<Option<BytesMut>> {
        if buf.len() < RECORD {
            return Ok(None); // not a whole record yet: FramedRead reads more
        }
        Ok(Some(buf.split_to(RECORD)))
    }
}

/// Cancel safe: FramedRead keeps its buffer inside itself, and it outlives the loop.
pub async fn framed_read_in_select() -> Outcome {
    let (reader, mut ticks, ack) = start_sender();
    let mut ack = Some(ack);
    let mut records = Vec::new();
    let mut frames = FramedRead::new(reader, Records);
    let end = loop {
        select! {
            frame = frames.next() => match frame {
                Some(Ok(record)) => records.push(record.to_vec()),
                Some(Err(e)) => break Err(e), // e.g. a partial record at the end
                None => break Ok(()),
            },
            Some(()) = ticks.recv() => {
                if let Some(ack) = ack.take() {
                    ack.send(()).unwrap();
                }
            }
        }
    };
    Outcome { records, end }
}
// ANCHOR_END: framed

/// Whether `outcome` is every record, in order, and a clean end of file.
pub fn intact(outcome: &Outcome) -> bool {
    outcome.records == RECORDS.map(|r| r.to_vec()) && outcome.end.is_ok()
}

/// A record the sender never sent.
pub fn garbled(record: &[u8]) -> bool {
    !RECORDS.iter().any(|r| r.as_slice() == record)
}

#[tokio::main]
async fn main() {
    // ANCHOR: main
    let lossy = read_exact_in_select().await;
    let end = lossy.end.as_ref().map_err(io::Error::kind);
    let all_garbled = lossy.records.iter().all(|r| garbled(r));
    println!(
        "read_exact in select!: {} records, all garbled: {all_garbled}, then {end:?}",
        lossy.records.len()
    );
    assert_eq!(lossy.records.len(), 2);
    assert!(all_garbled);
    assert_eq!(end, Err(io::ErrorKind::UnexpectedEof));

    let safe = read_buf_in_select().await;
    println!(
        "read_buf into a buffer outside the loop: {} records, intact",
        safe.records.len()
    );
    assert!(intact(&safe), "{safe:?}");

    let framed = framed_read_in_select().await;
    println!("FramedRead: {} records, intact", framed.records.len());
    assert!(intact(&framed), "{framed:?}");
    // ANCHOR_END: main
}
