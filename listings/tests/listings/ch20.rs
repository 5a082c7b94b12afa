//! Chapter 20: preventing deadlocks.
