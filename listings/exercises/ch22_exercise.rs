//! Chapter 22 exercise: not written yet.
fn main() {}
