//! Chapter 18: locks in async code.
