//! Server entry.
fn main() {}
