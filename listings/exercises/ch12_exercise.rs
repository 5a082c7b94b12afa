//! Chapter 12 exercise: not written yet.
fn main() {}
