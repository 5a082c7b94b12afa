//! Chapter 19: a lock-free stack, verified.
