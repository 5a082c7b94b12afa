//! The data, and the three ways the server shares it between connections.
//!
//! [`Db`] is a plain map with expiry, used by one thread at a time. [`State`] shares it: behind
//! one lock, split into shards behind a lock each, or split into shards each owned by an actor
//! task. Every design runs the same [`apply`], so they differ only in how they share.

use std::collections::HashMap;
use std::ops::DerefMut;
use std::sync::{Mutex, MutexGuard};

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use super::command::{Bytes, Cmd, Expire, SetOptions, When, not_an_integer};
use super::resp::{Reply, integer};

// ANCHOR: db
struct Entry {
    value: Bytes,
    /// tokio's `Instant`, so tests can move time forward on a paused clock.
    expires: Option<Instant>,
}

/// One map of keys to values; expired keys are removed when next touched.
#[derive(Default)]
pub struct Db {
    map: HashMap<Bytes, Entry>,
}

impl Db {
    fn live(&mut self, key: &[u8], now: Instant) -> Option<&mut Entry> {
        if self.map.get(key)?.expires.is_some_and(|at| at <= now) {
            self.map.remove(key);
            return None;
        }
        self.map.get_mut(key)
    }
    // ANCHOR_END: db

    fn get(&mut self, key: &[u8], now: Instant) -> Reply {
        self.live(key, now)
            .map_or(Reply::Nil, |e| Reply::Bulk(e.value.clone()))
    }

    fn set(&mut self, key: Bytes, value: Bytes, expires: Option<Instant>) {
        self.map.insert(key, Entry { value, expires });
    }

    // ANCHOR: set
    /// `SET` with its options: the check (`NX`, `XX`), the old value (`GET`) and the write are
    /// one call on the shard that holds the key, so no other command comes between them.
    fn set_with(&mut self, key: Bytes, value: Bytes, options: SetOptions, now: Instant) -> Reply {
        let old = self.live(&key, now);
        let exists = old.is_some();
        let old_expires = old.as_ref().and_then(|entry| entry.expires);
        let old_value = old.filter(|_| options.get).map(|entry| entry.value.clone());
        let write = match options.when {
            When::Always => true,
            When::Absent => !exists,
            When::Present => exists,
        };
        if write {
            let expires = match options.expire {
                Expire::Never => None,
                Expire::After(ttl) => Some(now + ttl),
                Expire::Keep => old_expires,
            };
            self.set(key, value, expires);
        }
        match (options.get, write) {
            (true, _) => old_value.map_or(Reply::Nil, Reply::Bulk),
            (false, true) => Reply::Simple("OK"),
            (false, false) => Reply::Nil,
        }
    }
    // ANCHOR_END: set

    fn incr(&mut self, key: &[u8], now: Instant) -> Reply {
        let old = match self.live(key, now) {
            None => 0,
            Some(entry) => match integer(&entry.value) {
                Some(n) => n,
                None => return not_an_integer(),
            },
        };
        let Some(new) = old.checked_add(1) else {
            return Reply::error("ERR increment or decrement would overflow");
        };
        match self.live(key, now) {
            // INCR keeps the key's time to live.
            Some(entry) => entry.value = new.to_string().into_bytes(),
            None => self.set(key.to_vec(), new.to_string().into_bytes(), None),
        }
        Reply::Int(new)
    }
}

// ANCHOR: shards
/// The shards one command may use: each key's shard is found with [`shard_of`].
pub trait Shards {
    fn db(&mut self, key: &[u8]) -> &mut Db;
}

/// The whole map is one shard.
impl Shards for Db {
    fn db(&mut self, _key: &[u8]) -> &mut Db {
        self
    }
}

/// The shards a command's keys fall in, held (locked, or borrowed from their actors) for the
/// whole command.
pub struct Held<G> {
    shards: usize,
    held: Vec<(usize, G)>,
}

impl<G: DerefMut<Target = Db>> Shards for Held<G> {
    fn db(&mut self, key: &[u8]) -> &mut Db {
        let shard = shard_of(key, self.shards);
        let (_, db) = self
            .held
            .iter_mut()
            .find(|(i, _)| *i == shard)
            .expect("a command holds the shard of every key it touches");
        db
    }
}
// ANCHOR_END: shards

// ANCHOR: apply
/// Runs a command that has keys against the shards it holds, all of them for the whole command:
/// no other command sees it half done.
pub fn apply(cmd: Cmd, shards: &mut impl Shards, now: Instant) -> Reply {
    match cmd {
        Cmd::Get(key) => shards.db(&key).get(&key, now),
        Cmd::Set {
            key,
            value,
            options,
        } => shards.db(&key).set_with(key, value, options, now),
        Cmd::Incr(key) => shards.db(&key).incr(&key, now),
        Cmd::Del(keys) => {
            let n = keys.iter().filter(|k| {
                let db = shards.db(k);
                db.live(k, now).is_some() && db.map.remove(k.as_slice()).is_some()
            });
            Reply::Int(n.count() as i64)
        }
        Cmd::Exists(keys) => {
            let n = keys.iter().filter(|k| shards.db(k).live(k, now).is_some());
            Reply::Int(n.count() as i64)
        }
        Cmd::MGet(keys) => Reply::Array(keys.iter().map(|k| shards.db(k).get(k, now)).collect()),
        Cmd::MSet(pairs) => {
            for (key, value) in pairs {
                shards.db(&key).set(key, value, None);
            }
            Reply::Simple("OK")
        }
        Cmd::Ping(_) | Cmd::Echo(_) | Cmd::ConfigGet(_) | Cmd::ClientSetInfo => {
            unreachable!("answered without the store")
        }
    }
}
// ANCHOR_END: apply

// ANCHOR: needed
/// Which shard holds `key` (FNV-1a: fast, and good enough to spread keys).
pub fn shard_of(key: &[u8], shards: usize) -> usize {
    let hash = key.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (hash % shards as u64) as usize
}

/// The shards a command needs, in increasing order, each once.
fn needed(cmd: &Cmd, shards: usize) -> Vec<usize> {
    let mut needed: Vec<usize> = cmd.keys().iter().map(|k| shard_of(k, shards)).collect();
    needed.sort_unstable();
    needed.dedup();
    needed
}
// ANCHOR_END: needed

// ANCHOR: state
/// The store, shared by every connection: one of three designs.
pub enum State {
    /// One `Mutex<Db>`: every command takes the same lock.
    Lock(Mutex<Db>),
    /// `Mutex<Db>` per shard: commands on different shards run in parallel.
    Sharded(Box<[Mutex<Db>]>),
    /// Each shard owned by an actor task; connections send it messages.
    Actors(Box<[mpsc::Sender<Msg>]>),
}
// ANCHOR_END: state

/// The designs, as `--state` names them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Design {
    Lock,
    Sharded,
    Actors,
}

impl State {
    /// A store of the given design; `shards` is ignored by the one-lock design. The actor
    /// design spawns its actors, so it must be created inside a tokio runtime.
    pub fn new(design: Design, shards: usize) -> State {
        let shards = shards.max(1);
        match design {
            Design::Lock => State::Lock(Mutex::default()),
            Design::Sharded => State::Sharded((0..shards).map(|_| Mutex::default()).collect()),
            Design::Actors => State::Actors(
                (0..shards)
                    .map(|_| {
                        let (tx, rx) = mpsc::channel(1024);
                        tokio::spawn(shard_actor(Db::default(), rx));
                        tx
                    })
                    .collect(),
            ),
        }
    }

    // ANCHOR: execute
    /// Runs a command that has keys.
    pub async fn execute(&self, cmd: Cmd, now: Instant) -> Reply {
        match self {
            State::Actors(mailboxes) => ask_actors(mailboxes, cmd, now).await,
            locked => locked.execute_blocking(cmd, now),
        }
    }
    // ANCHOR_END: execute

    // ANCHOR: locked
    /// Runs a command that has keys in one of the lock designs, on the calling thread.
    pub fn execute_blocking(&self, cmd: Cmd, now: Instant) -> Reply {
        match self {
            State::Lock(db) => apply(cmd, &mut *lock(db), now),
            State::Sharded(shards) => {
                // Every shard the command needs, locked in increasing order (chapter 21:
                // one global order, so two commands never wait for each other in a cycle).
                let held = needed(&cmd, shards.len())
                    .into_iter()
                    .map(|i| (i, lock(&shards[i])))
                    .collect();
                let mut held = Held {
                    shards: shards.len(),
                    held,
                };
                apply(cmd, &mut held, now)
            }
            State::Actors(_) => panic!("the actor design needs the async server"),
        }
    }
    // ANCHOR_END: locked
}

fn lock(db: &Mutex<Db>) -> MutexGuard<'_, Db> {
    // `apply` never panics while holding a shard, so a poisoned lock would be a bug of ours.
    db.lock().expect("a shard lock is never poisoned")
}

// ANCHOR: actor
/// What a connection asks of a shard's actor.
pub enum Msg {
    /// Run a command whose keys are all in this shard.
    Run {
        cmd: Cmd,
        now: Instant,
        reply: oneshot::Sender<Reply>,
    },
    /// Lend the shard to a command that spans several shards, and wait until it comes back.
    Lend { to: oneshot::Sender<Loan> },
}

async fn shard_actor(mut db: Db, mut mailbox: mpsc::Receiver<Msg>) {
    while let Some(msg) = mailbox.recv().await {
        match msg {
            Msg::Run { cmd, now, reply } => {
                // The asker may have gone (its connection closed): nothing to do.
                let _ = reply.send(apply(cmd, &mut db, now));
            }
            Msg::Lend { to } => {
                let (back, returned) = oneshot::channel();
                let loan = Loan {
                    db: Some(std::mem::take(&mut db)),
                    back: Some(back),
                };
                // If the borrower has gone, the loan is dropped here, which returns it.
                let _ = to.send(loan);
                db = returned.await.expect("a dropped loan returns its shard");
            }
        }
    }
}
// ANCHOR_END: actor

// ANCHOR: loan
/// A shard lent by its actor. However the borrower ends (done, cancelled, panicking), dropping
/// the loan sends the shard back.
pub struct Loan {
    db: Option<Db>,
    back: Option<oneshot::Sender<Db>>,
}

impl Drop for Loan {
    fn drop(&mut self) {
        if let (Some(db), Some(back)) = (self.db.take(), self.back.take()) {
            let _ = back.send(db);
        }
    }
}
// ANCHOR_END: loan

impl std::ops::Deref for Loan {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
            .as_ref()
            .expect("a loan holds its shard until dropped")
    }
}

impl DerefMut for Loan {
    fn deref_mut(&mut self) -> &mut Db {
        self.db
            .as_mut()
            .expect("a loan holds its shard until dropped")
    }
}

// ANCHOR: ask
async fn ask_actors(mailboxes: &[mpsc::Sender<Msg>], cmd: Cmd, now: Instant) -> Reply {
    const GONE: &str = "a shard actor lives as long as the store";
    let needed = needed(&cmd, mailboxes.len());
    if let [only] = needed[..] {
        // All keys in one shard: its actor runs the command, one message there and back.
        let (reply, answer) = oneshot::channel();
        let msg = Msg::Run { cmd, now, reply };
        mailboxes[only].send(msg).await.expect(GONE);
        return answer.await.expect(GONE);
    }
    // Several shards: borrow each, in increasing order (as the sharded design locks them),
    // run the command on all of them at once, and give them back.
    let mut held = Vec::with_capacity(needed.len());
    for i in needed {
        let (to, loan) = oneshot::channel();
        mailboxes[i].send(Msg::Lend { to }).await.expect(GONE);
        held.push((i, loan.await.expect(GONE)));
    }
    let shards = mailboxes.len();
    apply(cmd, &mut Held { shards, held }, now)
}
// ANCHOR_END: ask
