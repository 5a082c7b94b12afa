//! Chapter 17, listing 1: AsyncRead and AsyncWrite over an in-memory pipe. A read or a write
//! may move fewer bytes than asked; `read_exact` and `write_all` loop until they have all.
use tokio::io::{self, AsyncReadExt, AsyncWriteExt, BufWriter};

// ANCHOR: partial
async fn partial() -> io::Result<()> {
    // A pipe that holds at most 8 bytes in transit: a socket, with very small buffers.
    let (mut client, mut server) = io::duplex(8);

    let n = client.write(b"hello, world\n").await?;
    println!("write took {n} of 13 bytes");
    assert_eq!(n, 8); // the rest is still ours to send

    // A read into an empty buffer returns 0 at once, bytes waiting or not: never do that.
    assert_eq!(server.read(&mut []).await?, 0);

    let mut buf = [0u8; 64];
    let n = server.read(&mut buf).await?;
    println!(
        "read returned {n} bytes: {:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    assert_eq!(&buf[..n], b"hello, w");
    Ok(())
}
// ANCHOR_END: partial

// ANCHOR: exact
async fn exact() -> io::Result<()> {
    let (mut client, mut server) = io::duplex(8);
    // 32 bytes through an 8-byte pipe: write_all needs the reader to make room, so the writer
    // is a task of its own.
    let writer = tokio::spawn(async move {
        client
            .write_all(b"a record of exactly 32 bytes...\n")
            .await?;
        io::Result::Ok(()) // the task ends and drops `client`: the reader sees end of file
    });

    let mut record = [0u8; 32];
    server.read_exact(&mut record).await?;
    println!("read_exact filled all {} bytes", record.len());
    assert_eq!(&record, b"a record of exactly 32 bytes...\n");
    writer.await.unwrap()?;

    let n = server.read(&mut record).await?;
    println!("then read returned {n}: end of file");
    assert_eq!(n, 0);
    let err = server.read_exact(&mut record).await.unwrap_err();
    println!("and read_exact failed: {:?}", err.kind());
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    Ok(())
}
// ANCHOR_END: exact

// ANCHOR: shutdown
async fn request_reply() -> io::Result<()> {
    let (mut client, mut server) = io::duplex(64);
    let server_task = tokio::spawn(async move {
        let mut request = Vec::new();
        server.read_to_end(&mut request).await?; // until the client's end of file
        let reply = format!("got {} bytes\n", request.len());
        server.write_all(reply.as_bytes()).await?;
        io::Result::Ok(())
    });

    client.write_all(b"the whole request").await?;
    client.shutdown().await?; // "no more from me"; the client can still read
    let mut reply = String::new();
    client.read_to_string(&mut reply).await?;
    print!("reply after shutdown: {reply}");
    assert_eq!(reply, "got 17 bytes\n");
    server_task.await.unwrap()
}
// ANCHOR_END: shutdown

// ANCHOR: bufwriter
async fn buffered_writes() -> io::Result<()> {
    // Dropped without a flush: the buffered bytes are thrown away.
    let (client, mut server) = io::duplex(64);
    let mut out = BufWriter::new(client);
    out.write_all(b"one line\n").await?;
    drop(out);
    let mut received = String::new();
    server.read_to_string(&mut received).await?;
    println!(
        "BufWriter dropped unflushed: {} bytes arrived",
        received.len()
    );
    assert_eq!(received, "");

    // Shut down (or flushed) first: every byte arrives.
    let (client, mut server) = io::duplex(64);
    let mut out = BufWriter::new(client);
    out.write_all(b"one line\n").await?;
    out.shutdown().await?; // flushes the buffer, then shuts down the pipe
    drop(out);
    let mut received = String::new();
    server.read_to_string(&mut received).await?;
    println!(
        "BufWriter shut down first: {} bytes arrived",
        received.len()
    );
    assert_eq!(received, "one line\n");
    Ok(())
}
// ANCHOR_END: bufwriter

#[tokio::main]
async fn main() -> io::Result<()> {
    partial().await?;
    exact().await?;
    request_reply().await?;
    buffered_writes().await
}
