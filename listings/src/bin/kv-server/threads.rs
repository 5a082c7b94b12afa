//! Stage 1: a thread per connection, over `std::net`, blocking reads and writes.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use tokio::time::Instant;

use super::command::{Next, next_request};
use super::resp::Parser;
use super::store::State;

// ANCHOR: serve
pub fn serve(listener: TcpListener, state: Arc<State>, max_bulk: usize) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, say: wait a little rather than spin at full speed.
            std::thread::sleep(std::time::Duration::from_millis(10));
            continue;
        };
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            // A client that goes away mid-request ends only its own thread.
            let _ = connection(stream, &state, max_bulk);
        });
    }
}
// ANCHOR_END: serve

// ANCHOR: connection
fn connection(mut stream: TcpStream, state: &State, max_bulk: usize) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut parser = Parser::new(max_bulk);
    let mut chunk = vec![0; 16 * 1024];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(()); // the client closed the connection
        }
        buf.extend_from_slice(&chunk[..n]);
        // Answer every whole request received so far, then send the replies in one write.
        let mut pos = 0;
        let mut close = false;
        loop {
            match next_request(&buf, &mut pos, &mut parser) {
                Next::Wait => break,
                Next::Reply(reply) => reply.encode(&mut out),
                Next::Run(cmd) => state.execute_blocking(cmd, Instant::now()).encode(&mut out),
                Next::Close(error) => {
                    error.encode(&mut out);
                    close = true;
                    break;
                }
            }
        }
        buf.drain(..pos);
        stream.write_all(&out)?;
        out.clear();
        if close {
            return Ok(());
        }
    }
}
// ANCHOR_END: connection
