//! Chapter 9, listing 2: each scoped thread gets an exclusive `&mut` chunk, and all of them
//! share one read-only table.
use std::num::NonZeroUsize;
use std::thread;

fn main() {
    // ANCHOR: chunks_mut
    let threads = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let gamma: Vec<u8> = (0..=255u32).map(|v| (v * v / 255) as u8).collect();
    let mut pixels: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let expected: Vec<u8> = pixels.iter().map(|&p| gamma[p as usize]).collect();

    let part = pixels.len().div_ceil(threads);
    thread::scope(|s| {
        for chunk in pixels.chunks_mut(part) {
            // Each thread gets its own `&mut [u8]`: the chunks do not overlap, so the
            // borrow checker lets them be written at the same time. `&gamma` is shared.
            let gamma = &gamma;
            s.spawn(move || {
                for p in chunk {
                    *p = gamma[*p as usize];
                }
            });
        }
        // No join here: the scope joins every thread before it returns.
    });

    assert_eq!(pixels, expected, "parallel result differs from sequential");
    println!("{} pixels mapped on {threads} threads", pixels.len());
    // ANCHOR_END: chunks_mut
}
