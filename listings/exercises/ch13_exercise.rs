//! Chapter 13 exercise: count letters in parallel with `fold` and `reduce`.
//! Run it with `cargo run -p listings --example ch13_exercise`: it panics at the `todo!()`
//! until you fill it in. The solution is `listings/src/bin/ch13_solution.rs`.
use rayon::prelude::*;

// ANCHOR: exercise
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
            |counts, line| todo!("add {line:?} to {counts:?}"),
        )
        .reduce(|| [0; 26], |a, b| todo!("add up {a:?} and {b:?}"))
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
