//! Chapter 11: condition variables and parking.
