//! Runs every listing binary and checks what its chapter claims about it.
//!
//! Output from threads interleaves differently on every run, so these tests check invariants
//! (which lines appear, how often, what the program returned), never the order of lines from
//! different threads.

mod support;

mod ch01;
