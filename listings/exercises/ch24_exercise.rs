//! Chapter 24 exercise: not written yet.
fn main() {}
