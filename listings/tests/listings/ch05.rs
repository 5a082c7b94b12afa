//! Chapter 5: bounded channels and backpressure.
