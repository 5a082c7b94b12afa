//! Chapter 24: thread pools.
