//! Chapter 17, listing 4: a line echo server. One task per connection; a line over the
//! limit gets an error reply and the connection goes on. `main` runs it over in-memory pipes
//! (as on the playground); `cargo run -p listings --bin ch17_line_server -- tcp` runs the
//! same clients over TCP on 127.0.0.1, and the chapter's tests do that too.
use futures::{SinkExt, StreamExt};
use tokio::io::{self, AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::bytes::BytesMut;
use tokio_util::codec::{Decoder, Encoder, Framed, LinesCodec, LinesCodecError};

pub const MAX_LINE: usize = 64;

// ANCHOR: codec
/// What the server reads: a line, or the news that a line was too long.
pub enum Request {
    Line(String),
    TooLong,
}

/// `LinesCodec`, with "too long" as an item rather than an error. An error would end the
/// stream; the codec itself skips the rest of the long line and carries on.
pub struct Lines(LinesCodec);

impl Decoder for Lines {
    type Item = Request;
    type Error = LinesCodecError;

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Request>, LinesCodecError> {
        match self.0.decode(buf) {
            Ok(line) => Ok(line.map(Request::Line)),
            Err(LinesCodecError::MaxLineLengthExceeded) => Ok(Some(Request::TooLong)),
            Err(e) => Err(e), // not UTF-8, or an I/O error: the connection is done
        }
    }

    fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<Request>, LinesCodecError> {
        match self.0.decode_eof(buf) {
            Ok(line) => Ok(line.map(Request::Line)),
            Err(LinesCodecError::MaxLineLengthExceeded) => Ok(Some(Request::TooLong)),
            Err(e) => Err(e),
        }
    }
}

impl Encoder<String> for Lines {
    type Error = LinesCodecError;

    fn encode(&mut self, line: String, buf: &mut BytesMut) -> Result<(), LinesCodecError> {
        self.0.encode(line, buf)
    }
}
// ANCHOR_END: codec

// ANCHOR: handle
/// Serves one connection: any stream of bytes both ways, a TCP socket or an in-memory pipe.
pub async fn handle<S>(stream: S) -> Result<(), LinesCodecError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut lines = Framed::new(stream, Lines(LinesCodec::new_with_max_length(MAX_LINE)));
    while let Some(request) = lines.next().await {
        let reply = match request? {
            Request::Line(line) => line,
            Request::TooLong => format!("error: line longer than {MAX_LINE} bytes"),
        };
        lines.send(reply).await?;
    }
    Ok(()) // the client closed its end
}
// ANCHOR_END: handle

// ANCHOR: serve
/// Accepts connections for ever, each served by a task of its own.
pub async fn serve(listener: TcpListener) -> io::Result<()> {
    loop {
        let (socket, peer) = listener.accept().await?;
        tokio::spawn(async move {
            if let Err(e) = handle(socket).await {
                eprintln!("{peer}: {e}");
            }
        });
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Sends each line and waits for its reply before sending the next.
pub async fn client<S>(stream: S, lines: Vec<String>) -> Result<Vec<String>, LinesCodecError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut framed = Framed::new(stream, LinesCodec::new());
    let mut replies = Vec::new();
    for line in lines {
        framed.send(line).await?;
        match framed.next().await {
            Some(reply) => replies.push(reply?),
            None => break, // the server closed the connection
        }
    }
    Ok(replies)
}

/// What client `id` sends: lines no other client sends.
pub fn lines_of(id: usize) -> Vec<String> {
    (0..20).map(|i| format!("client {id}, line {i}")).collect()
}

/// A client whose second line is over the limit.
pub fn with_a_long_line() -> Vec<String> {
    vec![
        "before".to_string(),
        "x".repeat(MAX_LINE + 1),
        "after".to_string(),
    ]
}
// ANCHOR_END: client

// ANCHOR: main
#[tokio::main]
async fn main() {
    let tcp = std::env::args().nth(1).as_deref() == Some("tcp");
    let listener = if tcp {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        println!("listening on {addr}");
        Some((tokio::spawn(serve(listener)), addr))
    } else {
        None
    };
    // Four clients with their own lines, and one that sends a line over the limit.
    let mut clients = tokio::task::JoinSet::new();
    for id in 0..5 {
        let lines = if id == 4 {
            with_a_long_line()
        } else {
            lines_of(id)
        };
        if let Some((_, addr)) = &listener {
            let stream = TcpStream::connect(addr).await.unwrap();
            clients.spawn(async move { (id, client(stream, lines).await) });
        } else {
            // An in-memory pipe: the server's end goes to `handle`, as a socket would.
            let (client_end, server_end) = io::duplex(1024);
            tokio::spawn(handle(server_end));
            clients.spawn(async move { (id, client(client_end, lines).await) });
        }
    }
    while let Some(joined) = clients.join_next().await {
        let (id, replies) = joined.unwrap();
        let replies = replies.unwrap();
        if id == 4 {
            println!("client 4 got {replies:?}");
            assert_eq!(
                replies,
                ["before", "error: line longer than 64 bytes", "after"]
            );
        } else {
            assert_eq!(replies, lines_of(id), "client {id}");
        }
    }
    println!("clients 0 to 3 each got their own 20 lines back, in order");
    if let Some((server, _)) = listener {
        server.abort();
    }
}
// ANCHOR_END: main
