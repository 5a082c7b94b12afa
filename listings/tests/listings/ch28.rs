//! Chapter 28: the key-value server, one thread per connection and then one task per
//! connection, tested through a real Redis client (the `redis` crate) and raw bytes.
//!
//! Every test starts the `kv-server` binary on port 0 and reads the port it prints, so the
//! tests run side by side, and each ends by stopping the server: SIGTERM must end the tokio
//! stage with exit code 0, and no server may have panicked.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use redis::{RedisResult, Value};

// The server's modules, for the tests that use the store directly (chapter 29).
#[allow(dead_code)]
#[path = "../../src/bin/kv-server.rs"]
pub mod kv;

/// Longer than any reply needs, even on a loaded machine: a reply that has not come by then
/// never will.
pub const LIMIT: Duration = Duration::from_secs(5);

/// A running `kv-server`.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    stdout: BufReader<ChildStdout>,
    stderr: Option<JoinHandle<String>>,
}

impl Server {
    /// Starts `kv-server --port 0 ARGS...` and waits until it is listening.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kv-server"))
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kv-server starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut stderr = child.stderr.take().unwrap();
        let stderr = Some(std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        }));
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("kv-server {args:?} printed {line:?}"))
            .parse()
            .unwrap();
        Server {
            child,
            addr,
            stdout,
            stderr,
        }
    }

    /// A connection through the `redis` crate.
    pub fn client(&self) -> redis::Connection {
        let client = redis::Client::open(format!("redis://{}/", self.addr)).unwrap();
        let con = client.get_connection_with_timeout(LIMIT).unwrap();
        con.set_read_timeout(Some(LIMIT)).unwrap();
        con
    }

    /// A plain TCP connection, for bytes no client library would send.
    pub fn raw(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(LIMIT)).unwrap();
        stream
    }

    /// Sends SIGTERM, and checks the server exits with 0 within the limit without a panic.
    /// Returns what it printed after its first line.
    pub fn stop(mut self) -> String {
        self.signal("-TERM");
        let status = self
            .exit_within(LIMIT)
            .unwrap_or_else(|| panic!("kv-server still running {LIMIT:?} after SIGTERM"));
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        let stderr = self.stderr.take().unwrap().join().unwrap();
        assert!(
            status.success(),
            "kv-server exited with {status}:\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "kv-server panicked:\n{stderr}"
        );
        rest
    }

    /// Ends a stage-1 server (it has no graceful shutdown), checking it never panicked.
    pub fn kill(mut self) {
        self.signal("-KILL");
        self.child.wait().unwrap();
        let stderr = self.stderr.take().unwrap().join().unwrap();
        assert!(
            !stderr.contains("panicked"),
            "kv-server panicked:\n{stderr}"
        );
    }

    /// The server's exit status, if it exits within `limit`.
    pub fn exit_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Sends a signal (`-TERM`, `-KILL`) with `kill`.
    pub fn signal(&self, which: &str) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args([which, &pid]).status().unwrap();
        assert!(status.success(), "kill {which} {pid} failed");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A test that failed midway: do not leave the server running.
        if self.child.try_wait().is_ok_and(|status| status.is_none()) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Both stages, as `--stage` names them, and how to end each.
pub const STAGES: [&str; 2] = ["threads", "tokio"];

pub fn end(server: Server, stage: &str) {
    if stage == "threads" {
        server.kill();
    } else {
        server.stop();
    }
}

/// Runs one command through the client.
pub fn query<T: redis::FromRedisValue>(con: &mut redis::Connection, words: &[&str]) -> T {
    try_query(con, words).unwrap_or_else(|e| panic!("{words:?} failed: {e}"))
}

pub fn try_query<T: redis::FromRedisValue>(
    con: &mut redis::Connection,
    words: &[&str],
) -> RedisResult<T> {
    let mut cmd = redis::cmd(words[0]);
    for word in &words[1..] {
        cmd.arg(*word);
    }
    cmd.query(con)
}

/// The error a command gets, as the server wrote it (`ERR ...`).
pub fn error(con: &mut redis::Connection, words: &[&str]) -> String {
    let e = try_query::<Value>(con, words).expect_err("the command fails");
    format!("{} {}", e.code().unwrap_or("?"), e.detail().unwrap_or(""))
}

/// Reads exactly `expected.len()` bytes and compares them.
pub fn expect_bytes(stream: &mut TcpStream, expected: &str) {
    let mut got = vec![0; expected.len()];
    stream
        .read_exact(&mut got)
        .unwrap_or_else(|e| panic!("waiting for {expected:?}: {e}"));
    assert_eq!(String::from_utf8_lossy(&got), expected);
}

/// Reads until the server closes the connection; fails if it does not within the limit.
pub fn expect_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => rest,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => rest,
        Err(e) => panic!("the server kept the connection open ({e}); it had sent {rest:?}"),
    }
}

#[test]
fn both_stages_answer_like_redis() {
    for stage in STAGES {
        let server = Server::start(&["--stage", stage]);
        let mut con = server.client();
        assert_eq!(query::<String>(&mut con, &["PING"]), "PONG");
        assert_eq!(query::<String>(&mut con, &["ECHO", "hi"]), "hi");
        assert_eq!(query::<String>(&mut con, &["SET", "a", "1"]), "OK");
        assert_eq!(
            query::<Option<String>>(&mut con, &["GET", "a"]).as_deref(),
            Some("1")
        );
        assert_eq!(query::<Option<String>>(&mut con, &["GET", "nope"]), None);
        query::<()>(&mut con, &["SET", "b", "2"]);
        // EXISTS counts arguments, so a key named twice counts twice (as in Redis).
        assert_eq!(
            query::<i64>(&mut con, &["EXISTS", "a", "a", "b", "nope"]),
            3
        );
        assert_eq!(query::<i64>(&mut con, &["DEL", "a", "nope"]), 1);
        assert_eq!(query::<i64>(&mut con, &["EXISTS", "a"]), 0);
        assert_eq!(query::<i64>(&mut con, &["INCR", "n"]), 1);
        assert_eq!(query::<i64>(&mut con, &["INCR", "n"]), 2);
        query::<()>(&mut con, &["MSET", "x", "1", "y", "2"]);
        assert_eq!(
            query::<Vec<Option<String>>>(&mut con, &["MGET", "x", "nope", "y"]),
            [Some("1".to_owned()), None, Some("2".to_owned())]
        );
        // What redis-benchmark asks before it starts.
        assert_eq!(
            query::<Vec<String>>(&mut con, &["CONFIG", "GET", "save"]),
            ["save", ""]
        );
        assert_eq!(
            query::<Vec<String>>(&mut con, &["CONFIG", "GET", "nope"]),
            Vec::<String>::new()
        );
        assert_eq!(
            query::<String>(&mut con, &["SET", "t", "v", "EX", "100"]),
            "OK"
        );

        // The errors, word for word as Redis 7 gives them.
        assert_eq!(
            error(&mut con, &["FOO", "bar"]),
            "ERR unknown command 'FOO', with args beginning with: 'bar' "
        );
        assert_eq!(
            error(&mut con, &["GET"]),
            "ERR wrong number of arguments for 'get' command"
        );
        assert_eq!(
            error(&mut con, &["MSET", "k"]),
            "ERR wrong number of arguments for 'mset' command"
        );
        query::<()>(&mut con, &["SET", "s", "abc"]);
        assert_eq!(
            error(&mut con, &["INCR", "s"]),
            "ERR value is not an integer or out of range"
        );
        assert_eq!(
            error(&mut con, &["SET", "k", "v", "EX", "abc"]),
            "ERR value is not an integer or out of range"
        );
        assert_eq!(
            error(&mut con, &["SET", "k", "v", "EX", "0"]),
            "ERR invalid expire time in 'set' command"
        );
        assert_eq!(
            error(&mut con, &["SET", "k", "v", "XX", "1"]),
            "ERR syntax error"
        );
        // An error is a reply like any other: the connection goes on.
        assert_eq!(query::<String>(&mut con, &["PING"]), "PONG");
        end(server, stage);
    }
}

#[test]
fn pipelined_requests_are_all_answered_in_order() {
    for stage in STAGES {
        let server = Server::start(&["--stage", stage]);
        let mut stream = server.raw();
        // 200 requests in one write: the server must answer every whole frame it has read,
        // not one per read.
        let requests = "*2\r\n$4\r\nINCR\r\n$1\r\np\r\n".repeat(200);
        stream.write_all(requests.as_bytes()).unwrap();
        let replies: String = (1..=200).map(|n| format!(":{n}\r\n")).collect();
        expect_bytes(&mut stream, &replies);
        end(server, stage);
    }
}

#[test]
fn a_frame_split_across_ticks_is_answered_whole() {
    // Idle after 1.2 s, so the idle check ticks every 300 ms: the pause below spans at least
    // two ticks (even if the connection's task starts late), so the read is cancelled by
    // `select!` while half a frame has arrived, and the client is not yet idle.
    let server = Server::start(&["--idle-ms", "1200"]);
    let mut stream = server.raw();
    stream.write_all(b"*2\r\n$4\r\nECHO\r\n$5\r\nhel").unwrap();
    std::thread::sleep(Duration::from_millis(700));
    stream.write_all(b"lo\r\n").unwrap();
    expect_bytes(&mut stream, "$5\r\nhello\r\n");
    server.stop();
}

#[test]
fn bad_input_gets_redis_errors_and_every_other_client_is_served() {
    let server = Server::start(&["--idle-ms", "400", "--max-bulk", "1024"]);
    query::<()>(&mut server.client(), &["SET", "k", "v"]);
    // A new client each time: an idle one would itself be closed after 400 ms.
    let still_served = || {
        let mut good = server.client();
        assert_eq!(
            query::<Option<String>>(&mut good, &["GET", "k"]).as_deref(),
            Some("v")
        );
    };

    // Protocol errors get Redis's message, and the connection is closed.
    for (input, reply) in [
        (
            "*1\r\n+PING\r\n",
            "-ERR Protocol error: expected '$', got '+'\r\n",
        ),
        (
            "*x\r\n",
            "-ERR Protocol error: invalid multibulk length\r\n",
        ),
        (
            "*2\r\n$3\r\nGET\r\n$2000\r\n",
            "-ERR Protocol error: invalid bulk length\r\n",
        ),
        (
            "*1\r\n$-5\r\n",
            "-ERR Protocol error: invalid bulk length\r\n",
        ),
    ] {
        let mut bad = server.raw();
        bad.write_all(input.as_bytes()).unwrap();
        let rest = expect_closed(&mut bad);
        assert_eq!(String::from_utf8_lossy(&rest), reply, "for {input:?}");
        still_served();
    }

    // An unknown command is an error reply, not a protocol error: the connection stays.
    let mut odd = server.raw();
    odd.write_all(b"*1\r\n$3\r\nFOO\r\n*1\r\n$4\r\nPING\r\n")
        .unwrap();
    expect_bytes(
        &mut odd,
        "-ERR unknown command 'FOO', with args beginning with: \r\n+PONG\r\n",
    );

    // A command name with a line break in it cannot forge a second reply: the error quotes it
    // with the CR and LF turned into spaces.
    odd.write_all(b"*1\r\n$9\r\nX\r\n+OK\r\nY\r\n*1\r\n$4\r\nPING\r\n")
        .unwrap();
    expect_bytes(
        &mut odd,
        "-ERR unknown command 'X  +OK  Y', with args beginning with: \r\n+PONG\r\n",
    );

    // Half a frame, then nothing: closed once idle, with nothing sent back.
    let mut stalled = server.raw();
    stalled.write_all(b"*2\r\n$3\r\nGET\r\n$1").unwrap();
    let started = Instant::now();
    assert_eq!(expect_closed(&mut stalled), b"");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "closed before it was idle"
    );
    still_served();

    // A client that sends a long pipeline and leaves without reading the replies.
    for _ in 0..5 {
        let mut gone = server.raw();
        let requests = "*2\r\n$4\r\nINCR\r\n$1\r\nq\r\n".repeat(5000);
        gone.write_all(requests.as_bytes()).unwrap();
        gone.write_all(b"*2\r\n$3\r\nGET").unwrap();
        drop(gone);
    }
    still_served();
    server.stop();
}
