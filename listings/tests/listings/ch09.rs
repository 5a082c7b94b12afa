//! Chapter 9: scoped threads.
