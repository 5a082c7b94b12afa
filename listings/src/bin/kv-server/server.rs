//! Stages 2 to 4: a tokio task per connection, with limits and graceful shutdown.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::{Instant, MissedTickBehavior, interval};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::command::{Next, next_request};
use super::resp::Parser;
use super::store::State;

/// What one client may cost the server.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Connections served at once; more wait in the kernel's accept queue.
    pub max_clients: usize,
    /// A connection that sends nothing for this long is closed.
    pub idle: Duration,
    /// The longest bulk string a request may carry.
    pub max_bulk: usize,
}

// ANCHOR: serve
/// Serves connections until `shutdown` is cancelled, then waits until every connection has
/// answered what it received. Returns how many replies the connections made, and how many
/// connection tasks were still running when it returned (none, once `wait` is done).
pub async fn serve(
    listener: TcpListener,
    state: Arc<State>,
    limits: Limits,
    shutdown: CancellationToken,
) -> (u64, usize) {
    let replies = Arc::new(AtomicU64::new(0));
    let tracker = TaskTracker::new();
    let permits = Arc::new(Semaphore::new(limits.max_clients));
    loop {
        // A permit first: at the limit, we stop accepting, and new clients wait.
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => permit.expect("never closed"),
            () = shutdown.cancelled() => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors, say: back off instead of spinning.
                    eprintln!("accept failed: {error}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = shutdown.cancelled() => break,
        };
        let conn = Connection {
            stream,
            state: Arc::clone(&state),
            limits: limits.clone(),
            shutdown: shutdown.clone(),
            replies: Arc::clone(&replies),
        };
        tracker.spawn(async move {
            conn.run().await;
            drop(permit); // the next client may come in
        });
    }
    drop(listener); // new clients are refused from here on
    tracker.close();
    tracker.wait().await;
    (replies.load(Relaxed), tracker.len())
}
// ANCHOR_END: serve

struct Connection {
    stream: TcpStream,
    state: Arc<State>,
    limits: Limits,
    shutdown: CancellationToken,
    replies: Arc<AtomicU64>,
}

impl Connection {
    // ANCHOR: run
    async fn run(mut self) {
        let _ = self.stream.set_nodelay(true);
        let mut buf = Vec::with_capacity(16 * 1024);
        let mut out = Vec::with_capacity(16 * 1024);
        let mut parser = Parser::new(self.limits.max_bulk);
        let mut last_read = Instant::now();
        // Idleness is checked on a coarse tick, as Redis checks its `timeout`.
        let mut tick = interval(self.limits.idle / 4);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            let close = self.answer(&mut parser, &mut buf, &mut out).await;
            if !out.is_empty() {
                if self.stream.write_all(&out).await.is_err() {
                    return;
                }
                out.clear();
            }
            if close {
                return;
            }
            // Everything whole is answered; wait for more bytes, the tick, or shutdown.
            // `read_buf` is cancel-safe: if another branch wins, no byte was taken from the
            // socket, and the bytes of a half-received frame stay in `buf`.
            tokio::select! {
                read = self.stream.read_buf(&mut buf) => match read {
                    Ok(0) | Err(_) => return, // closed by the client, or reset
                    Ok(_) => last_read = Instant::now(),
                },
                _ = tick.tick() => {
                    if last_read.elapsed() >= self.limits.idle {
                        return;
                    }
                }
                () = self.shutdown.cancelled() => return,
            }
        }
    }
    // ANCHOR_END: run

    // ANCHOR: answer
    /// Answers every whole request in `buf` into `out`, and removes them from `buf`.
    /// Returns whether the connection must be closed (after a protocol error).
    async fn answer(&self, parser: &mut Parser, buf: &mut Vec<u8>, out: &mut Vec<u8>) -> bool {
        let now = Instant::now();
        let mut pos = 0;
        let mut close = false;
        loop {
            let reply = match next_request(buf, &mut pos, parser) {
                Next::Wait => break,
                Next::Reply(reply) => reply,
                Next::Run(cmd) => self.state.execute(cmd, now).await,
                Next::Close(error) => {
                    close = true;
                    error
                }
            };
            reply.encode(out);
            self.replies.fetch_add(1, Relaxed);
            if close {
                break;
            }
        }
        buf.drain(..pos);
        close
    }
    // ANCHOR_END: answer
}
