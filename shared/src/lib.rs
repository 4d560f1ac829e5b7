//! The domain both sides agree on: wire types for the API and the pure rules (filters,
//! comparison, purchase tax, loans, ranking, VIN and plates, inspection and
//! maintenance schedules, reminder caps) that run in the browser and on the server.

pub mod activity;
pub mod attribution;
pub mod booking;
pub mod catalog;
pub mod catalog_edit;
pub mod compare;
pub mod console;
pub mod contact;
pub mod date;
pub mod dealer;
pub mod derive;
pub mod error;
pub mod filter;
pub mod glossary;
pub mod hand_over;
pub mod inspection;
pub mod link;
pub mod loyalty;
pub mod maintenance;
pub mod money;
pub mod offer;
pub mod owner;
pub mod page;
pub mod photo;
pub mod plate;
pub mod profile;
pub mod proof;
pub mod quote;
pub mod reminder;
pub mod search;
pub mod select;
pub mod service;
pub mod settings;
pub mod slots;
pub mod spec_import;
pub mod spec_sheet;
pub mod staff;
pub mod survey;
pub mod tax;
pub mod text;
pub mod theme;
pub mod vin;
pub mod wechat;

pub use error::{ApiError, ErrorBody};
