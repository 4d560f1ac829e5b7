//! Reusable views. They take data and callbacks; they never fetch.

pub mod consultant_card;
pub mod contact_fields;
pub mod enquiry_sheet;
pub mod field_error;
pub mod filter_chips;
pub mod lazy_page;
pub mod offer_list;
pub mod price_tag;
pub mod series_card;
pub mod share_button;
pub mod silhouette;
pub mod slot_picker;
pub mod status;
pub mod store_card;
pub mod tab_bar;
pub mod trim_actions;
