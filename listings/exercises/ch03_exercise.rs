//! Chapter 3 exercise: not written yet.
fn main() {}
