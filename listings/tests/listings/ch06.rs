//! Chapter 6: atomics and memory ordering.
