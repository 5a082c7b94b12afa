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
/// never will. 5 s, or the listing limit when that is shorter (`cargo xtask mutants`, see
/// `support::capped`).
pub fn limit() -> Duration {
    crate::support::capped(Duration::from_secs(5))
}

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
        let con = client.get_connection_with_timeout(limit()).unwrap();
        con.set_read_timeout(Some(limit())).unwrap();
        con
    }

    /// A plain TCP connection, for bytes no client library would send.
    pub fn raw(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(limit())).unwrap();
        stream
    }

    /// Sends SIGTERM, and checks the server exits with 0 within the limit without a panic.
    /// Returns what it printed after its first line.
    pub fn stop(mut self) -> String {
        self.signal("-TERM");
        let status = self
            .exit_within(limit())
            .unwrap_or_else(|| panic!("kv-server still running {:?} after SIGTERM", limit()));
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

/// The stages and designs, as the command line names them.
const STAGES_AND_DESIGNS: [[&str; 4]; 5] = [
    ["--stage", "threads", "--state", "lock"],
    ["--stage", "threads", "--state", "sharded"],
    ["--stage", "tokio", "--state", "lock"],
    ["--stage", "tokio", "--state", "sharded"],
    ["--stage", "tokio", "--state", "actors"],
];

#[test]
fn set_takes_its_options_like_redis() {
    for stage in STAGES {
        let server = Server::start(&["--stage", stage]);
        let mut con = server.client();
        let mut opt = |words: &[&str]| query::<Option<String>>(&mut con, words);
        let ok = Some("OK".to_owned());
        let some = |v: &str| Some(v.to_owned());
        // NX writes only a new key, XX only an existing one; the other gets nil.
        assert_eq!(opt(&["SET", "k", "1", "NX"]), ok);
        assert_eq!(opt(&["SET", "k", "2", "nx"]), None);
        assert_eq!(opt(&["GET", "k"]), some("1"));
        assert_eq!(opt(&["SET", "new", "1", "XX"]), None);
        assert_eq!(opt(&["EXISTS", "new"]).as_deref(), Some("0"));
        assert_eq!(opt(&["SET", "k", "3", "xX"]), ok);
        // GET answers the old value (nil if none), whether or not NX or XX let the write happen.
        assert_eq!(opt(&["SET", "k", "4", "GET"]), some("3"));
        assert_eq!(opt(&["SET", "k", "5", "nx", "get"]), some("4"));
        assert_eq!(opt(&["GET", "k"]), some("4"));
        assert_eq!(opt(&["SET", "k", "6", "Get", "XX"]), some("4"));
        assert_eq!(opt(&["SET", "g", "1", "GET"]), None);
        assert_eq!(opt(&["GET", "g"]), some("1"));
        // In any order, with EX, PX or KEEPTTL, and repeated as Redis allows.
        assert_eq!(opt(&["SET", "k", "7", "EX", "100", "XX", "GET"]), some("6"));
        assert_eq!(opt(&["SET", "k", "8", "keepttl", "NX", "NX"]), None);
        assert_eq!(opt(&["SET", "k", "9", "PX", "5000", "px", "6000"]), ok);
        assert_eq!(opt(&["SET", "k", "10", "KEEPTTL", "KEEPTTL"]), ok);

        // Redis 7.0's errors, word for word (checked against redis-server 7.0.15).
        let syntax = "ERR syntax error";
        for words in [
            ["SET", "k", "v", "NX", "XX"].as_slice(),
            &["SET", "k", "v", "xx", "nx"],
            &["SET", "k", "v", "EX", "10", "KEEPTTL"],
            &["SET", "k", "v", "KEEPTTL", "PX", "10"],
            &["SET", "k", "v", "EX", "10", "PX", "10"],
            &["SET", "k", "v", "EX"],
            &["SET", "k", "v", "FOO"],
            &["SET", "k", "v", "EXAT", "1"],
            // Every option is read before the time is checked.
            &["SET", "k", "v", "EX", "abc", "FOO"],
        ] {
            assert_eq!(error(&mut con, words), syntax, "{words:?}");
        }
        let expire = "ERR invalid expire time in 'set' command";
        let integer = "ERR value is not an integer or out of range";
        for (amount, reply) in [
            ("0", expire),
            ("-1", expire),
            ("9999999999999999", expire), // seconds, so milliseconds overflow an i64
            ("abc", integer),
            ("1.5", integer),
        ] {
            assert_eq!(error(&mut con, &["SET", "k", "v", "EX", amount]), reply);
        }
        assert_eq!(
            error(&mut con, &["SET", "k", "v", "PX", "9223372036854775000"]),
            expire,
            "now plus this many milliseconds overflows"
        );
        assert_eq!(
            error(&mut con, &["SET", "k"]),
            "ERR wrong number of arguments for 'set' command"
        );
        // A refused SET changed nothing.
        assert_eq!(query::<Option<String>>(&mut con, &["GET", "k"]), some("10"));
        end(server, stage);
    }
}

#[tokio::test(start_paused = true)]
async fn keepttl_keeps_the_time_to_live_and_a_plain_set_drops_it() {
    use kv::command::Cmd;
    use kv::resp::Reply;
    use kv::store::{Design, State};
    use tokio::time::{Instant, advance};

    let body = async {
        for design in [Design::Lock, Design::Sharded, Design::Actors] {
            let state = State::new(design, 4);
            let run = |words: &[&str]| {
                let args = words.iter().map(|w| w.as_bytes().to_vec()).collect();
                state.execute(Cmd::parse(args).unwrap(), Instant::now())
            };
            let ok = Reply::Simple("OK");
            assert_eq!(run(&["SET", "kept", "1", "PX", "100"]).await, ok);
            assert_eq!(run(&["SET", "dropped", "1", "PX", "100"]).await, ok);
            advance(Duration::from_millis(50)).await;
            assert_eq!(run(&["SET", "kept", "2", "KEEPTTL"]).await, ok);
            assert_eq!(run(&["SET", "dropped", "2"]).await, ok);
            // KEEPTTL on a key without one, or with no key: no time to live.
            assert_eq!(run(&["SET", "fresh", "1", "KEEPTTL"]).await, ok);
            advance(Duration::from_millis(50)).await;
            assert_eq!(run(&["GET", "kept"]).await, Reply::Nil, "{design:?}");
            assert_eq!(
                run(&["GET", "dropped"]).await,
                Reply::Bulk(b"2".to_vec()),
                "{design:?}"
            );
            // An expired key does not exist for NX and XX.
            assert_eq!(run(&["SET", "kept", "3", "XX"]).await, Reply::Nil);
            assert_eq!(run(&["SET", "kept", "3", "NX"]).await, ok);
            advance(Duration::from_secs(10)).await;
            assert_eq!(run(&["GET", "fresh"]).await, Reply::Bulk(b"1".to_vec()));
            assert_eq!(run(&["GET", "kept"]).await, Reply::Bulk(b"3".to_vec()));
        }
    };
    // On the paused clock, a hang would move the clock straight to this limit: a minute,
    // well past the 30 s the test advances it.
    tokio::time::timeout(Duration::from_secs(60), body)
        .await
        .expect("the store answered within the limit");
}

#[test]
fn set_nx_has_exactly_one_winner_in_every_stage_and_design() {
    const CLIENTS: usize = 4;
    const KEYS: usize = 2_000;
    for args in STAGES_AND_DESIGNS {
        let server = Server::start(&args);
        let start = std::sync::Arc::new(std::sync::Barrier::new(CLIENTS));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let mut con = server.client();
                let start = std::sync::Arc::clone(&start);
                std::thread::spawn(move || {
                    // Every client races for every key, in the same order, in one pipeline.
                    let mut pipe = redis::pipe();
                    for k in 0..KEYS {
                        pipe.cmd("SET").arg(format!("race:{k}")).arg(c).arg("NX");
                    }
                    start.wait();
                    let replies: Vec<Option<String>> = pipe.query(&mut con).unwrap();
                    replies
                })
            })
            .collect();
        let replies: Vec<Vec<Option<String>>> =
            clients.into_iter().map(|c| c.join().unwrap()).collect();
        let mut con = server.client();
        for k in 0..KEYS {
            let winners: Vec<usize> = (replies.iter().enumerate())
                .filter(|(_, replies)| replies[k].as_deref() == Some("OK"))
                .map(|(c, _)| c)
                .collect();
            assert_eq!(winners.len(), 1, "{args:?}: race:{k} won by {winners:?}");
            let value: String = query(&mut con, &["GET", &format!("race:{k}")]);
            assert_eq!(value, winners[0].to_string(), "{args:?}: race:{k}");
        }
        end(server, args[1]);
    }
}

#[test]
fn integers_are_read_strictly_like_redis() {
    let server = Server::start(&[]);
    let mut con = server.client();
    // What Redis's string2ll refuses (checked against redis-server 7.0.15).
    let not_integers = [
        "+5",
        "05",
        "-0",
        " 5",
        "5 ",
        "",
        "0x10",
        "9223372036854775808",
    ];
    for text in not_integers {
        query::<()>(&mut con, &["SET", "i", text]);
        assert_eq!(
            error(&mut con, &["INCR", "i"]),
            "ERR value is not an integer or out of range",
            "INCR of {text:?}"
        );
        assert_eq!(
            error(&mut con, &["SET", "k", "v", "PX", text]),
            "ERR value is not an integer or out of range",
            "PX {text:?}"
        );
    }
    for (text, after) in [
        ("0", 1),
        ("-5", -4),
        ("-9223372036854775808", -9223372036854775807),
    ] {
        query::<()>(&mut con, &["SET", "i", text]);
        assert_eq!(
            query::<i64>(&mut con, &["INCR", "i"]),
            after,
            "INCR of {text:?}"
        );
    }
    query::<()>(&mut con, &["SET", "i", "9223372036854775807"]);
    assert_eq!(
        error(&mut con, &["INCR", "i"]),
        "ERR increment or decrement would overflow"
    );

    // The lengths of RESP's arrays and bulk strings, likewise; each is a protocol error.
    let array = "-ERR Protocol error: invalid multibulk length\r\n";
    let bulk = "-ERR Protocol error: invalid bulk length\r\n";
    for (input, reply) in [
        ("*+1\r\n$4\r\nPING\r\n", array),
        ("*01\r\n$4\r\nPING\r\n", array),
        ("*-0\r\n", array),
        ("* 1\r\n", array),
        ("*1 \r\n", array),
        ("*\r\n", array),
        ("*2147483648\r\n", array),
        ("*99999999999999999999\r\n", array),
        ("*1\r\n$+4\r\nPING\r\n", bulk),
        ("*1\r\n$04\r\nPING\r\n", bulk),
        ("*1\r\n$-0\r\nPING\r\n", bulk),
        ("*1\r\n$ 4\r\nPING\r\n", bulk),
        ("*1\r\n$4 \r\nPING\r\n", bulk),
        ("*1\r\n$\r\n", bulk),
    ] {
        let mut raw = server.raw();
        raw.write_all(input.as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&expect_closed(&mut raw)),
            reply,
            "for {input:?}"
        );
    }
    // `*0` and a negative count are empty requests, skipped as Redis skips them.
    let mut raw = server.raw();
    raw.write_all(b"*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n").unwrap();
    expect_bytes(&mut raw, "+PONG\r\n");
    server.stop();
}

#[test]
fn config_get_and_client_setinfo_in_any_case() {
    for stage in STAGES {
        let server = Server::start(&["--stage", stage]);
        let mut con = server.client();
        for words in [
            ["CONFIG", "GET", "save"],
            ["config", "get", "save"],
            ["Config", "Get", "save"],
        ] {
            assert_eq!(query::<Vec<String>>(&mut con, &words), ["save", ""]);
        }
        // The name as the client spelled it, as Redis 7.0 answers; each once.
        assert_eq!(
            query::<Vec<String>>(&mut con, &["config", "get", "SAVE"]),
            ["SAVE", ""]
        );
        assert_eq!(
            query::<Vec<String>>(&mut con, &["CONFIG", "GET", "appendonly", "save", "Save"]),
            ["appendonly", "no", "save", ""]
        );
        assert_eq!(
            error(&mut con, &["config", "Foo"]),
            "ERR unknown subcommand 'Foo'. Try CONFIG HELP."
        );
        // What redis-rs and redis-py send on connecting; Redis 7.2 answers OK.
        for words in [
            ["CLIENT", "SETINFO", "LIB-NAME", "redis-rs"],
            ["client", "setinfo", "lib-ver", "1.8.1"],
        ] {
            assert_eq!(query::<String>(&mut con, &words), "OK");
        }
        assert_eq!(
            error(&mut con, &["CLIENT", "SETINFO", "LIB-NAME"]),
            "ERR wrong number of arguments for 'client|setinfo' command"
        );
        assert_eq!(
            error(&mut con, &["CLIENT", "SETINFO", "color", "red"]),
            "ERR Unrecognized option 'color'"
        );
        assert_eq!(
            error(&mut con, &["CLIENT", "SETINFO", "lib-name", "a b"]),
            "ERR lib-name cannot contain spaces, newlines or special characters."
        );
        // A subcommand Redis 7.0 does not know either (it knows KILL), with its reply.
        assert_eq!(
            error(&mut con, &["CLIENT", "Nope", "x"]),
            "ERR unknown subcommand 'Nope'. Try CLIENT HELP."
        );
        end(server, stage);
    }
}

#[test]
fn inline_commands_split_like_redis() {
    for stage in STAGES {
        let server = Server::start(&["--stage", stage]);
        let mut raw = server.raw();
        // Quotes keep spaces; double quotes understand escapes; replies checked against
        // redis-server 7.0.15.
        for (line, reply) in [
            ("SET \"a key\" 'a value'\r\n", "+OK\r\n"),
            ("GET \"a key\"\r\n", "$7\r\na value\r\n"),
            ("ECHO \"a\\nb\\x41\\\"\"\r\n", "$5\r\na\nbA\"\r\n"),
            ("ECHO 'it\\'s' \r\n", "$4\r\nit's\r\n"),
            ("ECHO 'a\\nb'\r\n", "$4\r\na\\nb\r\n"),
            ("ECHO a\"b c\"\r\n", "$4\r\nab c\r\n"),
            ("ECHO \"\"\r\n", "$0\r\n\r\n"),
            (" \t PING  \n", "+PONG\r\n"),
            ("\r\n", ""),
        ] {
            raw.write_all(line.as_bytes()).unwrap();
            expect_bytes(&mut raw, reply);
        }
        for line in ["ECHO \"never closed\r\n", "ECHO \"a\"b\r\n", "ECHO 'a\r\n"] {
            let mut bad = server.raw();
            bad.write_all(line.as_bytes()).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&expect_closed(&mut bad)),
                "-ERR Protocol error: unbalanced quotes in request\r\n",
                "for {line:?}"
            );
        }
        end(server, stage);
    }
}

/// An `MSET` of about `size` bytes, and its arguments.
fn big_mset(size: usize) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut args = vec![b"MSET".to_vec()];
    let mut len = 0;
    while len < size {
        let n = args.len();
        args.push(format!("key:{n}").into_bytes());
        args.push(format!("value:{n}").into_bytes());
        len += 40;
    }
    let mut frame = format!("*{}\r\n", args.len()).into_bytes();
    for arg in &args {
        frame.extend(format!("${}\r\n", arg.len()).bytes());
        frame.extend(arg);
        frame.extend(b"\r\n");
    }
    (frame, args)
}

#[test]
fn a_request_in_small_pieces_is_parsed_in_linear_work() {
    use kv::resp::{Parsed, Parser};
    for (size, piece) in [(1 << 20, 64), (64 << 10, 1)] {
        let (frame, args) = big_mset(size);
        let mut parser = Parser::new(usize::MAX);
        let mut received = 0;
        let parsed = loop {
            received = (received + piece).min(frame.len());
            match parser.parse(&frame[..received]) {
                Parsed::Incomplete => {}
                other => break other,
            }
            // Each byte is looked at about once, however the bytes are cut; starting over at
            // each piece would look at the first ones again and again.
            assert!(
                parser.bytes_examined() <= 2 * received as u64,
                "{piece}-byte pieces: {} bytes examined for {received} received",
                parser.bytes_examined()
            );
            assert!(received < frame.len(), "a whole frame is not Incomplete");
        };
        assert_eq!(parsed, Parsed::Frame(args, frame.len()));
    }
}

#[test]
fn a_big_request_in_small_writes_is_answered_in_every_stage() {
    let (frame, args) = big_mset(1 << 20);
    for stage in STAGES {
        let server = Server::start(&["--stage", stage]);
        let mut raw = server.raw();
        raw.set_nodelay(true).unwrap();
        for piece in frame.chunks(64) {
            raw.write_all(piece).unwrap();
        }
        expect_bytes(&mut raw, "+OK\r\n");
        let mut con = server.client();
        let (last_key, last_value) = (&args[args.len() - 2], &args[args.len() - 1]);
        let got: Vec<Vec<u8>> = redis::cmd("MGET")
            .arg(&args[1])
            .arg(last_key)
            .query(&mut con)
            .unwrap();
        assert_eq!(got, [args[2].clone(), last_value.clone()]);
        end(server, stage);
    }
}

#[test]
fn unknown_commands_are_quoted_up_to_128_bytes_like_redis() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let request = |args: &[String]| {
        let mut frame = format!("*{}\r\n", args.len()).into_bytes();
        for arg in args {
            frame.extend(format!("${}\r\n{arg}\r\n", arg.len()).bytes());
        }
        frame
    };
    let (a, x) = ("a".repeat(300), "x".repeat(30));
    // Replies byte for byte as redis-server 7.0.15 gave them: the name is cut to 128 bytes,
    // and arguments are quoted until 128 bytes of them are, the last one cut to fit.
    for (args, reply) in [
        (
            vec!["F".repeat(200), a.clone(), "b".into()],
            format!(
                "unknown command '{}', with args beginning with: '{}' ",
                "F".repeat(128),
                "a".repeat(128)
            ),
        ),
        (
            [vec!["FOO".to_owned()], vec![x.clone(); 10]].concat(),
            format!(
                "unknown command 'FOO', with args beginning with: '{x}' '{x}' '{x}' '{}' ",
                &x[1..]
            ),
        ),
        (
            vec!["FOO".into(), "a".repeat(124), "b".into(), "c".into()],
            format!(
                "unknown command 'FOO', with args beginning with: '{}' 'b' ",
                "a".repeat(124)
            ),
        ),
        (
            vec!["FOO".into(), "a".repeat(125), "b".into()],
            format!(
                "unknown command 'FOO', with args beginning with: '{}' ",
                "a".repeat(125)
            ),
        ),
    ] {
        raw.write_all(&request(&args)).unwrap();
        expect_bytes(&mut raw, &format!("-ERR {reply}\r\n"));
    }
    server.stop();
}
