//! Chapter 26 exercise: not written yet.
fn main() {}
