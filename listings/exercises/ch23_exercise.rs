//! Chapter 23 exercise: not written yet.
fn main() {}
