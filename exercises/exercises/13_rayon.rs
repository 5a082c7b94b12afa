//! Chapter 13, "Data parallelism with rayon": count letters in parallel with `fold` and
//! `reduce`, without a lock or an atomic.
//!
//! Graded by plain tests. The answer of a `fold` and `reduce` does not depend on the
//! interleaving, only on how rayon splits the input, so the tests run your function in pools of
//! 1, 2, 4 and 8 threads (more threads, more pieces) on inputs of several sizes, the empty one
//! included, and compare with the sequential count. An identity that is not neutral, or a
//! combination that does not add, gives a different answer as soon as there are two pieces,
//! which every pool of two threads or more makes.
// TODO: You need `rayon::prelude::*`.

/// How often each of the letters a..=z occurs in `lines`, ignoring case.
fn letter_counts_sequential(lines: &[String]) -> [usize; 26] {
    let mut counts = [0; 26];
    for line in lines {
        for b in line.bytes().filter(u8::is_ascii_alphabetic) {
            counts[usize::from(b.to_ascii_lowercase() - b'a')] += 1;
        }
    }
    counts
}

// ANCHOR: exercise
/// The same as `letter_counts_sequential`, in parallel: each piece of work counts into its own
/// array (`fold`), then the arrays are added up (`reduce`). No locks, no atomics.
fn letter_counts(lines: &[String]) -> [usize; 26] {
    // TODO: Start from `lines.par_iter()`.
    // `fold` with an identity of `[0; 26]` and a closure that adds one line's letters to the
    // piece's array; then `reduce` with the same identity and a closure that adds two arrays
    // element by element.
    todo!("count the letters of {} lines", lines.len())
}
// ANCHOR_END: exercise

fn main() {
    let lines: Vec<String> = (0..5_000)
        .map(|i| {
            format!(
                "Line {i}: The quick brown fox jumps over the lazy dog #{}",
                i % 7
            )
        })
        .collect();
    let counts = letter_counts(&lines);
    assert_eq!(counts, letter_counts_sequential(&lines));
    assert_eq!(counts[0], 5_000, "one 'a' per line, in \"lazy\"");
    assert_eq!(letter_counts(&[]), [0; 26]);
    println!(
        "parallel counts match: {} letters",
        counts.iter().sum::<usize>()
    );
}

#[cfg(test)]
mod tests {
    use super::{letter_counts, letter_counts_sequential};

    const SEE: &str = "see chapter 13, '`reduce` and its identity'";

    /// `n` lines of different lengths and letters.
    fn lines(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                (0..i % 37)
                    .map(|j| char::from(b'A' + ((i * 7 + j * 3) % 26) as u8))
                    .collect::<String>()
                    + " 42, the END!"
            })
            .collect()
    }

    fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(f)
    }

    #[test]
    fn counts_equal_the_sequential_count_for_every_split() {
        for threads in [1, 2, 4, 8] {
            for n in [1, 2, 3, 10, 100, 1000] {
                let input = lines(n);
                let expected = letter_counts_sequential(&input);
                for _ in 0..5 {
                    assert_eq!(
                        in_pool(threads, || letter_counts(&input)),
                        expected,
                        "{n} lines on {threads} threads: each piece must start from zeros and \
                         the pieces' arrays must be added element by element ({SEE})"
                    );
                }
            }
        }
    }

    #[test]
    fn no_lines_no_letters() {
        for threads in [1, 4] {
            assert_eq!(
                in_pool(threads, || letter_counts(&[])),
                [0; 26],
                "on no input, `reduce` returns its identity, which must be all zeros ({SEE})"
            );
        }
    }
}
