//! Chapter 19 exercise: not written yet.
fn main() {}
