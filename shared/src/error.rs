//! The one error body every API rejection carries: `{"error":{"code","message","field"}}`.

use serde::{Deserialize, Serialize};

/// A rejection the user can act on: a machine code, a Chinese message, and the input field
/// it is about (if any).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

/// The JSON envelope of an [`ApiError`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiError,
}

impl ApiError {
    /// An input that fails a rule: `code` is `invalid`, the message names what is wrong.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: "invalid".into(),
            message: message.into(),
            field: Some(field.into()),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
