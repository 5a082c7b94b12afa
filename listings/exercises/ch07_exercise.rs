//! Chapter 7 exercise: not written yet.
fn main() {}
