//! Chapter 18, listing 4: graceful shutdown of a whole server: a signal, a token every handler
//! sees, a tracker that waits for every handler, and a deadline after which the rest are stopped.
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::select;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{sleep, timeout};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

// ANCHOR: request
/// A request, as a connection would bring it: some work to do, and where the answer goes.
pub struct Request {
    pub work: Duration,
    /// Whether the handler watches the shutdown token while it works.
    pub cooperative: bool,
    pub reply: oneshot::Sender<Outcome>,
}

#[derive(Debug, PartialEq)]
pub enum Outcome {
    Done,
    /// Cut short because the server is shutting down (a real handler would save its state).
    StoppedEarly,
    /// Still in the queue when the server stopped accepting.
    Refused,
}

async fn handle(request: Request, finish_up: CancellationToken) {
    let outcome = if request.cooperative {
        select! {
            () = sleep(request.work) => Outcome::Done,
            () = finish_up.cancelled() => Outcome::StoppedEarly,
        }
    } else {
        sleep(request.work).await; // does not look at the token
        Outcome::Done
    };
    let _ = request.reply.send(outcome); // the client may have gone; that is fine
}
// ANCHOR_END: request

/// How the requests the server saw ended.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    pub accepted: usize,
    /// Handlers that ran to the end, with an answer sent.
    pub finished: usize,
    /// Handlers still running at the deadline, and stopped there.
    pub stopped: usize,
    /// Requests still queued when the server stopped accepting.
    pub refused: usize,
}

// ANCHOR: serve
/// Serves `incoming` until `signal` completes. Then: stop accepting, refuse what is queued,
/// ask every handler to finish up, wait up to `grace` for them, and stop the rest.
pub async fn serve(
    mut incoming: mpsc::Receiver<Request>,
    signal: impl Future<Output = ()>,
    grace: Duration,
) -> Report {
    let finish_up = CancellationToken::new(); // "please finish": handlers may watch it
    let stop_now = CancellationToken::new(); // the deadline has passed
    let handlers = TaskTracker::new();
    let stopped = Arc::new(AtomicUsize::new(0));
    let mut report = Report::default();
    tokio::pin!(signal);

    // 1. Serve until the signal.
    loop {
        select! {
            biased;
            () = &mut signal => break,
            request = incoming.recv() => match request {
                Some(request) => {
                    report.accepted += 1;
                    let finish_up = finish_up.clone();
                    let stop_now = stop_now.clone();
                    let stopped = Arc::clone(&stopped);
                    handlers.spawn(async move {
                        select! {
                            () = handle(request, finish_up) => {}
                            // Drops the handler where it waits, with its reply sender.
                            () = stop_now.cancelled() => {
                                stopped.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    });
                }
                None => break,
            },
        }
    }

    // 2. Stop accepting. What is still queued gets an answer, rather than silence.
    incoming.close();
    while let Some(request) = incoming.recv().await {
        let _ = request.reply.send(Outcome::Refused);
        report.refused += 1;
    }

    // 3. Ask every handler to finish up, and give them `grace`. `wait` completes once the
    //    tracker is closed and every task it tracks is gone.
    handlers.close();
    finish_up.cancel();
    if timeout(grace, handlers.wait()).await.is_err() {
        // 4. Out of time: stop the rest, and wait until they are gone.
        stop_now.cancel();
        handlers.wait().await;
    }
    report.stopped = stopped.load(Ordering::Relaxed);
    report.finished = report.accepted - report.stopped;
    report
}
// ANCHOR_END: serve

// ANCHOR: main
// One thread, so that the server surely accepts all three requests before the signal.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (tx, incoming) = mpsc::channel(16);
    // A real server waits for Ctrl-C alone. This one also stops by itself after 5 ms, and the
    // tests pass `serve` a signal of their own.
    let signal = async {
        select! {
            result = tokio::signal::ctrl_c() => result.expect("no Ctrl-C handler"),
            () = sleep(Duration::from_millis(5)) => {}
        }
    };
    let server = tokio::spawn(serve(incoming, signal, Duration::from_millis(20)));

    let mut answers = Vec::new();
    let hour = Duration::from_secs(3600);
    for (work, cooperative) in [
        (Duration::from_millis(1), false),
        (hour, true),
        (hour, false),
    ] {
        let (reply, answer) = oneshot::channel();
        let request = Request {
            work,
            cooperative,
            reply,
        };
        tx.send(request).await.unwrap();
        answers.push(answer);
    }
    let report = server.await.unwrap();
    println!("{report:?}");
    let expected = Report {
        accepted: 3,
        finished: 2,
        stopped: 1,
        refused: 0,
    };
    assert_eq!(report, expected);

    // No handler outlived the server: each one either sent its answer, or was dropped with
    // its reply sender. (`Empty` would mean a handler still holding its sender.)
    let mut answered = 0;
    for mut answer in answers {
        match answer.try_recv() {
            Ok(_) => answered += 1,
            Err(oneshot::error::TryRecvError::Closed) => {} // stopped: the client sees an error
            Err(oneshot::error::TryRecvError::Empty) => panic!("a handler is still running"),
        }
    }
    assert_eq!(
        answered, 2,
        "the stopped handler's client sees its reply channel close"
    );
    println!("every request answered or stopped; no handler outlived the shutdown");
}
// ANCHOR_END: main
