//! Chapter 8 exercise: not written yet.
fn main() {}
