//! Chapter 21 exercise: not written yet.
fn main() {}
