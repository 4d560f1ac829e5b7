//! One routed page per file; the route table is in `lib.rs`.

pub mod calculator;
pub mod compare;
pub mod home;
pub mod models;
pub mod not_found;
pub mod select;
pub mod series;
