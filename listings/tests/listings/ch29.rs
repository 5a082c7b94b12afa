//! Chapter 29: the store shared three ways (one lock, sharded locks, actors), tested in process
//! on tokio's runtime (and its paused clock), and through the binary.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

use tokio::time::{Instant, advance, timeout};

use super::ch28::kv::command::Cmd;
use super::ch28::kv::resp::Reply;
use super::ch28::kv::store::{Design, State};
use super::ch28::{Server, end, limit, query};

const DESIGNS: [Design; 3] = [Design::Lock, Design::Sharded, Design::Actors];

fn cmd(words: &[&str]) -> Cmd {
    Cmd::parse(words.iter().map(|w| w.as_bytes().to_vec()).collect()).unwrap()
}

fn bulk(text: &str) -> Reply {
    Reply::Bulk(text.as_bytes().to_vec())
}

/// A multi-threaded runtime (2 workers: both cores) for the in-process tests.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn within<F: Future>(what: &str, future: F) -> F::Output {
    timeout(limit(), future)
        .await
        .unwrap_or_else(|_| panic!("{what}: still running after {:?} (hung?)", limit()))
}

#[test]
fn every_incr_counts_in_every_design() {
    const TASKS: usize = 4;
    const EACH: usize = 5_000;
    for design in DESIGNS {
        runtime().block_on(async {
            let state = Arc::new(State::new(design, 8));
            let tasks: Vec<_> = (0..TASKS)
                .map(|_| {
                    let state = Arc::clone(&state);
                    tokio::spawn(async move {
                        for _ in 0..EACH {
                            state.execute(cmd(&["INCR", "n"]), Instant::now()).await;
                        }
                    })
                })
                .collect();
            within("the INCR tasks", async {
                for task in tasks {
                    task.await.unwrap();
                }
            })
            .await;
            let total = state.execute(cmd(&["GET", "n"]), Instant::now()).await;
            assert_eq!(total, bulk(&(TASKS * EACH).to_string()), "{design:?}");
        });
    }
}

#[test]
fn mget_never_sees_half_an_mset_in_any_design() {
    const KEYS: [&str; 16] = [
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p",
    ];
    // A message per command makes the actors slower: fewer writes keep the test short.
    for (design, writes) in [
        (Design::Lock, 5_000),
        (Design::Sharded, 5_000),
        (Design::Actors, 1_000),
    ] {
        // Three workers: the writer and both readers can each have one, and run side by side.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(3)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            // 16 shards: the sixteen keys fall in several of them.
            let state = Arc::new(State::new(design, 16));
            let done = Arc::new(AtomicBool::new(false));
            let reads_during_writes = Arc::new(AtomicUsize::new(0));
            let readers: Vec<_> = (0..2)
                .map(|_| {
                    let (state, done) = (Arc::clone(&state), Arc::clone(&done));
                    let reads = Arc::clone(&reads_during_writes);
                    tokio::spawn(async move {
                        let mget: Vec<&str> = ["MGET"].into_iter().chain(KEYS).collect();
                        let mget = cmd(&mget);
                        while !done.load(Relaxed) {
                            let Reply::Array(values) =
                                state.execute(mget.clone(), Instant::now()).await
                            else {
                                panic!("MGET returns an array");
                            };
                            assert!(
                                values.iter().all(|v| *v == values[0]),
                                "{design:?}: MGET saw half an MSET: {values:?}"
                            );
                            reads.fetch_add(1, Relaxed);
                            tokio::task::yield_now().await;
                        }
                    })
                })
                .collect();
            // Built beforehand, so that the writer spends its time inside MSET.
            let msets: Vec<Cmd> = (0..writes)
                .map(|i: usize| {
                    let i = i.to_string();
                    let mut mset = vec!["MSET"];
                    KEYS.iter().for_each(|k| mset.extend([*k, i.as_str()]));
                    cmd(&mset)
                })
                .collect();
            let writer = {
                let (state, done) = (Arc::clone(&state), Arc::clone(&done));
                tokio::spawn(async move {
                    for mset in msets {
                        state.execute(mset, Instant::now()).await;
                    }
                    done.store(true, Relaxed);
                })
            };
            within("the MSET writer and the MGET readers", async {
                writer.await.unwrap();
                for reader in readers {
                    reader.await.unwrap();
                }
            })
            .await;
            assert!(
                reads_during_writes.load(Relaxed) > 0,
                "the readers never ran"
            );
        });
    }
}

#[tokio::test(start_paused = true)]
async fn keys_expire_on_the_paused_clock_in_every_design() {
    for design in DESIGNS {
        let state = State::new(design, 4);
        let run = |words: &[&str]| state.execute(cmd(words), Instant::now());
        assert_eq!(
            run(&["SET", "k", "v", "PX", "100"]).await,
            Reply::Simple("OK")
        );
        assert_eq!(
            run(&["SET", "n", "1", "EX", "1"]).await,
            Reply::Simple("OK")
        );
        advance(Duration::from_millis(99)).await;
        assert_eq!(
            run(&["GET", "k"]).await,
            bulk("v"),
            "{design:?}: alive at 99 ms"
        );
        // INCR keeps the time to live, as in Redis.
        assert_eq!(run(&["INCR", "n"]).await, Reply::Int(2));
        advance(Duration::from_millis(1)).await;
        assert_eq!(
            run(&["GET", "k"]).await,
            Reply::Nil,
            "{design:?}: gone at 100 ms"
        );
        assert_eq!(run(&["EXISTS", "k"]).await, Reply::Int(0));
        assert_eq!(
            run(&["INCR", "k"]).await,
            Reply::Int(1),
            "an expired key counts from 0"
        );
        advance(Duration::from_millis(900)).await;
        assert_eq!(
            run(&["GET", "n"]).await,
            Reply::Nil,
            "{design:?}: n gone at 1 s"
        );
        // A SET without EX or PX makes the key persistent again.
        run(&["SET", "p", "1", "PX", "10"]).await;
        run(&["SET", "p", "2"]).await;
        advance(Duration::from_secs(3600)).await;
        assert_eq!(run(&["GET", "p"]).await, bulk("2"));
    }
}

#[test]
fn clients_over_tcp_count_every_incr_in_every_stage_and_design() {
    const CLIENTS: usize = 4;
    const EACH: i64 = 250;
    for args in [
        ["--stage", "threads", "--state", "lock"],
        ["--stage", "threads", "--state", "sharded"],
        ["--stage", "tokio", "--state", "lock"],
        ["--stage", "tokio", "--state", "sharded"],
        ["--stage", "tokio", "--state", "actors"],
    ] {
        let server = Server::start(&args);
        std::thread::scope(|s| {
            for _ in 0..CLIENTS {
                s.spawn(|| {
                    let mut con = server.client();
                    for _ in 0..EACH {
                        query::<i64>(&mut con, &["INCR", "n"]);
                    }
                });
            }
        });
        let total: i64 = query(&mut server.client(), &["GET", "n"]);
        assert_eq!(total, CLIENTS as i64 * EACH, "{args:?}");
        end(server, args[1]);
    }
}
