//! Chapter 9 exercise: not written yet.
fn main() {}
