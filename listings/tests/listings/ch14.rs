//! Chapter 14: futures by hand.
