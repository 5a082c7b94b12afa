//! RESP, the Redis serialization protocol: parsing requests, encoding replies.
//!
//! A request is an array of bulk strings (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) or, as typed into
//! a terminal, one inline line (`GET k\r\n`). The parser never blocks and never reads: it looks
//! at the bytes received so far and says whether they hold a whole frame. That is what makes the
//! reading loops of both server stages simple, and the async one cancel-safe.

use std::io::Write as _;

/// The longest header or inline line we buffer before calling the client's input garbage
/// (Redis's limit for inline requests).
const MAX_LINE: usize = 64 * 1024;
/// The most arguments one request may have (Redis's limit).
const MAX_ARGS: i64 = 1024 * 1024;

// ANCHOR: parse
/// What the bytes at the front of a connection's buffer hold.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    /// Not a whole frame yet: read more and call again.
    Incomplete,
    /// A whole request: its arguments, and how many bytes it took.
    Frame(Vec<Vec<u8>>, usize),
    /// Bytes no client would send; the connection gets this error and is closed.
    Invalid(String),
}

/// Parses one request from the front of `buf`. Bulk strings longer than `max_bulk` are invalid.
pub fn parse(buf: &[u8], max_bulk: usize) -> Parsed {
    match buf.first() {
        None => Parsed::Incomplete,
        Some(b'*') => parse_array(buf, max_bulk),
        Some(_) => parse_inline(buf),
    }
}
// ANCHOR_END: parse

fn parse_array(buf: &[u8], max_bulk: usize) -> Parsed {
    let Some((count, mut pos)) = line(buf, 1) else {
        return too_long(buf, "too big mbulk count string");
    };
    let count = match integer(count) {
        Some(n) if n <= MAX_ARGS => n.max(0) as usize,
        _ => return invalid("invalid multibulk length"),
    };
    let mut args = Vec::with_capacity(count.min(64));
    for _ in 0..count {
        match buf.get(pos) {
            None => return Parsed::Incomplete,
            Some(b'$') => {}
            Some(&other) => {
                return invalid(&format!("expected '$', got '{}'", other as char));
            }
        }
        let Some((len, start)) = line(buf, pos + 1) else {
            return too_long(&buf[pos..], "too big bulk count string");
        };
        let len = match integer(len) {
            Some(n) if n >= 0 && n as u64 <= max_bulk as u64 => n as usize,
            _ => return invalid("invalid bulk length"),
        };
        // The bulk and its \r\n.
        if buf.len() < start + len + 2 {
            return Parsed::Incomplete;
        }
        args.push(buf[start..start + len].to_vec());
        pos = start + len + 2;
    }
    Parsed::Frame(args, pos)
}

fn parse_inline(buf: &[u8]) -> Parsed {
    let Some(end) = buf.iter().position(|&b| b == b'\n') else {
        return too_long(buf, "too big inline request");
    };
    let text = buf[..end].strip_suffix(b"\r").unwrap_or(&buf[..end]);
    let args = text
        .split(|b| b.is_ascii_whitespace())
        .filter(|word| !word.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    Parsed::Frame(args, end + 1)
}

/// The line starting at `from` (without its \r\n) and where the next one starts.
fn line(buf: &[u8], from: usize) -> Option<(&[u8], usize)> {
    let rest = buf.get(from..)?;
    let end = rest.windows(2).position(|w| w == b"\r\n")?;
    Some((&rest[..end], from + end + 2))
}

fn integer(text: &[u8]) -> Option<i64> {
    std::str::from_utf8(text).ok()?.parse().ok()
}

fn too_long(buf: &[u8], what: &str) -> Parsed {
    if buf.len() > MAX_LINE {
        invalid(what)
    } else {
        Parsed::Incomplete
    }
}

fn invalid(what: &str) -> Parsed {
    Parsed::Invalid(format!("ERR Protocol error: {what}"))
}

/// A reply, encoded with [`Reply::encode`].
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Simple(&'static str),
    Error(String),
    Int(i64),
    Bulk(Vec<u8>),
    Nil,
    Array(Vec<Reply>),
}

impl Reply {
    pub fn error(text: impl Into<String>) -> Reply {
        Reply::Error(text.into())
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        // Writing to a Vec cannot fail.
        let _ = match self {
            Reply::Simple(text) => write!(out, "+{text}\r\n"),
            // An error may quote what the client sent: a CR or LF in it would end the reply
            // early and start a forged one, so they become spaces, as Redis does.
            Reply::Error(text) => write!(out, "-{}\r\n", text.replace(['\r', '\n'], " ")),
            Reply::Int(n) => write!(out, ":{n}\r\n"),
            Reply::Nil => write!(out, "$-1\r\n"),
            Reply::Bulk(bytes) => {
                let _ = write!(out, "${}\r\n", bytes.len());
                out.extend_from_slice(bytes);
                write!(out, "\r\n")
            }
            Reply::Array(items) => {
                let _ = write!(out, "*{}\r\n", items.len());
                items.iter().for_each(|item| item.encode(out));
                Ok(())
            }
        };
    }
}
