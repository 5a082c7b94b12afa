//! Chapter 22: actors.
