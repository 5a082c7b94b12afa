//! Chapter 17: async I/O and streams.

use std::future::Future;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::{Framed, FramedRead, FramedWrite, LinesCodec};

use crate::support::listing;

#[allow(dead_code)]
#[path = "../../src/bin/ch17_backpressure.rs"]
mod backpressure;
#[allow(dead_code)]
#[path = "../../src/bin/ch17_buffer_unordered.rs"]
mod buffer_unordered;
#[allow(dead_code)]
#[path = "../../src/bin/ch17_cancel_safety.rs"]
mod cancel_safety;
#[allow(dead_code)]
#[path = "../../src/bin/ch17_line_server.rs"]
mod line_server;
#[allow(dead_code)]
#[path = "../../src/bin/ch17_streams.rs"]
mod streams;

const MS: Duration = Duration::from_millis(1);
const LIMIT: Duration = Duration::from_secs(10);

/// Fails the test with a message instead of letting it hang. Under the paused clock the limit
/// is virtual time, so a deadlock fails at once.
async fn within<F: Future>(limit: Duration, future: F) -> F::Output {
    tokio::time::timeout(limit, future)
        .await
        .unwrap_or_else(|_| panic!("still running after {limit:?}: it hangs"))
}

#[test]
fn reads_and_writes_move_what_fits() {
    let run = listing!("ch17_read_write");
    assert_eq!(
        run.lines(),
        [
            "write took 8 of 13 bytes",
            "read returned 8 bytes: \"hello, w\"",
            "read_exact filled all 32 bytes",
            "then read returned 0: end of file",
            "and read_exact failed: UnexpectedEof",
            "reply after shutdown: got 17 bytes",
            "BufWriter dropped unflushed: 0 bytes arrived",
            "BufWriter shut down first: 9 bytes arrived",
        ]
    );
}

#[test]
fn read_exact_in_select_loses_bytes_and_the_fixes_do_not() {
    let run = listing!("ch17_cancel_safety");
    assert_eq!(
        run.lines(),
        [
            "read_exact in select!: 2 records, all garbled: true, then Err(UnexpectedEof)",
            "read_buf into a buffer outside the loop: 3 records, intact",
            "FramedRead: 3 records, intact",
        ]
    );
}

// The outcome must not depend on how the two threads interleave the sender and the reader.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_safety_outcome_is_the_same_on_many_threads() {
    within(LIMIT, async {
        for run in 0..500 {
            let lossy = cancel_safety::read_exact_in_select().await;
            assert_eq!(lossy.records.len(), 2, "run {run}: {lossy:?}");
            assert!(
                lossy.records.iter().all(|r| cancel_safety::garbled(r)),
                "run {run}: {lossy:?}"
            );
            assert!(lossy.end.is_err(), "run {run}: {lossy:?}");

            let safe = cancel_safety::read_buf_in_select().await;
            assert!(cancel_safety::intact(&safe), "run {run}: {safe:?}");
            let framed = cancel_safety::framed_read_in_select().await;
            assert!(cancel_safety::intact(&framed), "run {run}: {framed:?}");
        }
    })
    .await;
}

#[test]
fn a_framed_read_pauses_after_an_error() {
    let run = listing!("ch17_lines");
    assert_eq!(
        run.lines(),
        [
            "next() #1: Some(Ok(\"short line\"))",
            "next() #2: Some(Err(MaxLineLengthExceeded))",
            "next() #3: None",
            "next() #4: Some(Ok(\"after it\"))",
            "next() #5: None",
        ]
    );
}

// After an error, a FramedRead decodes again only once a read returns: a line already in its
// buffer waits for more bytes, or for the end of file.
#[tokio::test(start_paused = true)]
async fn after_an_error_a_framed_read_decodes_again_only_after_a_read() {
    within(LIMIT, async {
        let (mut client, server) = tokio::io::duplex(64);
        let mut incoming = FramedRead::new(server, LinesCodec::new_with_max_length(16));
        client
            .write_all(b"a line far longer than sixteen bytes\nafter it\n")
            .await
            .unwrap();
        assert!(matches!(incoming.next().await, Some(Err(_))));
        assert!(
            incoming.next().await.is_none(),
            "None right after the error"
        );
        // "after it\n" is in the FramedRead's buffer, yet the next line waits for a read.
        let waiting = tokio::time::timeout(Duration::from_secs(1), incoming.next()).await;
        assert!(
            waiting.is_err(),
            "a whole line was buffered, but it must wait for a read: {waiting:?}"
        );
        client.write_all(b"more\n").await.unwrap();
        assert_eq!(incoming.next().await.unwrap().unwrap(), "after it");
        assert_eq!(incoming.next().await.unwrap().unwrap(), "more");
    })
    .await;
}

// FramedWrite, like BufWriter, throws away what it buffered when it is dropped unflushed.
#[tokio::test]
async fn a_framed_write_dropped_after_feed_loses_the_lines() {
    within(LIMIT, async {
        let (client, mut server) = tokio::io::duplex(64);
        let mut outgoing = FramedWrite::new(client, LinesCodec::new());
        outgoing.feed("one").await.unwrap(); // encoded into the buffer, not written
        outgoing.feed("two").await.unwrap();
        drop(outgoing);
        let mut received = String::new();
        server.read_to_string(&mut received).await.unwrap();
        assert_eq!(received, "", "fed lines are only buffered");
    })
    .await;
}

#[test]
fn line_server_over_pipes_echoes_every_client() {
    let run = listing!("ch17_line_server");
    assert_eq!(
        run.lines(),
        [
            "client 4 got [\"before\", \"error: line longer than 64 bytes\", \"after\"]",
            "clients 0 to 3 each got their own 20 lines back, in order",
        ]
    );
}

/// Starts the server on a free port of 127.0.0.1.
async fn start_server() -> (
    tokio::task::JoinHandle<std::io::Result<()>>,
    std::net::SocketAddr,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    (tokio::spawn(line_server::serve(listener)), addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_clients_each_get_their_own_lines_back() {
    within(LIMIT, async {
        let (server, addr) = start_server().await;
        let mut clients = tokio::task::JoinSet::new();
        for id in 0..8 {
            clients.spawn(async move {
                let stream = TcpStream::connect(addr).await.unwrap();
                let lines = line_server::lines_of(id);
                (id, line_server::client(stream, lines).await.unwrap())
            });
        }
        clients.spawn(async move {
            let stream = TcpStream::connect(addr).await.unwrap();
            let lines = line_server::with_a_long_line();
            (99, line_server::client(stream, lines).await.unwrap())
        });
        while let Some(joined) = clients.join_next().await {
            let (id, replies) = joined.unwrap();
            if id == 99 {
                assert_eq!(
                    replies,
                    ["before", "error: line longer than 64 bytes", "after"],
                    "a line over the limit gets an error, and the connection goes on"
                );
            } else {
                assert_eq!(replies, line_server::lines_of(id), "client {id}");
            }
        }
        server.abort();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_client_does_not_hold_up_the_others() {
    within(LIMIT, async {
        let (server, addr) = start_server().await;
        // Half a line, and then nothing: its handler waits for the rest for ever.
        let mut stalled = TcpStream::connect(addr).await.unwrap();
        stalled.write_all(b"half a li").await.unwrap();

        let mut other = Framed::new(TcpStream::connect(addr).await.unwrap(), LinesCodec::new());
        other.send("hello").await.unwrap();
        // 5 s, or less in `cargo xtask mutants` (see `support::capped`).
        let limit = crate::support::capped(Duration::from_secs(5));
        let reply = within(limit, other.next()).await;
        assert_eq!(reply.unwrap().unwrap(), "hello");
        server.abort();
    })
    .await;
}

#[test]
fn streams_listing_batches_by_size_and_by_time() {
    let run = listing!("ch17_streams");
    assert_eq!(
        run.lines(),
        [
            "lengths of the long words: [5, 4, 6]",
            "batch [0, 1, 2] after 0 ms",
            "batch [3, 4, 5] after 0 ms",
            "batch [6] after 50 ms",
            "batch [7, 8] after 100 ms",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn chunks_timeout_sends_a_partial_batch_when_time_runs_out() {
    let batches = within(LIMIT, streams::batches(3, 50 * MS)).await;
    assert_eq!(
        batches,
        [
            (vec![0, 1, 2], Duration::ZERO),
            (vec![3, 4, 5], Duration::ZERO),
            (vec![6], 50 * MS),
            (vec![7, 8], 100 * MS),
        ]
    );
}

#[test]
fn buffer_unordered_listing_prints_both_runs() {
    let run = listing!("ch17_buffer_unordered");
    assert_eq!(
        run.lines(),
        [
            "buffer_unordered(3): order [1, 2, 4, 3, 5, 7, 6, 0], at most 3 in flight, 100 ms",
            "buffered(3): order [0, 1, 2, 3, 4, 5, 6, 7], at most 3 in flight, 160 ms",
            "consumer busy 0 ms per item: the slowest 10 ms job took 10 ms",
            "consumer busy 50 ms per item: the slowest 10 ms job took 60 ms",
        ]
    );
}

// On the paused clock every job's 10 ms wait ends exactly 10 ms after it starts; a job that
// takes longer was not polled in time.
#[tokio::test(start_paused = true)]
async fn a_busy_consumer_holds_up_the_jobs_in_flight() {
    let idle = within(LIMIT, buffer_unordered::slow_consumer(Duration::ZERO)).await;
    assert_eq!(idle, [10 * MS; 4], "a consumer that asks at once: no delay");
    let busy = within(LIMIT, buffer_unordered::slow_consumer(50 * MS)).await;
    assert_eq!(busy.len(), 4);
    // Two jobs finish their wait at 10 ms; next() yields one, and the other is not polled
    // again until the consumer's 50 ms are over.
    let slowest = *busy.iter().max().unwrap();
    assert!(
        slowest >= 60 * MS,
        "a job should wait for the busy consumer: {busy:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn buffer_unordered_runs_exactly_limit_jobs_at_once() {
    for limit in [1, 2, 3, 8] {
        let report = within(LIMIT, buffer_unordered::run(limit, false)).await;
        // The bound is reached, and never passed.
        assert_eq!(report.max_in_flight, limit, "limit {limit}: {report:?}");
        let mut ids = report.order.clone();
        ids.sort();
        assert_eq!(
            ids,
            (0..8).collect::<Vec<_>>(),
            "every job once: {report:?}"
        );
    }
    // One at a time is the sum of the durations; eight at once, the longest one.
    let total: u64 = buffer_unordered::DURATIONS.iter().sum();
    let one = within(LIMIT, buffer_unordered::run(1, false)).await;
    assert_eq!(one.elapsed, total as u32 * MS);
    let eight = within(LIMIT, buffer_unordered::run(8, false)).await;
    assert_eq!(eight.elapsed, 100 * MS);
}

#[tokio::test(start_paused = true)]
async fn buffer_unordered_yields_as_jobs_finish() {
    let report = within(LIMIT, buffer_unordered::run(3, false)).await;
    assert_eq!(
        report,
        buffer_unordered::Report {
            order: vec![1, 2, 4, 3, 5, 7, 6, 0],
            max_in_flight: 3,
            elapsed: 100 * MS,
        }
    );
}

#[tokio::test(start_paused = true)]
async fn buffered_keeps_order_and_a_slow_job_holds_up_the_rest() {
    let report = within(LIMIT, buffer_unordered::run(3, true)).await;
    assert_eq!(
        report,
        buffer_unordered::Report {
            order: (0..8).collect(),
            max_in_flight: 3,
            // Jobs 3 to 7 wait until job 0 has been yielded, at 100 ms.
            elapsed: 160 * MS,
        }
    );
}

// Under the paused clock: the reader takes 10 ms per 8-byte line.
#[tokio::test(start_paused = true)]
async fn a_full_pipe_makes_the_writer_wait_for_the_reader() {
    let written_at = within(LIMIT, backpressure::pace(32, 10 * MS)).await;
    // Lines 0 to 3 fill the 32-byte pipe at 0 ms, and the reader's first read, also at 0 ms,
    // makes room for line 4. After that the reader frees 8 bytes every 10 ms.
    let expected: Vec<Duration> = [0, 0, 0, 0, 0, 10, 20, 30, 40, 50]
        .iter()
        .map(|&ms| ms * MS)
        .collect();
    assert_eq!(written_at, expected);
}

#[tokio::test(start_paused = true)]
async fn a_roomy_pipe_lets_the_writer_run_ahead() {
    let written_at = within(LIMIT, backpressure::pace(1024, 10 * MS)).await;
    assert_eq!(written_at, [Duration::ZERO; 10]);
}

#[test]
fn backpressure_listing_prints_both_pipes() {
    let run = listing!("ch17_backpressure");
    assert_eq!(
        run.lines(),
        [
            "pipe of 32 bytes: lines written at [0, 0, 0, 0, 0, 10, 20, 30, 40, 50] ms",
            "pipe of 1024 bytes: lines written at [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] ms",
        ]
    );
}
