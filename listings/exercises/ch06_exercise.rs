//! Chapter 6 exercise: not written yet.
fn main() {}
