//! Chapter 18 exercise: not written yet.
fn main() {}
