//! Chapter 10: thread-local storage.
