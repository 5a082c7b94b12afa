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
/// The most arguments one request may have (Redis 7's limit, `INT_MAX`).
const MAX_ARGS: i64 = i32::MAX as i64;

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

/// The parser of one connection. Bulk strings longer than `max_bulk` are invalid.
///
/// When the bytes end in the middle of a request, the parser remembers how far it got (the
/// arguments read so far, and where the next part starts), and the next call goes on from
/// there: a request that arrives in a thousand pieces is read once, not a thousand times.
/// So between two calls, the caller may add bytes at the end of the buffer, and remove the
/// whole frames it was given from the front, but nothing else.
pub struct Parser {
    max_bulk: usize,
    partial: Partial,
    /// Bytes looked at over the parser's life: a test checks that it grows with the bytes
    /// received, not faster.
    examined: u64,
}

impl Parser {
    pub fn new(max_bulk: usize) -> Parser {
        Parser {
            max_bulk,
            partial: Partial::default(),
            examined: 0,
        }
    }

    /// Parses one request from the front of `buf`.
    pub fn parse(&mut self, buf: &[u8]) -> Parsed {
        let parsed = match buf.first() {
            None => return Parsed::Incomplete,
            Some(b'*') => self.array(buf),
            Some(_) => self.inline(buf),
        };
        if parsed != Parsed::Incomplete {
            // A whole frame (or garbage): the next request starts from scratch.
            self.partial = Partial::default();
        }
        parsed
    }
}
// ANCHOR_END: parse

impl Parser {
    pub fn bytes_examined(&self) -> u64 {
        self.examined
    }

    fn array(&mut self, buf: &[u8]) -> Parsed {
        let remaining = match self.partial.remaining {
            Some(remaining) => remaining,
            None => {
                let Some(count) = self.header(buf) else {
                    return self.too_long(buf, "too big mbulk count string");
                };
                let count = match integer(count) {
                    // `*0` and `*-1` are empty requests; Redis skips them.
                    Some(n) if n <= MAX_ARGS => n.max(0) as usize,
                    _ => return invalid("invalid multibulk length"),
                };
                self.partial.args = Vec::with_capacity(count.min(64));
                count
            }
        };
        self.partial.remaining = Some(remaining);
        while let Some(left @ 1..) = self.partial.remaining {
            let len = match self.partial.bulk {
                Some(len) => len,
                None => {
                    match buf.get(self.partial.pos) {
                        None => return Parsed::Incomplete,
                        Some(b'$') => {}
                        Some(&other) => {
                            return invalid(&format!("expected '$', got '{}'", other as char));
                        }
                    }
                    let Some(len) = self.header(buf) else {
                        return self.too_long(buf, "too big bulk count string");
                    };
                    let len = match integer(len) {
                        Some(n) if n >= 0 && n as u64 <= self.max_bulk as u64 => n as usize,
                        _ => return invalid("invalid bulk length"),
                    };
                    self.partial.bulk = Some(len);
                    len
                }
            };
            // The bulk and its \r\n: until they are all in, there is nothing to look at.
            let start = self.partial.pos;
            if buf.len() < start + len + 2 {
                return Parsed::Incomplete;
            }
            self.examined += len as u64 + 2;
            self.partial.args.push(buf[start..start + len].to_vec());
            self.partial.pos = start + len + 2;
            self.partial.bulk = None;
            self.partial.remaining = Some(left - 1);
        }
        Parsed::Frame(std::mem::take(&mut self.partial.args), self.partial.pos)
    }

    /// The header line at `pos` (`*3` or `$5`, ended by \r\n) without its first byte, if it
    /// has all arrived; the next part starts after it. As Redis does, the line ends at the
    /// first \r, and the byte after it is taken to be the \n without looking.
    fn header<'b>(&mut self, buf: &'b [u8]) -> Option<&'b [u8]> {
        let cr = self.find(buf, b'\r')?;
        if cr + 1 >= buf.len() {
            return None;
        }
        let text = &buf[self.partial.pos + 1..cr];
        self.partial.pos = cr + 2;
        self.partial.searched = 0;
        Some(text)
    }

    fn inline(&mut self, buf: &[u8]) -> Parsed {
        let Some(end) = self.find(buf, b'\n') else {
            return self.too_long(buf, "too big inline request");
        };
        let text = buf[..end].strip_suffix(b"\r").unwrap_or(&buf[..end]);
        match split_args(text) {
            Some(args) => Parsed::Frame(args, end + 1),
            None => invalid("unbalanced quotes in request"),
        }
    }

    /// Where `byte` first occurs from `pos` on, looking only at bytes not searched before.
    fn find(&mut self, buf: &[u8], byte: u8) -> Option<usize> {
        let from = self.partial.pos + self.partial.searched;
        let rest = buf.get(from..).unwrap_or_default();
        let found = rest.iter().position(|&b| b == byte);
        self.examined += found.map_or(rest.len(), |i| i + 1) as u64;
        // Not past the byte found: a header may need the byte after it, not yet arrived.
        self.partial.searched += found.unwrap_or(rest.len());
        found.map(|i| from + i)
    }

    fn too_long(&self, buf: &[u8], what: &str) -> Parsed {
        if buf.len() - self.partial.pos > MAX_LINE {
            invalid(what)
        } else {
            Parsed::Incomplete
        }
    }
}

/// What is known of a request that has not fully arrived.
#[derive(Default)]
struct Partial {
    /// Where the next part to read (a header line, or a bulk string) starts.
    pos: usize,
    /// How many bytes from `pos` are known to hold no line end.
    searched: usize,
    /// The array's header has been read: how many arguments are still to come.
    remaining: Option<usize>,
    /// A bulk string's header has been read: its length (the string starts at `pos`).
    bulk: Option<usize>,
    /// The arguments read so far.
    args: Vec<Vec<u8>>,
}

/// A decimal integer as Redis reads one (`string2ll`): an optional `-` and digits, with no
/// leading zero, no `+`, no spaces, and nothing outside `i64`. `05`, `+5`, `-0`, ` 5` and
/// `9223372036854775808` are not integers.
pub fn integer(text: &[u8]) -> Option<i64> {
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    let canonical = match digits {
        [b'0'] => digits.len() == text.len(),
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if !canonical {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// Splits an inline request into arguments as Redis does (`sdssplitargs`): at spaces, except
/// within quotes. "Double quotes" understand `\n`, `\r`, `\t`, `\b`, `\a`, `\xHH`, and `\`
/// before any other character for that character; 'single quotes' understand only `\'`. A
/// closing quote must be followed by a space or the end of the line. `None` if one is not, or
/// if a quote is never closed.
fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    // C's isspace: what separates arguments.
    let space =
        |b: Option<&u8>| matches!(b, Some(b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'));
    let mut args = Vec::new();
    let mut i = 0;
    loop {
        while space(line.get(i)) {
            i += 1;
        }
        if i == line.len() {
            return Some(args);
        }
        let mut arg = Vec::new();
        let mut quote = None;
        loop {
            let Some(&c) = line.get(i) else {
                if quote.is_some() {
                    return None; // a quote never closed
                }
                break;
            };
            i += 1;
            match quote {
                None => match c {
                    b' ' | b'\t' | b'\n' | b'\r' => break,
                    b'"' | b'\'' => quote = Some(c),
                    _ => arg.push(c),
                },
                Some(q) if c == q => {
                    if i < line.len() && !space(line.get(i)) {
                        return None; // `"a"b`
                    }
                    break;
                }
                Some(b'"') if c == b'\\' && i < line.len() => {
                    if let [b'x', hi, lo, ..] = line[i..]
                        && let (Some(hi), Some(lo)) = (hex(hi), hex(lo))
                    {
                        arg.push(hi << 4 | lo);
                        i += 3;
                        continue;
                    }
                    arg.push(match line[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                    i += 1;
                }
                Some(_) if c == b'\\' && line.get(i) == Some(&b'\'') => {
                    arg.push(b'\'');
                    i += 1;
                }
                Some(_) => arg.push(c),
            }
        }
        args.push(arg);
    }
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
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
