//! Chapter 30: limits and graceful shutdown, tested on the running binary.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use super::ch28::{Server, expect_bytes, limit, query};

const PING: &[u8] = b"*1\r\n$4\r\nPING\r\n";

#[test]
fn clients_beyond_the_limit_wait_for_a_permit() {
    let server = Server::start(&["--max-clients", "2"]);
    let mut a = server.client();
    let mut b = server.client();
    assert_eq!(query::<String>(&mut a, &["PING"]), "PONG");
    assert_eq!(query::<String>(&mut b, &["PING"]), "PONG");

    // The kernel completes the third connection, but the server does not accept it while
    // two are open: its PING waits.
    let mut c = server.raw();
    c.write_all(PING).unwrap();
    c.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut byte = [0];
    match c.read(&mut byte) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("a third client was served beyond the limit of two: {other:?}"),
    }
    // One client leaves; its permit lets the third in, and the PING is answered.
    drop(a);
    c.set_read_timeout(Some(limit())).unwrap();
    expect_bytes(&mut c, "+PONG\r\n");
    assert_eq!(query::<String>(&mut b, &["PING"]), "PONG");
    drop((b, c));
    server.stop();
}

#[test]
fn sigterm_under_load_answers_every_request_it_ran() {
    const CLIENTS: usize = 6;
    const BATCH: usize = 16;
    for design in ["actors", "sharded"] {
        let server = Server::start(&["--state", design]);
        let received = AtomicU64::new(0);
        let stdout = std::thread::scope(|s| {
            for i in 0..CLIENTS {
                let (addr, received) = (server.addr, &received);
                s.spawn(move || {
                    // Pipelines of 16 INCRs of this client's own key, until the server closes
                    // the connection. Each reply must be the next integer: none skipped.
                    let key = format!("c{i}");
                    let frame = format!("*2\r\n$4\r\nINCR\r\n${}\r\n{key}\r\n", key.len());
                    let batch = frame.repeat(BATCH);
                    let stream = std::net::TcpStream::connect(addr).unwrap();
                    stream.set_read_timeout(Some(limit())).unwrap();
                    let mut replies = BufReader::new(stream.try_clone().unwrap());
                    let mut writer = stream;
                    let mut expected = 1;
                    'talk: loop {
                        if writer.write_all(batch.as_bytes()).is_err() {
                            break;
                        }
                        for _ in 0..BATCH {
                            let mut line = String::new();
                            match replies.read_line(&mut line) {
                                Ok(0) => break 'talk,
                                Err(e) if e.kind() == ErrorKind::ConnectionReset => break 'talk,
                                Err(e) => panic!("client {i}: {e}"),
                                Ok(_) => {}
                            }
                            assert_eq!(line, format!(":{expected}\r\n"), "client {i}");
                            expected += 1;
                            received.fetch_add(1, Relaxed);
                        }
                    }
                });
            }
            // SIGTERM once the clients are well under way.
            let started = Instant::now();
            while received.load(Relaxed) < 5_000 {
                assert!(started.elapsed() < limit(), "the clients made no progress");
                std::thread::sleep(Duration::from_millis(1));
            }
            server.stop()
        });
        let numbers: Vec<u64> = stdout
            .trim()
            .strip_prefix("shut down after ")
            .and_then(|s| s.strip_suffix(" connections still running"))
            .map(|s| {
                s.split(" replies, ")
                    .filter_map(|n| n.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        let [made, running] = numbers[..] else {
            panic!("kv-server printed {stdout:?}");
        };
        assert_eq!(
            running, 0,
            "{design}: connection tasks outlived the shutdown"
        );
        assert_eq!(
            made,
            received.load(Relaxed),
            "{design}: replies the server made vs replies the clients received"
        );
    }
}

#[test]
fn sigterm_waits_for_a_reply_still_being_written() {
    let mut server = Server::start(&[]);
    let mut client = server.raw();
    // 500 GETs of a 64 KiB value: 32 MiB of replies, more than the sockets' buffers hold, so
    // the server is still writing them when the signal comes.
    let value = "v".repeat(64 * 1024);
    let set = format!(
        "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n${}\r\n{value}\r\n",
        value.len()
    );
    client.write_all(set.as_bytes()).unwrap();
    expect_bytes(&mut client, "+OK\r\n");
    client
        .write_all("*2\r\n$3\r\nGET\r\n$1\r\nb\r\n".repeat(500).as_bytes())
        .unwrap();
    let reply = format!("${}\r\n{value}\r\n", value.len());
    expect_bytes(&mut client, &reply); // the server is writing
    server.signal("-TERM");
    // Nobody reads, so the server cannot finish writing: it must still be running half a
    // second later. A server that did not wait for its connections would be gone.
    let exited = server.exit_within(Duration::from_millis(500));
    assert_eq!(exited, None, "kv-server exited with replies half written");
    // Read every reply the server made; then it can finish, and exit.
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).unwrap();
    let stdout = server.stop();
    assert_eq!(rest.len() % reply.len(), 0, "a reply was cut short");
    let received = 2 + rest.len() / reply.len(); // the SET, the first GET, the rest
    assert_eq!(
        stdout.trim(),
        format!("shut down after {received} replies, 0 connections still running"),
    );
    // How many of the 500 GETs the server had read when the signal came depends on how the
    // bytes arrived; what must hold is the equality above: every one it read was answered.
    assert!(
        received >= 2,
        "the first GET was answered before the signal"
    );
}
