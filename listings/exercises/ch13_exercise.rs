//! Chapter 13 exercise: not written yet.
fn main() {}
