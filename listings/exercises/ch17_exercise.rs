//! Chapter 17 exercise: not written yet.
fn main() {}
