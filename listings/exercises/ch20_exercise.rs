//! Chapter 20 exercise: not written yet.
fn main() {}
