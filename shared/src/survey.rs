//! The one-screen satisfaction survey after a visit (a completed test drive or service): the
//! score 0–10, the fixed tags, an optional comment of at most 300 characters, checked here
//! for both sides; the visits a person may answer for; and the manager's follow-up of a low
//! score.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// The tags a person may pick, in the order they are shown.
pub const TAGS: [&str; 8] = [
    "服务热情",
    "讲解专业",
    "车况良好",
    "价格透明",
    "环境整洁",
    "等待太久",
    "讲解不清",
    "推销过度",
];
/// The most characters a comment may have.
pub const MAX_COMMENT: usize = 300;
/// The highest score.
pub const MAX_SCORE: i64 = 10;
/// A score at or below this opens a follow-up task for the managers.
pub const FOLLOW_UP_AT_MOST: i64 = 6;

/// What was visited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VisitKind {
    TestDrive,
    Service,
}

impl VisitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TestDrive => "test_drive",
            Self::Service => "service",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "test_drive" => Some(Self::TestDrive),
            "service" => Some(Self::Service),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::TestDrive => "试驾",
            Self::Service => "保养维修",
        }
    }
}

/// `POST /api/v1/dealers/{dealer}/surveys`: the answer for one visit (the booking's code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyAnswer {
    pub kind: VisitKind,
    /// The booking code of the test drive or service.
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub score: i64,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub comment: String,
}

/// An answer that passed every rule: tags in the order of [`TAGS`], the comment trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub kind: VisitKind,
    pub score: i64,
    pub tags: Vec<&'static str>,
    pub comment: String,
}

impl Answer {
    /// The tags as stored: joined by `,`.
    pub fn tags_text(&self) -> String {
        self.tags.join(",")
    }

    /// Whether a manager should call the person back.
    pub fn needs_follow_up(&self) -> bool {
        self.score <= FOLLOW_UP_AT_MOST
    }
}

impl SurveyAnswer {
    pub fn validate(&self) -> Result<Answer, ApiError> {
        if !(0..=MAX_SCORE).contains(&self.score) {
            return Err(ApiError::invalid("score", "请打0到10分"));
        }
        let mut tags = Vec::new();
        for tag in &self.tags {
            let Some(known) = TAGS.iter().find(|t| **t == tag.trim()) else {
                return Err(ApiError::invalid("tags", "请从给出的标签中选择"));
            };
            if tags.contains(known) {
                return Err(ApiError::invalid("tags", "同一标签只能选一次"));
            }
            tags.push(*known);
        }
        tags.sort_by_key(|t| TAGS.iter().position(|k| k == t));
        let comment = self.comment.trim();
        if comment.chars().count() > MAX_COMMENT {
            return Err(ApiError::invalid(
                "comment",
                format!("留言最多{MAX_COMMENT}字"),
            ));
        }
        Ok(Answer {
            kind: self.kind,
            score: self.score,
            tags,
            comment: comment.to_string(),
        })
    }
}

/// A visit the person may answer for (or already did).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyVisit {
    pub kind: VisitKind,
    pub code: String,
    /// What and where, e.g. `比亚迪 秦PLUS 试驾 · 城东店`.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// The score given, once answered.
    pub answered: Option<i64>,
}

/// `GET /api/v1/dealers/{dealer}/surveys`: the completed visits of the visitor (by the phone
/// their cookie remembers) and of the owner (by the owner cookie), newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyVisits {
    pub visits: Vec<SurveyVisit>,
}

/// `POST .../surveys` answered: what was kept and the points it earned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyThanks {
    pub points: i64,
}

/// A low score for a manager to follow up (on 今日).
/// A service visit's answer, as the car's page in the console shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarSurvey {
    /// The service booking's code.
    pub code: String,
    pub score: i64,
    pub tags: Vec<String>,
    pub comment: String,
    /// Unix milliseconds.
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyFollowUp {
    pub id: i64,
    pub kind: VisitKind,
    pub code: String,
    /// Who answered (the booking's name) and their phone, for the manager to call.
    pub name: String,
    pub phone: String,
    pub score: i64,
    pub tags: Vec<String>,
    pub comment: String,
    /// Unix milliseconds.
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(score: i64, tags: &[&str], comment: &str) -> SurveyAnswer {
        SurveyAnswer {
            kind: VisitKind::TestDrive,
            code: "ABCDEFGHJK".into(),
            score,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            comment: comment.into(),
        }
    }

    #[test]
    fn answers_are_checked_field_by_field() {
        let long = "好".repeat(MAX_COMMENT + 1);
        let just = "好".repeat(MAX_COMMENT);
        for (case, field) in [
            (answer(0, &[], ""), None),
            (answer(10, &["环境整洁", "服务热情"], " 很好 "), None),
            (answer(8, &[], &just), None),
            (answer(-1, &[], ""), Some("score")),
            (answer(11, &[], ""), Some("score")),
            (answer(9, &["很好"], ""), Some("tags")),
            (answer(9, &["服务热情", "服务热情"], ""), Some("tags")),
            (answer(9, &[], &long), Some("comment")),
        ] {
            let got = case.validate();
            assert_eq!(
                got.as_ref().err().and_then(|e| e.field.as_deref()),
                field,
                "{case:?}: {got:?}"
            );
        }
    }

    #[test]
    fn tags_keep_the_list_order_and_low_scores_need_a_follow_up() {
        let a = answer(6, &["环境整洁", "服务热情"], " 还行 ")
            .validate()
            .unwrap();
        assert_eq!(a.tags_text(), "服务热情,环境整洁");
        assert_eq!(a.comment, "还行");
        for (score, follow) in [(0, true), (6, true), (7, false), (10, false)] {
            assert_eq!(
                answer(score, &[], "").validate().unwrap().needs_follow_up(),
                follow
            );
        }
    }
}
