//! Chapter 19, "Locks in async code": fetch everything, at most `limit` at a time, results in
//! order, and leave nothing running when the caller gives up.
//!
//! Graded by plain tests under tokio's paused clock (`start_paused = true`). Each fetch takes
//! 10 ms of virtual time, so the total time tells exactly how many fetches ran at once: ten
//! fetches take 100, 40, 10 and 10 ms with limits of 1, 3, 10 and 50, on every run. A permit
//! that is not held while fetching, or tasks that are run one by one, show up in those numbers.
//! The last test gives up after 15 ms and then counts the runtime's live tasks: tasks spawned
//! outside a `JoinSet` outlive their caller, and the count says so.
// ANCHOR: hide
// You need `std::sync::Arc`, `tokio::sync::Semaphore` and `tokio::task::JoinSet`.
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
// ANCHOR_END: hide
use std::time::Duration;
use tokio::time::sleep;

// ANCHOR: exercise
/// Stands for a network call that takes 10 ms.
async fn fetch(id: u64) -> u64 {
    sleep(Duration::from_millis(10)).await;
    id * id
}

/// Fetches every id, with at most `limit` fetches in flight, and returns the results in the
/// order of `ids`. If the caller stops waiting (drops this future), no fetch goes on.
async fn fetch_all(ids: Vec<u64>, limit: usize) -> Vec<u64> {
    // ANCHOR: todo("{} ids, {limit} at a time", ids.len())
    // Spawn one task per id; each holds a permit of a `Semaphore` with `limit` permits while
    // it calls `fetch`. Spawn them into a `JoinSet`, which aborts its tasks when it is dropped.
    // Then put the results back in the order of `ids`.
    let permits = Arc::new(Semaphore::new(limit));
    // Dropping a JoinSet aborts every task still in it.
    let mut tasks = JoinSet::new();
    for (index, id) in ids.iter().copied().enumerate() {
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.unwrap();
            (index, fetch(id).await)
        });
    }
    // Results come in the order the fetches finish; the index puts each in its place.
    let mut results = vec![0; ids.len()];
    while let Some(joined) = tasks.join_next().await {
        let (index, value) = joined.expect("a fetch panicked");
        results[index] = value;
    }
    results
    // ANCHOR_END: todo
}
// ANCHOR_END: exercise

#[tokio::main]
async fn main() {
    assert_eq!(fetch(3).await, 9);
    let results = fetch_all((1..=10).collect(), 3).await;
    assert_eq!(results, (1..=10).map(|i| i * i).collect::<Vec<_>>());
    println!("results: {results:?}");
}

#[cfg(test)]
mod tests {
    use super::fetch_all;
    use std::time::Duration;
    use tokio::time::{Instant, timeout};

    const MS: Duration = Duration::from_millis(1);

    /// Runs `test` on a one-thread runtime whose clock starts paused, as
    /// `#[tokio::test(start_paused = true)]` does.
    fn paused<F: Future>(test: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap()
            .block_on(test)
    }

    /// Fails the test with a message instead of letting it hang. Under the paused clock the
    /// limit is virtual time, so a fetch that waits for ever fails at once.
    async fn within<F: Future>(future: F) -> F::Output {
        timeout(Duration::from_secs(10), future)
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "fetch_all never returned: is every permit given back? (see chapter 19, \
                     'Bounding concurrency: `Semaphore`')"
                )
            })
    }

    #[test]
    fn results_in_order_and_at_most_limit_at_once() {
        paused(async {
            let ids: Vec<u64> = (1..=10).collect();
            let expected: Vec<u64> = ids.iter().map(|i| i * i).collect();
            for (limit, rounds) in [(1, 10), (3, 4), (10, 1), (50, 1)] {
                let start = Instant::now();
                assert_eq!(
                    within(fetch_all(ids.clone(), limit)).await,
                    expected,
                    "limit {limit}: the results must come back in the order of the ids, whatever \
                 order the fetches finish in (see chapter 19, 'Exercise')"
                );
                // Each fetch takes 10 ms; `limit` at a time means ceil(10 / limit) rounds.
                let took = start.elapsed();
                assert_eq!(
                    took,
                    rounds * 10 * MS,
                    "limit {limit}: ten 10 ms fetches took {took:?}; with {limit} at a time they \
                 take {rounds} rounds of 10 ms. Hold a permit for the whole fetch, and let \
                 `limit` fetches run at once (see chapter 19, 'Bounding concurrency: \
                 `Semaphore`')"
                );
            }
        });
    }

    // The caller gives up after 15 ms, when three fetches are done and three are half way. With
    // the tasks in a JoinSet, dropping `fetch_all` aborts them all: none is left running. (Exact
    // on this one-thread runtime, where an aborted task is gone once the scheduler has run it.)
    #[test]
    fn a_cancelled_fetch_all_leaves_no_fetch_running() {
        paused(within(async {
            let gave_up = timeout(15 * MS, fetch_all((1..=10).collect(), 3)).await;
            assert!(
                gave_up.is_err(),
                "ten 10 ms fetches, 3 at a time, cannot finish in 15 ms (see chapter 19, \
                 'Bounding concurrency: `Semaphore`')"
            );
            tokio::task::yield_now().await; // let the scheduler drop the aborted tasks
            let alive = tokio::runtime::Handle::current()
                .metrics()
                .num_alive_tasks();
            assert_eq!(
                alive, 0,
                "{alive} fetch tasks outlived their caller: a dropped `JoinHandle` does not \
                 stop its task, a dropped `JoinSet` aborts all of its tasks (see chapter 19, \
                 'Exercise')"
            );
        }));
    }
}
