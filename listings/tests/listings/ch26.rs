//! Chapter 26: testing concurrent code.
