//! Chapter 4: shared state with arc and mutex.
