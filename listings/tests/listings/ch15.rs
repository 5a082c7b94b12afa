//! Chapter 15: spawning tasks with tokio.
