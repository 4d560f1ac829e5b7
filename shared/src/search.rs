//! 热门搜索: what a buyer's catalogue search is recorded as (trimmed, spaces squashed, ASCII
//! lower case, at most [`RECORDED_CHARS`]), and the queries buyers searched most in the last
//! [`HOT_DAYS`] days that the dealer still sells something for.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// How far back 热门搜索 looks, and how long a search is kept.
pub const HOT_DAYS: i64 = 7;
/// How many hot searches the catalogue shows.
pub const HOT_SHOWN: usize = 8;
/// The longest query recorded: a model's name, not a sentence.
pub const RECORDED_CHARS: usize = 20;

/// `POST /api/v1/dealers/{dealer}/searches`: a search a buyer made in the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchMade {
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub q: String,
}

impl SearchMade {
    /// The query as it is counted (`Model 3` and ` model3 ` are one), or why it is not.
    pub fn normalized(&self) -> Result<String, ApiError> {
        let q: String = self
            .q
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        if q.is_empty() {
            return Err(ApiError::invalid("q", "请输入搜索内容"));
        }
        if q.chars().count() > RECORDED_CHARS {
            return Err(ApiError::invalid(
                "q",
                format!("搜索内容最多{RECORDED_CHARS}个字"),
            ));
        }
        crate::text::check_line(&q, "q", "搜索内容")?;
        Ok(q)
    }
}

/// `GET /api/v1/dealers/{dealer}/hot-searches`: most searched first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HotSearches {
    pub queries: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_counted_as_one_whatever_its_case_and_spaces() {
        let q = |text: &str| SearchMade { q: text.into() }.normalized();
        assert_eq!(q("  Model   3 ").unwrap(), "model 3");
        assert_eq!(q("秦PLUS").unwrap(), "秦plus");
        assert_eq!(q("   ").unwrap_err().field.as_deref(), Some("q"));
        assert!(q(&"秦".repeat(RECORDED_CHARS)).is_ok());
        assert!(q(&"秦".repeat(RECORDED_CHARS + 1)).is_err());
        assert!(q("qin\u{200B}").is_err());
    }
}
