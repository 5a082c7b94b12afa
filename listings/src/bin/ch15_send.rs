//! Chapter 15: what `tokio::spawn` asks of a future (`Send + 'static`), and `spawn_local`
//! for work that cannot be `Send`.
use std::cell::RefCell;
use std::rc::Rc;
use tokio::task::{self, LocalSet};

#[tokio::main]
async fn main() {
    // ANCHOR: send
    // Compiles: the `Rc` is dropped before the `.await`, so the future never holds it
    // while it is suspended, and the future is `Send`.
    let handle = tokio::spawn(async {
        let total: u32 = {
            let numbers = Rc::new(vec![1, 2, 3]);
            numbers.iter().sum()
        };
        task::yield_now().await;
        total
    });
    assert_eq!(handle.await.unwrap(), 6);
    println!("spawn: the Rc was gone before the .await");
    // ANCHOR_END: send

    // ANCHOR: local
    // A `LocalSet` runs `!Send` tasks on the thread that drives it: `spawn_local` needs no
    // `Send`, so these tasks may hold an `Rc` across an `.await`.
    let local = LocalSet::new();
    let mut seen = local
        .run_until(async {
            let seen = Rc::new(RefCell::new(Vec::new()));
            let mut handles = Vec::new();
            for id in 0..3 {
                let seen = Rc::clone(&seen);
                handles.push(task::spawn_local(async move {
                    task::yield_now().await; // `seen`, an Rc, lives across this
                    seen.borrow_mut().push(id);
                }));
            }
            for handle in handles {
                handle.await.unwrap();
            }
            Rc::try_unwrap(seen).unwrap().into_inner()
        })
        .await;
    seen.sort();
    assert_eq!(seen, [0, 1, 2]);
    println!("spawn_local: three tasks shared an Rc");
    // ANCHOR_END: local
}
