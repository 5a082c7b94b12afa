//! Chapter 4 exercise: not written yet.
fn main() {}
