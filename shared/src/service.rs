//! Service bookings (保养/维修预约) on the wire: what an owner books for a car (a service slot,
//! the kind of work, a short note) checked once here for both sides, the booking as the owner
//! and as the service advisor see it, and what the advisor records at the workshop (completed
//! with the odometer read there, or no-show).

use serde::{Deserialize, Serialize};

use crate::booking::Slot;
use crate::catalog::Store;
use crate::error::ApiError;
use crate::maintenance::MAX_KM;

/// The longest note an owner leaves with a booking, in characters.
pub const NOTE_MAX_CHARS: usize = 200;

/// What the car comes in for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceWork {
    Maintenance,
    Repair,
    Inspection,
    Other,
}

impl ServiceWork {
    pub const ALL: [Self; 4] = [
        Self::Maintenance,
        Self::Repair,
        Self::Inspection,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Maintenance => "maintenance",
            Self::Repair => "repair",
            Self::Inspection => "inspection",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Maintenance => "保养",
            Self::Repair => "维修",
            Self::Inspection => "年检",
            Self::Other => "其他",
        }
    }
}

/// Where a service booking stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    Booked,
    Completed,
    NoShow,
    Cancelled,
}

impl ServiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Completed => "completed",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Booked, Self::Completed, Self::NoShow, Self::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Booked => "已预约",
            Self::Completed => "已完成",
            Self::NoShow => "未到店",
            Self::Cancelled => "已取消",
        }
    }

    /// Still to happen: it can be cancelled, moved, completed or marked no-show.
    pub fn is_open(self) -> bool {
        self == Self::Booked
    }
}

/// `POST /api/v1/dealers/{dealer}/owner/cars/{id}/service`. `work` is kept as text so a
/// wrong kind gets a Chinese message naming the field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookService {
    pub slot_id: i64,
    /// maintenance | repair | inspection | other
    pub work: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub note: String,
}

/// A booking request that passed every rule: the work and the trimmed note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidService {
    pub slot_id: i64,
    pub work: ServiceWork,
    pub note: String,
}

impl BookService {
    pub fn validate(&self) -> Result<ValidService, ApiError> {
        let work = ServiceWork::parse(self.work.trim())
            .ok_or_else(|| ApiError::invalid("work", "请选择服务类型：保养、维修、年检或其他"))?;
        let note = validate_note(&self.note)?;
        if self.slot_id <= 0 {
            return Err(ApiError::invalid("slot", "请选择预约时段"));
        }
        Ok(ValidService {
            slot_id: self.slot_id,
            work,
            note,
        })
    }
}

/// The note trimmed, at most 200 characters.
pub fn validate_note(note: &str) -> Result<String, ApiError> {
    let note = note.trim();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(ApiError::invalid(
            "note",
            format!("备注最多{NOTE_MAX_CHARS}字"),
        ));
    }
    Ok(note.to_string())
}

/// `PUT /api/v1/dealers/{dealer}/owner/service/{code}`: move to another slot of the store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceReschedule {
    pub slot_id: i64,
}

/// `GET /api/v1/dealers/{dealer}/service/stores`: the stores that take service bookings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceStores {
    pub stores: Vec<Store>,
}

/// A service booking as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceBooking {
    pub code: String,
    pub car_id: i64,
    pub plate: String,
    pub work: ServiceWork,
    pub note: String,
    pub status: ServiceStatus,
    pub store: Store,
    pub slot: Slot,
    /// The odometer read at the workshop, once completed.
    pub km: Option<i64>,
}

/// A service booking as the service advisor sees it; the owner's phone is masked unless the
/// viewer is the car's advisor, a manager or an admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffService {
    pub code: String,
    pub status: ServiceStatus,
    pub work: ServiceWork,
    pub note: String,
    pub slot: Slot,
    pub store_name: String,
    pub car_id: i64,
    pub model: String,
    pub plate: String,
    /// The highest reading so far: a completion reads at least this.
    pub odometer_km: i64,
    pub owner_name: Option<String>,
    pub owner_phone: Option<String>,
    pub advisor: Option<String>,
    pub km: Option<i64>,
}

/// `PUT /api/v1/console/service/{code}/status`: completed (with the km read at the
/// workshop) or no-show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceUpdate {
    pub status: ServiceStatus,
    #[serde(default)]
    pub km: Option<i64>,
}

/// What the advisor may record about an open booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceOutcome {
    Completed { km: i64 },
    NoShow,
}

impl ServiceUpdate {
    pub fn validate(&self) -> Result<ServiceOutcome, ApiError> {
        match (self.status, self.km) {
            (ServiceStatus::Completed, Some(km)) if (0..=MAX_KM).contains(&km) => {
                Ok(ServiceOutcome::Completed { km })
            }
            (ServiceStatus::Completed, Some(_)) => {
                Err(ApiError::invalid("km", "里程应在0到2000000公里之间"))
            }
            (ServiceStatus::Completed, None) => Err(ApiError::invalid("km", "请填写到店时的里程")),
            (ServiceStatus::NoShow, _) => Ok(ServiceOutcome::NoShow),
            (ServiceStatus::Booked | ServiceStatus::Cancelled, _) => {
                Err(ApiError::invalid("status", "只能标记为“已完成”或“未到店”"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<ValidService, ApiError>) -> Result<ValidService, String> {
        r.map_err(|e| e.field.unwrap_or_default())
    }

    #[test]
    fn a_booking_request_is_checked_field_by_field() {
        let long = "很".repeat(NOTE_MAX_CHARS + 1);
        let just = "很".repeat(NOTE_MAX_CHARS);
        let ok = |work, note: &str| {
            Ok(ValidService {
                slot_id: 7,
                work,
                note: note.into(),
            })
        };
        for (slot_id, work, note, expected) in [
            (7, "maintenance", "", ok(ServiceWork::Maintenance, "")),
            (7, " repair ", "  异响  ", ok(ServiceWork::Repair, "异响")),
            (
                7,
                "inspection",
                just.as_str(),
                ok(ServiceWork::Inspection, &just),
            ),
            (7, "other", "洗车", ok(ServiceWork::Other, "洗车")),
            (7, "wash", "", Err("work".to_string())),
            (7, "", "", Err("work".to_string())),
            (7, "Maintenance", "", Err("work".to_string())),
            (7, "maintenance", long.as_str(), Err("note".to_string())),
            (0, "maintenance", "", Err("slot".to_string())),
            (-3, "repair", "", Err("slot".to_string())),
        ] {
            let request = BookService {
                slot_id,
                work: work.into(),
                note: note.into(),
            };
            assert_eq!(field(request.validate()), expected, "{work} {note}");
        }
        let e = BookService {
            slot_id: 1,
            work: "maintenance".into(),
            note: long,
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.message, "备注最多200字");
    }

    #[test]
    fn an_advisor_records_completed_with_km_or_no_show() {
        let update = |status, km| ServiceUpdate { status, km }.validate();
        use ServiceStatus::*;
        for (status, km, expected) in [
            (
                Completed,
                Some(12_345),
                Ok(ServiceOutcome::Completed { km: 12_345 }),
            ),
            (Completed, Some(0), Ok(ServiceOutcome::Completed { km: 0 })),
            (Completed, None, Err("km")),
            (Completed, Some(-1), Err("km")),
            (Completed, Some(MAX_KM + 1), Err("km")),
            (NoShow, None, Ok(ServiceOutcome::NoShow)),
            (NoShow, Some(10), Ok(ServiceOutcome::NoShow)),
            (Booked, None, Err("status")),
            (Cancelled, None, Err("status")),
        ] {
            assert_eq!(
                update(status, km).map_err(|e| e.field.unwrap_or_default()),
                expected.map_err(String::from),
                "{status:?} {km:?}"
            );
        }
    }

    #[test]
    fn kinds_and_statuses_read_back_and_in_chinese() {
        for w in ServiceWork::ALL {
            assert_eq!(ServiceWork::parse(w.as_str()), Some(w));
        }
        assert_eq!(
            ServiceWork::ALL.map(ServiceWork::label),
            ["保养", "维修", "年检", "其他"]
        );
        for s in [
            ServiceStatus::Booked,
            ServiceStatus::Completed,
            ServiceStatus::NoShow,
            ServiceStatus::Cancelled,
        ] {
            assert_eq!(ServiceStatus::parse(s.as_str()), Some(s));
            assert_eq!(s.is_open(), s == ServiceStatus::Booked);
        }
        assert_eq!(ServiceStatus::NoShow.label(), "未到店");
    }
}
