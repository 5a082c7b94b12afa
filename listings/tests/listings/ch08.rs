//! Chapter 8: barriers.
