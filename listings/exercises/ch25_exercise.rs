//! Chapter 25 exercise: not written yet.
fn main() {}
