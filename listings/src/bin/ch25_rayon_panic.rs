//! Chapter 25, listing 4: a job given to rayon's `spawn` has nobody to pass its panic to.
//! Without a panic handler, rayon aborts the process; with one, the pool carries on.
use crossbeam::channel;

fn main() {
    // ANCHOR: handler
    let (report, reports) = channel::unbounded::<String>();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        // Without a handler, a panic in a job given to `spawn` aborts the whole process.
        .panic_handler(move |payload| {
            let message = payload.downcast_ref::<&str>().copied();
            report
                .send(message.unwrap_or("(not a &str)").to_owned())
                .unwrap();
        })
        .build()
        .unwrap();

    pool.spawn(|| panic!("a spawned job failed"));
    println!("the panic handler got: {}", reports.recv().unwrap());

    let (done, wait_for_done) = channel::bounded(1);
    pool.spawn(move || done.send("a later job ran").unwrap());
    println!("{}", wait_for_done.recv().unwrap());
    // ANCHOR_END: handler
}
