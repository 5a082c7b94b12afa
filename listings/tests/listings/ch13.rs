//! Chapter 13: data parallelism with rayon.
