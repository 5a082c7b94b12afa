//! Chapter 10 exercise: not written yet.
fn main() {}
