//! Test helpers crate (tests live in api/ and e2e/).
