//! Chapter 1, listing 4: name your threads, and size the work to the machine.
use std::num::NonZeroUsize;
use std::thread;

fn main() {
    // ANCHOR: builder
    let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    println!("this machine can run {cores} threads in parallel");

    let handles: Vec<_> = (0..cores)
        .map(|i| {
            thread::Builder::new()
                .name(format!("worker-{i}"))
                .spawn(move || {
                    let me = thread::current();
                    let name = me.name().expect("named by the Builder");
                    println!("hello from {name}");
                    i * i
                })
                .expect("the OS refused to create a thread")
        })
        .collect();

    let squares: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(squares, (0..cores).map(|i| i * i).collect::<Vec<_>>());
    // ANCHOR_END: builder
}
