//! Chapter 7: read-write locks.
