//! Chapter 16 exercise: not written yet.
fn main() {}
