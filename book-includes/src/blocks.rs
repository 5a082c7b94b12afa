//! The Rust code blocks of an expanded chapter, and what each asks of its test.
//!
//! A fenced block is Rust when its info string has the token `rust` (as skeptic and mdBook's
//! playground see it). Its other tokens say how to test it:
//!
//! | token | the test |
//! | --- | --- |
//! | (none) | compiles and runs the program; it must exit successfully |
//! | `no_run` | compiles it only |
//! | `should_panic` | compiles and runs it; it must fail at run time |
//! | `compile_fail,E0373` | the compiler must reject it with that error code |
//! | `compile_fail` + a hidden line `# // error: MESSAGE` | for an error rustc gives no code: the compiler must reject it with `error: MESSAGE` |
//! | `ignore` | a test marked `#[ignore]` |
//! | `edition2015` ... `edition2024` | any of the above, under that edition (else the book's) |
//!
//! `noplayground`, `noplaypen`, `editable`, `mdbook-runnable` and `hidelines` only change how
//! mdBook shows the block. Any other token is an error: a misspelt `no-run` would otherwise run
//! the block, and a misspelt edition would quietly test it under the wrong one.

use std::fmt;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

/// A Rust edition a block can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Edition {
    E2015,
    E2018,
    E2021,
    E2024,
}

impl Edition {
    pub const ALL: [Edition; 4] = [
        Edition::E2015,
        Edition::E2018,
        Edition::E2021,
        Edition::E2024,
    ];

    /// `"2021"`, as rustc's `--edition` and book.toml spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::E2015 => "2015",
            Edition::E2018 => "2018",
            Edition::E2021 => "2021",
            Edition::E2024 => "2024",
        }
    }

    /// `"2021"` -> `Edition::E2021`.
    pub fn parse(year: &str) -> Option<Edition> {
        Edition::ALL.into_iter().find(|e| e.as_str() == year)
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a block's test does with it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// Compile and run; the program must succeed.
    Run,
    /// Compile only.
    NoRun,
    /// Compile and run; the program must fail when it runs.
    ShouldPanic,
    /// The compiler must reject the program with this error: an error code (`E0373`), or the
    /// message of an error that has none (`future cannot be sent between threads safely`).
    CompileFail(String),
}

/// One Rust block of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The 1-based line of the opening fence in the text the block was found in.
    pub line: usize,
    pub mode: Mode,
    /// `Some` when the block names its edition (`edition2021`), `None` for the book's.
    pub edition: Option<Edition>,
    pub ignore: bool,
    /// The block as written, hidden (`# `) lines included.
    pub code: String,
}

impl Block {
    /// The program the compiler sees: the block with its hidden lines revealed.
    pub fn program(&self) -> String {
        self.code
            .lines()
            .map(|line| format!("{}\n", reveal_hidden_line(line)))
            .collect()
    }
}

/// rustdoc's (and skeptic's) hidden lines: `# code` is compiled but not shown, `#` alone is an
/// empty line.
pub fn reveal_hidden_line(line: &str) -> &str {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("# ") {
        rest
    } else if trimmed == "#" {
        ""
    } else {
        line
    }
}

/// A block whose info string cannot be tested as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    /// The 1-based line of the opening fence.
    pub line: usize,
    pub message: String,
}

/// Tokens that only change how mdBook shows a block.
const DISPLAY_TOKENS: &[&str] = &[
    "noplayground",
    "noplaypen",
    "editable",
    "mdbook-runnable",
    "hidelines",
];

/// Every Rust block of `markdown`, in order.
pub fn rust_blocks(markdown: &str) -> Result<Vec<Block>, BlockError> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let line = markdown[..range.start].matches('\n').count() + 1;
                current = parse_info(&info, line)?;
            }
            Event::Text(text) => {
                if let Some(block) = &mut current {
                    block.code.push_str(&text);
                }
            }
            Event::End(Tag::CodeBlock(_)) => {
                if let Some(block) = current.take() {
                    blocks.push(expect_message(block)?);
                }
            }
            _ => {}
        }
    }
    Ok(blocks)
}

/// The block an info string describes, or `None` when it is not Rust.
fn parse_info(info: &str, line: usize) -> Result<Option<Block>, BlockError> {
    let fail = |message: String| BlockError { line, message };
    // Split as rustdoc and skeptic do.
    let tokens: Vec<&str> = info
        .split(|c: char| !(c == '_' || c == '-' || c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .collect();
    if !tokens.contains(&"rust") {
        return Ok(None);
    }
    let mut block = Block {
        line,
        mode: Mode::Run,
        edition: None,
        ignore: false,
        code: String::new(),
    };
    let mut modes = Vec::new();
    let mut code = None;
    for token in tokens {
        match token {
            "rust" => {}
            "ignore" => block.ignore = true,
            "no_run" | "should_panic" | "compile_fail" => modes.push(token),
            _ if is_error_code(token) => code = Some(token.to_owned()),
            _ if token.starts_with("edition") => {
                let edition = Edition::parse(&token["edition".len()..]).ok_or_else(|| {
                    fail(format!(
                        "`{token}` is not an edition rustc knows (use one of {})",
                        Edition::ALL.map(|e| format!("edition{e}")).join(", ")
                    ))
                })?;
                if block.edition.replace(edition).is_some() {
                    return Err(fail("the block names two editions".to_owned()));
                }
            }
            _ if DISPLAY_TOKENS.contains(&token) => {}
            _ => {
                return Err(fail(format!(
                    "unknown code block attribute `{token}` in `{info}` (known: ignore, no_run, \
                     should_panic, compile_fail with an error code, edition2015..edition2024, {})",
                    DISPLAY_TOKENS.join(", ")
                )));
            }
        }
    }
    block.mode = match (modes.as_slice(), code) {
        ([], None) => Mode::Run,
        (["no_run"], None) => Mode::NoRun,
        (["should_panic"], None) => Mode::ShouldPanic,
        (["compile_fail"], Some(code)) => Mode::CompileFail(code),
        // The message comes from the block's hidden `# // error:` line: see `expect_message`.
        (["compile_fail"], None) => Mode::CompileFail(String::new()),
        (_, Some(code)) if !modes.contains(&"compile_fail") => {
            return Err(fail(format!(
                "the error code {code} only means something with compile_fail"
            )));
        }
        _ => {
            return Err(fail(format!(
                "`{info}` combines {}: a block is tested one way",
                modes.join(" and ")
            )));
        }
    };
    Ok(Some(block))
}

/// The line that names the error a `compile_fail` block without an error code expects.
const MESSAGE_LINE: &str = "# // error: ";

/// Gives a `compile_fail` block without an error code the message its hidden
/// `# // error: MESSAGE` line names (rustc gives some errors no code, such as "future cannot be
/// sent between threads safely"); it is an error for such a block to have no such line.
fn expect_message(mut block: Block) -> Result<Block, BlockError> {
    if block.mode != Mode::CompileFail(String::new()) {
        return Ok(block);
    }
    let messages: Vec<&str> = block
        .code
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix(MESSAGE_LINE))
        .map(str::trim)
        .collect();
    match messages[..] {
        [message] if !message.is_empty() => {
            block.mode = Mode::CompileFail(message.to_owned());
            Ok(block)
        }
        _ => Err(BlockError {
            line: block.line,
            message: "a compile_fail block must name the error it expects: its code, as in \
                      ```rust,compile_fail,E0373, or, for an error rustc gives no code, one \
                      hidden line with the message, as in `# // error: future cannot be sent \
                      between threads safely`"
                .to_owned(),
        }),
    }
}

/// `E0373`, as opposed to an error's message.
pub fn is_error_code(token: &str) -> bool {
    token.len() == 5 && token.starts_with('E') && token[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The `edition` of book.toml's `[rust]` table, which mdBook sends to the playground for every
/// block that does not name its own.
pub fn book_edition(book_toml: &str) -> Result<Edition, String> {
    edition_in(book_toml, "[rust]")?.ok_or_else(|| {
        "no `edition` in its [rust] table (mdBook would send 2015 to the playground): \
         add `edition = \"2024\"`"
            .to_owned()
    })
}

/// The `edition` of a Cargo.toml's `[workspace.package]` table: the listings' edition.
pub fn workspace_edition(cargo_toml: &str) -> Result<Edition, String> {
    edition_in(cargo_toml, "[workspace.package]")?
        .ok_or_else(|| "no `edition` in its [workspace.package] table".to_owned())
}

/// The `edition = "…"` line of one table of a TOML file, if it has one.
fn edition_in(toml: &str, wanted: &str) -> Result<Option<Edition>, String> {
    let mut table = "";
    for line in toml.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            table = line;
        } else if table == wanted
            && let Some(value) = line
                .strip_prefix("edition")
                .and_then(|rest| rest.trim_start().strip_prefix('='))
        {
            let year = value.trim().trim_matches('"');
            return Edition::parse(year)
                .map(Some)
                .ok_or_else(|| format!("{wanted} edition = {value:?} is not an edition"));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(markdown: &str) -> Block {
        let mut blocks = rust_blocks(markdown).unwrap();
        assert_eq!(blocks.len(), 1, "{blocks:?}");
        blocks.pop().unwrap()
    }

    fn error(markdown: &str) -> BlockError {
        rust_blocks(markdown).unwrap_err()
    }

    #[test]
    fn finds_rust_blocks_with_the_line_of_their_fence() {
        let md =
            "# Title\n\n```text\nnot rust\n```\n\n- a list\n\n  ```rust\n  fn main() {}\n  ```\n";
        let block = one(md);
        assert_eq!(block.line, 9);
        assert_eq!(block.code, "fn main() {}\n");
        assert_eq!(block.mode, Mode::Run);
        assert_eq!(block.edition, None);
    }

    #[test]
    fn hidden_lines_are_compiled() {
        let block = one("```rust\n# use std::thread;\n#\nfn main() {\n    # let x = 1;\n}\n```\n");
        assert_eq!(
            block.program(),
            "use std::thread;\n\nfn main() {\nlet x = 1;\n}\n"
        );
    }

    #[test]
    fn attributes_choose_the_test() {
        let md = "```rust,no_run\nA\n```\n\n```rust,should_panic\nB\n```\n\n\
                  ```rust,compile_fail,E0373\nC\n```\n\n```rust,ignore\nD\n```\n\n\
                  ```rust,noplayground,edition2021\nE\n```\n";
        let blocks = rust_blocks(md).unwrap();
        let modes: Vec<_> = blocks.iter().map(|b| b.mode.clone()).collect();
        assert_eq!(
            modes,
            [
                Mode::NoRun,
                Mode::ShouldPanic,
                Mode::CompileFail("E0373".to_owned()),
                Mode::Run,
                Mode::Run
            ]
        );
        assert!(blocks[3].ignore);
        assert_eq!(blocks[4].edition, Some(Edition::E2021));
        assert_eq!(blocks[0].edition, None);
    }

    #[test]
    fn a_misspelt_attribute_is_an_error_at_its_fence() {
        let e = error("text\n\n```rust,no-run\nfn main() {}\n```\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("`no-run`"), "{}", e.message);
    }

    #[test]
    fn an_unknown_edition_is_an_error() {
        let e = error("```rust,edition2023\nfn main() {}\n```\n");
        assert_eq!(e.line, 1);
        assert!(
            e.message.contains("`edition2023` is not an edition"),
            "{}",
            e.message
        );
        let e = error("```rust,edition2021,edition2024\nfn main() {}\n```\n");
        assert!(e.message.contains("two editions"), "{}", e.message);
    }

    #[test]
    fn compile_fail_needs_exactly_one_way_and_a_code() {
        let e = error("```rust,compile_fail\nfn main() {}\n```\n");
        assert!(e.message.contains("must name the error"), "{}", e.message);
        let e = error("```rust,E0373\nfn main() {}\n```\n");
        assert!(
            e.message.contains("only means something with compile_fail"),
            "{}",
            e.message
        );
        let e = error("```rust,no_run,should_panic\nfn main() {}\n```\n");
        assert!(
            e.message.contains("no_run and should_panic"),
            "{}",
            e.message
        );
    }

    #[test]
    fn compile_fail_without_a_code_takes_the_message_of_its_hidden_error_line() {
        let md = "```rust,compile_fail\n# // error: future cannot be sent between threads safely\nfn main() {}\n```\n";
        let blocks = rust_blocks(md).unwrap();
        assert_eq!(
            blocks[0].mode,
            Mode::CompileFail("future cannot be sent between threads safely".to_owned())
        );
        let twice = "```rust,compile_fail\n# // error: a\n# // error: b\nfn main() {}\n```\n";
        assert!(
            error(twice).message.contains("one"),
            "{}",
            error(twice).message
        );
        let empty = "```rust,compile_fail\n# // error: \nfn main() {}\n```\n";
        assert!(error(empty).message.contains("must name the error"));
    }

    #[test]
    fn book_edition_reads_the_rust_table() {
        let toml = "[book]\nedition = \"2015\" # not this one\n\n[rust]\n# the playground's\nedition = \"2024\"\n";
        assert_eq!(book_edition(toml), Ok(Edition::E2024));
        assert!(book_edition("[book]\ntitle = \"x\"\n").is_err());
        assert!(book_edition("[rust]\nedition = \"2023\"\n").is_err());
    }

    #[test]
    fn workspace_edition_reads_the_workspace_package_table() {
        let toml = "[package]\nedition = \"2021\"\n[workspace.package]\nedition = \"2024\"\n";
        assert_eq!(workspace_edition(toml), Ok(Edition::E2024));
        assert!(workspace_edition("[package]\nedition = \"2024\"\n").is_err());
    }
}
