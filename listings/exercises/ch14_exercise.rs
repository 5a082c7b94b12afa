//! Chapter 14 exercise: not written yet.
fn main() {}
