//! Chapter 5 exercise: not written yet.
fn main() {}
