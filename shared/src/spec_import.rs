//! A spec-sheet import on the wire (`/api/v1/console/catalog/imports`): its preview (what it
//! would change), its state, and the history of a dealer's imports with who made each.

use serde::{Deserialize, Serialize};

use crate::spec_sheet::Plan;

/// Where an import stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Read and planned; nothing written yet.
    Preview,
    Confirmed,
    Undone,
}

impl ImportStatus {
    pub fn key(self) -> &'static str {
        match self {
            Self::Preview => "preview",
            Self::Confirmed => "confirmed",
            Self::Undone => "undone",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [Self::Preview, Self::Confirmed, Self::Undone]
            .into_iter()
            .find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Preview => "待确认",
            Self::Confirmed => "已导入",
            Self::Undone => "已撤销",
        }
    }
}

/// An import: its file, series, who made it and when, its state and its plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpecImport {
    pub id: i64,
    pub series_id: String,
    pub series_name: String,
    pub file_name: String,
    pub staff_name: String,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    pub status: ImportStatus,
    pub plan: Plan,
}
