//! Chapter 21: divide and conquer.
