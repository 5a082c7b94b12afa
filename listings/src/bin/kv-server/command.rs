//! Turning a request's arguments into a command, with the errors Redis gives.

use std::time::Duration;

use super::resp::{Parsed, Reply};

pub type Bytes = Vec<u8>;

/// The commands the server knows. Those with keys are run against the store (`store.rs`);
/// the others are answered by [`Cmd::answer_alone`].
#[derive(Debug, Clone)]
pub enum Cmd {
    Ping(Option<Bytes>),
    Echo(Bytes),
    ConfigGet(Vec<Bytes>),
    Get(Bytes),
    Set {
        key: Bytes,
        value: Bytes,
        expire: Option<Duration>,
    },
    Del(Vec<Bytes>),
    Exists(Vec<Bytes>),
    Incr(Bytes),
    MGet(Vec<Bytes>),
    MSet(Vec<(Bytes, Bytes)>),
}

impl Cmd {
    /// Parses a request. `Err` is the reply Redis would give instead of running it.
    pub fn parse(args: Vec<Bytes>) -> Result<Cmd, Reply> {
        let argc = args.len();
        let mut rest = args.into_iter();
        let given = rest.next().expect("a request has a command name");
        let name = String::from_utf8_lossy(&given).to_ascii_lowercase();
        let arity = |ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(Reply::error(format!(
                    "ERR wrong number of arguments for '{name}' command"
                )))
            }
        };
        let mut next = || rest.next().expect("arity checked");
        Ok(match name.as_str() {
            "ping" => {
                arity(argc <= 2)?;
                Cmd::Ping((argc == 2).then(&mut next))
            }
            "echo" => {
                arity(argc == 2)?;
                Cmd::Echo(next())
            }
            "get" => {
                arity(argc == 2)?;
                Cmd::Get(next())
            }
            "incr" => {
                arity(argc == 2)?;
                Cmd::Incr(next())
            }
            "set" => {
                arity(argc == 3 || argc == 5)?;
                let (key, value) = (next(), next());
                let expire = if argc == 5 {
                    Some(expiry(&next(), &next())?)
                } else {
                    None
                };
                Cmd::Set { key, value, expire }
            }
            "del" => {
                arity(argc >= 2)?;
                Cmd::Del(rest.collect())
            }
            "exists" => {
                arity(argc >= 2)?;
                Cmd::Exists(rest.collect())
            }
            "mget" => {
                arity(argc >= 2)?;
                Cmd::MGet(rest.collect())
            }
            "mset" => {
                arity(argc >= 3 && argc % 2 == 1)?;
                let mut pairs = Vec::with_capacity(argc / 2);
                while let (Some(key), Some(value)) = (rest.next(), rest.next()) {
                    pairs.push((key, value));
                }
                Cmd::MSet(pairs)
            }
            // What redis-benchmark asks before it starts; we have no configuration to show.
            "config" => {
                let sub = rest
                    .next()
                    .map(|s| String::from_utf8_lossy(&s).to_ascii_lowercase());
                match sub.as_deref() {
                    Some("get") if argc >= 3 => Cmd::ConfigGet(rest.collect()),
                    Some("get") => {
                        return Err(Reply::error(
                            "ERR wrong number of arguments for 'config|get' command",
                        ));
                    }
                    Some(other) => {
                        return Err(Reply::error(format!(
                            "ERR unknown subcommand '{other}'. Try CONFIG HELP."
                        )));
                    }
                    None => return Err(arity(false).unwrap_err()),
                }
            }
            _ => return Err(unknown(&given, rest)),
        })
    }

    /// The reply of a command that needs no store, or `None` if it needs one.
    pub fn answer_alone(&self) -> Option<Reply> {
        match self {
            Cmd::Ping(None) => Some(Reply::Simple("PONG")),
            Cmd::Ping(Some(text)) | Cmd::Echo(text) => Some(Reply::Bulk(text.clone())),
            Cmd::ConfigGet(names) => Some(config_get(names)),
            _ => None,
        }
    }

    /// The keys the command touches: the store locks (or borrows) the shards that hold them.
    pub fn keys(&self) -> Vec<&[u8]> {
        match self {
            Cmd::Get(key) | Cmd::Incr(key) | Cmd::Set { key, .. } => vec![key],
            Cmd::Del(keys) | Cmd::Exists(keys) | Cmd::MGet(keys) => {
                keys.iter().map(Vec::as_slice).collect()
            }
            Cmd::MSet(pairs) => pairs.iter().map(|(key, _)| key.as_slice()).collect(),
            Cmd::Ping(_) | Cmd::Echo(_) | Cmd::ConfigGet(_) => Vec::new(),
        }
    }
}

/// The two settings `redis-benchmark` asks for before it starts, with the values that are true
/// of this server (it never saves to disk); other names match nothing, as unknown ones do in
/// Redis.
fn config_get(names: &[Bytes]) -> Reply {
    let mut pairs = Vec::new();
    for (name, value) in [("save", ""), ("appendonly", "no")] {
        if names
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        {
            pairs.push(Reply::Bulk(name.into()));
            pairs.push(Reply::Bulk(value.into()));
        }
    }
    Reply::Array(pairs)
}

/// `EX seconds` or `PX milliseconds`, as SET takes them.
fn expiry(unit: &[u8], amount: &[u8]) -> Result<Duration, Reply> {
    let millis_per = match unit.to_ascii_lowercase().as_slice() {
        b"ex" => 1000,
        b"px" => 1,
        _ => return Err(Reply::error("ERR syntax error")),
    };
    let amount: i64 = std::str::from_utf8(amount)
        .ok()
        .and_then(|a| a.parse().ok())
        .ok_or_else(not_an_integer)?;
    match amount.checked_mul(millis_per) {
        Some(ms) if ms > 0 => Ok(Duration::from_millis(ms as u64)),
        _ => Err(Reply::error("ERR invalid expire time in 'set' command")),
    }
}

pub fn not_an_integer() -> Reply {
    Reply::error("ERR value is not an integer or out of range")
}

/// Redis's words for a command it does not know, quoting up to its first arguments.
fn unknown(name: &[u8], args: impl Iterator<Item = Bytes>) -> Reply {
    let mut quoted = String::new();
    for arg in args {
        if quoted.len() >= 128 {
            break;
        }
        quoted.push_str(&format!("'{}' ", String::from_utf8_lossy(&arg)));
    }
    Reply::error(format!(
        "ERR unknown command '{}', with args beginning with: {quoted}",
        String::from_utf8_lossy(name)
    ))
}

// ANCHOR: next
/// What a connection does with the bytes at `buf[*pos..]`.
pub enum Next {
    /// No whole request there yet: read more.
    Wait,
    /// Send this reply (an error, or a command that needs no store).
    Reply(Reply),
    /// Run this command against the store and send its reply.
    Run(Cmd),
    /// Send this protocol error and close the connection: nothing after it can be trusted.
    Close(Reply),
}

/// The next request in `buf[*pos..]`; `*pos` moves past every whole frame it reads.
pub fn next_request(buf: &[u8], pos: &mut usize, max_bulk: usize) -> Next {
    loop {
        match super::resp::parse(&buf[*pos..], max_bulk) {
            Parsed::Incomplete => return Next::Wait,
            Parsed::Invalid(error) => return Next::Close(Reply::Error(error)),
            Parsed::Frame(args, used) => {
                *pos += used;
                if args.is_empty() {
                    continue; // an empty line or `*0`: Redis ignores them too
                }
                return match Cmd::parse(args) {
                    Err(error) => Next::Reply(error),
                    Ok(cmd) => match cmd.answer_alone() {
                        Some(reply) => Next::Reply(reply),
                        None => Next::Run(cmd),
                    },
                };
            }
        }
    }
}
// ANCHOR_END: next
