//! Chapter 13, listing 4: a thread pool of your own, sized and named.
use rayon::prelude::*;
use std::thread;

fn main() {
    // ANCHOR: pool
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .thread_name(|i| format!("crunch-{i}"))
        .build()
        .expect("could not start the pool's threads");

    // Inside `install`, parallel iterators, `join` and `current_num_threads` use this pool.
    let numbers: Vec<u64> = (1..=1_000).collect();
    let total: u64 = pool.install(|| {
        assert_eq!(rayon::current_num_threads(), 2);
        numbers.par_iter().map(|&n| n * n).sum()
    });
    assert_eq!(total, numbers.iter().map(|&n| n * n).sum::<u64>());
    println!("sum of squares: {total}");

    // `install`'s closure runs on one of the pool's threads; `main` blocks until it returns.
    let ran_on = pool.install(|| thread::current().name().map(str::to_owned));
    let ran_on = ran_on.expect("the pool's threads are named");
    assert!(ran_on.starts_with("crunch-"));
    println!("install ran its closure on {ran_on}, while main waited");

    // `broadcast` runs a closure once on every thread of the pool.
    let names = pool.broadcast(|_| thread::current().name().unwrap().to_owned());
    assert_eq!(names, ["crunch-0", "crunch-1"]);
    println!("the pool's threads: {}", names.join(", "));
    // ANCHOR_END: pool
}
