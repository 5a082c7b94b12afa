//! Turning a request's arguments into a command, with the errors Redis gives.

use std::time::{Duration, SystemTime};

use super::resp::{Parsed, Parser, Reply, integer};

pub type Bytes = Vec<u8>;

/// The commands the server knows. Those with keys are run against the store (`store.rs`);
/// the others are answered by [`Cmd::answer_alone`].
#[derive(Debug, Clone)]
pub enum Cmd {
    Ping(Option<Bytes>),
    Echo(Bytes),
    ConfigGet(Vec<Bytes>),
    /// `CLIENT SETINFO`, which clients send on connecting; we have nowhere to show it.
    ClientSetInfo,
    Get(Bytes),
    Set {
        key: Bytes,
        value: Bytes,
        options: SetOptions,
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
                arity(argc >= 3)?;
                let (key, value) = (next(), next());
                let options = SetOptions::parse(rest)?;
                Cmd::Set {
                    key,
                    value,
                    options,
                }
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
                let sub = rest.next();
                match sub.as_deref().map(<[u8]>::to_ascii_lowercase).as_deref() {
                    Some(b"get") if argc >= 3 => Cmd::ConfigGet(rest.collect()),
                    Some(b"get") => {
                        return Err(Reply::error(
                            "ERR wrong number of arguments for 'config|get' command",
                        ));
                    }
                    Some(_) => return Err(unknown_subcommand("CONFIG", &sub.unwrap_or_default())),
                    None => return Err(arity(false).unwrap_err()),
                }
            }
            // What clients (redis-rs, redis-py) send on connecting, answered as Redis 7.2 does.
            "client" => {
                let args: Vec<Bytes> = rest.collect();
                match args.first().map(|sub| sub.to_ascii_lowercase()).as_deref() {
                    Some(b"setinfo") => match &args[1..] {
                        [attribute, value] => client_setinfo(attribute, value)?,
                        _ => {
                            return Err(Reply::error(
                                "ERR wrong number of arguments for 'client|setinfo' command",
                            ));
                        }
                    },
                    Some(_) => return Err(unknown_subcommand("CLIENT", &args[0])),
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
            Cmd::ClientSetInfo => Some(Reply::Simple("OK")),
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
            Cmd::Ping(_) | Cmd::Echo(_) | Cmd::ConfigGet(_) | Cmd::ClientSetInfo => Vec::new(),
        }
    }
}

/// The two settings `redis-benchmark` asks for before it starts, with the values that are true
/// of this server (it never saves to disk); other names match nothing, as unknown ones do in
/// Redis. Each setting is named as the client first spelled it, as Redis 7.0 does (`CONFIG GET
/// SAVE` answers `SAVE`), in the order asked (Redis's order is its hash table's).
fn config_get(names: &[Bytes]) -> Reply {
    let mut found: Vec<(&Bytes, &str)> = Vec::new();
    for name in names {
        let setting = [("save", ""), ("appendonly", "no")]
            .into_iter()
            .find(|(setting, _)| name.eq_ignore_ascii_case(setting.as_bytes()));
        if let Some((_, value)) = setting
            && !found
                .iter()
                .any(|(seen, _)| seen.eq_ignore_ascii_case(name))
        {
            found.push((name, value));
        }
    }
    let pairs = found
        .into_iter()
        .flat_map(|(name, value)| [Reply::Bulk(name.clone()), Reply::Bulk(value.into())]);
    Reply::Array(pairs.collect())
}

/// `CLIENT SETINFO LIB-NAME|LIB-VER value`, checked as Redis 7.2 checks it (Redis 7.0 does
/// not know the subcommand; clients ignore the reply either way).
fn client_setinfo(attribute: &[u8], value: &[u8]) -> Result<Cmd, Reply> {
    let attribute = String::from_utf8_lossy(attribute);
    if !["lib-name", "lib-ver"]
        .iter()
        .any(|known| attribute.eq_ignore_ascii_case(known))
    {
        return Err(Reply::error(format!(
            "ERR Unrecognized option '{attribute}'"
        )));
    }
    if !value.iter().all(|b| (b'!'..=b'~').contains(b)) {
        return Err(Reply::error(format!(
            "ERR {attribute} cannot contain spaces, newlines or special characters."
        )));
    }
    Ok(Cmd::ClientSetInfo)
}

/// What `SET key value` does beyond setting the value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetOptions {
    pub expire: Expire,
    pub when: When,
    /// `GET`: reply with the old value (or nil) instead of `OK`.
    pub get: bool,
}

/// The time to live a `SET` gives its key.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Expire {
    /// None: a plain `SET` removes the key's time to live.
    #[default]
    Never,
    /// `EX seconds` or `PX milliseconds`.
    After(Duration),
    /// `KEEPTTL`: the time to live the key had.
    Keep,
}

/// When a `SET` writes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum When {
    #[default]
    Always,
    /// `NX`: only if the key does not exist.
    Absent,
    /// `XX`: only if it does.
    Present,
}

impl SetOptions {
    /// The options after `SET key value`, in any order and case, as Redis 7 reads them: an
    /// option that contradicts an earlier one (`NX` and `XX`, `EX` and `PX` or `KEEPTTL`),
    /// or that Redis does not know here (`EXAT` and `PXAT`, which this server leaves out), is
    /// a syntax error; a repeated one is not. The time is checked after all of them are read.
    fn parse(mut options: impl Iterator<Item = Bytes>) -> Result<SetOptions, Reply> {
        let syntax = || Reply::error("ERR syntax error");
        let mut set = SetOptions::default();
        let mut ttl: Option<(&str, Bytes)> = None;
        let mut keep = false;
        while let Some(option) = options.next() {
            match option.to_ascii_lowercase().as_slice() {
                b"nx" if set.when != When::Present => set.when = When::Absent,
                b"xx" if set.when != When::Absent => set.when = When::Present,
                b"get" => set.get = true,
                b"keepttl" if ttl.is_none() => keep = true,
                unit @ (b"ex" | b"px") => {
                    let unit = if unit == b"ex" { "ex" } else { "px" };
                    if keep || ttl.as_ref().is_some_and(|(other, _)| *other != unit) {
                        return Err(syntax());
                    }
                    ttl = Some((unit, options.next().ok_or_else(syntax)?));
                }
                _ => return Err(syntax()),
            }
        }
        set.expire = match ttl {
            Some((unit, amount)) => Expire::After(expiry(unit, &amount)?),
            None if keep => Expire::Keep,
            None => Expire::Never,
        };
        Ok(set)
    }
}

/// `EX seconds` or `PX milliseconds`, as SET takes them: a positive integer, and a time Redis
/// could write as milliseconds since 1970 in an `i64`.
fn expiry(unit: &str, amount: &[u8]) -> Result<Duration, Reply> {
    let amount = integer(amount).ok_or_else(not_an_integer)?;
    let millis_per = if unit == "ex" { 1000 } else { 1 };
    let since_1970 = SystemTime::UNIX_EPOCH
        .elapsed()
        .map_or(0, |d| d.as_millis() as i64);
    match amount.checked_mul(millis_per) {
        Some(ms) if ms > 0 && ms.checked_add(since_1970).is_some() => {
            Ok(Duration::from_millis(ms as u64))
        }
        _ => Err(Reply::error("ERR invalid expire time in 'set' command")),
    }
}

pub fn not_an_integer() -> Reply {
    Reply::error("ERR value is not an integer or out of range")
}

/// Redis's words for a subcommand it does not know, quoted as the client spelled it.
fn unknown_subcommand(command: &str, sub: &[u8]) -> Reply {
    Reply::error(format!(
        "ERR unknown subcommand '{}'. Try {command} HELP.",
        String::from_utf8_lossy(sub)
    ))
}

/// Redis's words for a command it does not know: the name's first 128 bytes, and its first
/// arguments, quoted, until 128 bytes of them are quoted (the last one cut to fit).
fn unknown(name: &[u8], args: impl Iterator<Item = Bytes>) -> Reply {
    const QUOTED: usize = 128;
    let mut quoted = Vec::new();
    for arg in args {
        let Some(room @ 1..) = QUOTED.checked_sub(quoted.len()) else {
            break;
        };
        quoted.push(b'\'');
        quoted.extend_from_slice(&arg[..arg.len().min(room)]);
        quoted.extend_from_slice(b"' ");
    }
    Reply::error(format!(
        "ERR unknown command '{}', with args beginning with: {}",
        String::from_utf8_lossy(&name[..name.len().min(QUOTED)]),
        String::from_utf8_lossy(&quoted)
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

/// The next request in `buf[*pos..]`; `*pos` moves past every whole frame it reads. After
/// `Wait`, call again (with the connection's same `parser`) once more bytes have come.
pub fn next_request(buf: &[u8], pos: &mut usize, parser: &mut Parser) -> Next {
    loop {
        match parser.parse(&buf[*pos..]) {
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
