//! Chapter 15 exercise: not written yet.
fn main() {}
