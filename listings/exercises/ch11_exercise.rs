//! Chapter 11 exercise: not written yet.
fn main() {}
