//! Consumer entry.
fn main() {}
