//! The domain both sides agree on: wire types for the API and the pure rules (filters,
//! comparison, purchase tax, loans, ranking) that run in the browser and on the server.

pub mod attribution;
pub mod booking;
pub mod catalog;
pub mod compare;
pub mod console;
pub mod contact;
pub mod date;
pub mod error;
pub mod filter;
pub mod link;
pub mod money;
pub mod page;
pub mod profile;
pub mod quote;
pub mod select;
pub mod slots;
pub mod tax;
pub mod theme;
pub mod wechat;

pub use error::{ApiError, ErrorBody};
