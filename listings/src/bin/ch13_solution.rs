//! Chapter 13 exercise, solved: count letters in parallel with `fold` and `reduce`.
use rayon::prelude::*;

// ANCHOR: solution
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

/// The same, in parallel: each piece of work counts into its own array (`fold`),
/// then the arrays are added up (`reduce`). No locks, no atomics.
fn letter_counts(lines: &[String]) -> [usize; 26] {
    lines
        .par_iter()
        .fold(
            || [0; 26],
            |mut counts, line| {
                for b in line.bytes().filter(u8::is_ascii_alphabetic) {
                    counts[usize::from(b.to_ascii_lowercase() - b'a')] += 1;
                }
                counts
            },
        )
        .reduce(
            || [0; 26],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
                a
            },
        )
}
// ANCHOR_END: solution

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
