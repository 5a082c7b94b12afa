//! Chapter 2 exercise: not written yet.
fn main() {}
