//! The owner centre on the wire: a lead delivered in the console (trim, VIN, plate, dates,
//! odometer, service advisor) checked once here for both sides, the one-time binding code
//! it prints, the owner's cars with what is due, and the console's 车主 list and car detail.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::ApiError;
use crate::inspection::{InspectionDue, InspectionFacts};
use crate::maintenance::{self, MaintenanceDue, MaintenancePlan, Reading, WarrantyLeft};

/// A binding code is good for 7 days.
pub const BINDING_DAYS: i64 = 7;

/// `POST /api/v1/console/leads/{id}/delivery`: the lead bought a car and took it home.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deliver {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub trim_id: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub vin: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub plate: String,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub delivered_on: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub registered_on: String,
    /// 出厂日期, optional but asked: a car registered more than 4 years after it was made
    /// follows Art. 16 for its annual inspection.
    #[serde(default)]
    pub manufactured_on: String,
    /// Optional: the policy's end date, when known.
    #[serde(default)]
    pub insurance_ends_on: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 2000000))]
    pub odometer_km: i64,
    pub advisor_id: i64,
}

/// A delivery that passed every rule, normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub trim_id: String,
    pub vin: String,
    pub plate: String,
    pub delivered_on: Date,
    pub registered_on: Date,
    pub manufactured_on: Option<Date>,
    pub insurance_ends_on: Option<Date>,
    pub odometer_km: i64,
    pub advisor_id: i64,
}

fn date(text: &str, field: &str, name: &str) -> Result<Date, ApiError> {
    Date::parse(text).ok_or_else(|| ApiError::invalid(field, format!("请填写{name}（年-月-日）")))
}

impl Deliver {
    /// Checks every field against the rules, `today` being the day in Beijing.
    pub fn validate(&self, today: Date) -> Result<Delivery, ApiError> {
        if self.trim_id.trim().is_empty() {
            return Err(ApiError::invalid("trim_id", "请选择车型"));
        }
        let vin = crate::vin::parse(&self.vin)?;
        let (plate, _) = crate::plate::parse(&self.plate)?;
        let registered_on = date(&self.registered_on, "registered_on", "上牌日期")?;
        let delivered_on = date(&self.delivered_on, "delivered_on", "交车日期")?;
        if delivered_on > today {
            return Err(ApiError::invalid("delivered_on", "交车日期不能晚于今天"));
        }
        if registered_on > today {
            return Err(ApiError::invalid("registered_on", "上牌日期不能晚于今天"));
        }
        if delivered_on < registered_on {
            return Err(ApiError::invalid(
                "delivered_on",
                "交车日期不能早于上牌日期",
            ));
        }
        let manufactured_on = match self.manufactured_on.trim() {
            "" => None,
            text => Some(date(text, "manufactured_on", "出厂日期")?),
        };
        if let Some(made) = manufactured_on {
            if made > today {
                return Err(ApiError::invalid("manufactured_on", "出厂日期不能晚于今天"));
            }
            if made > registered_on {
                return Err(ApiError::invalid(
                    "manufactured_on",
                    "出厂日期不能晚于上牌日期",
                ));
            }
        }
        let insurance_ends_on = match self.insurance_ends_on.trim() {
            "" => None,
            text => Some(date(text, "insurance_ends_on", "保险到期日")?),
        };
        maintenance::check_reading(
            None,
            Reading {
                day: delivered_on,
                km: self.odometer_km,
            },
        )
        .map_err(|e| ApiError::invalid("odometer_km", e.message))?;
        if self.advisor_id <= 0 {
            return Err(ApiError::invalid("advisor_id", "请选择服务顾问"));
        }
        Ok(Delivery {
            trim_id: self.trim_id.trim().to_string(),
            vin,
            plate,
            delivered_on,
            registered_on,
            manufactured_on,
            insurance_ends_on,
            odometer_km: self.odometer_km,
            advisor_id: self.advisor_id,
        })
    }
}

/// A trim the delivery form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrimChoice {
    pub id: String,
    pub name: String,
}

/// `GET /api/v1/console/leads/{id}/delivery`: what the delivery form offers: the dealer's
/// trims (the lead's series first) and its service advisors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryForm {
    pub trims: Vec<TrimChoice>,
    pub advisors: Vec<crate::console::StaffRef>,
    pub today: Date,
}

/// A binding code as the console prints it: the page to open, its QR and when it expires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BindingCode {
    pub code: String,
    /// The absolute URL the QR encodes (`https://host/{dealer}/owner/bind/{code}`).
    pub url: String,
    /// The QR as an SVG document.
    pub qr_svg: String,
    /// Unix ms.
    pub expires_at: i64,
}

/// `POST /api/v1/console/leads/{id}/delivery` → 201.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivered {
    pub car_id: i64,
    pub binding: BindingCode,
}

/// `POST /api/v1/dealers/{dealer}/owner/bind`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bind {
    pub code: String,
}

/// `POST /api/v1/dealers/{dealer}/owner/cars/{id}/readings`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReading {
    /// 里程（公里），不低于上一次读数（否则 422）。
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 2000000))]
    pub km: i64,
}

/// The owner's service advisor, as their card shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Advisor {
    pub name: String,
    pub phone: String,
    pub wechat: Option<String>,
}

/// One of the owner's cars with everything due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerCar {
    pub id: i64,
    /// 比亚迪 秦PLUS 2025款 ...
    pub model: String,
    pub plate: String,
    /// Masked: `LFV2A2*****123456`.
    pub vin: String,
    pub delivered_on: Date,
    pub odometer_km: i64,
    /// The plan's source: a demo plan is marked as such.
    pub plan_demo: bool,
    pub maintenance: Option<MaintenanceDue>,
    pub inspection: InspectionDue,
    pub insurance_ends_on: Option<Date>,
    pub warranty: Option<WarrantyLeft>,
    pub advisor: Option<Advisor>,
    /// What the scheduler reminds of now, soonest first.
    #[serde(default)]
    pub reminders: Vec<crate::reminder::OwnerReminder>,
}

/// `GET /api/v1/dealers/{dealer}/owner`: the cars bound to the owner's cookie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerHome {
    pub cars: Vec<OwnerCar>,
    #[serde(default)]
    pub wechat_reminders: crate::reminder::WeChatReminders,
    /// The service bookings of these cars, the latest slot first.
    #[serde(default)]
    pub service: Vec<crate::service::ServiceBooking>,
}

/// A car in the console's 车主 list; VIN and phone masked unless the viewer is the car's
/// advisor, a manager or an admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarSummary {
    pub id: i64,
    pub lead_id: Option<i64>,
    pub model: String,
    pub plate: String,
    pub vin: String,
    pub owner_name: Option<String>,
    pub owner_phone: Option<String>,
    pub delivered_on: Date,
    pub advisor: Option<String>,
    pub bound: bool,
}

/// A binding's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BindingState {
    /// Issued, not used, not expired.
    Waiting,
    Expired,
    /// Bound to an owner now.
    Bound,
    /// Ended by a newer code.
    Ended,
}

impl BindingState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Waiting => "待绑定",
            Self::Expired => "已过期",
            Self::Bound => "已绑定",
            Self::Ended => "已解除",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BindingRow {
    pub state: BindingState,
    pub issued_at: i64,
    pub issued_by: Option<String>,
    pub expires_at: i64,
    pub bound_at: Option<i64>,
    pub ended_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadingRow {
    pub day: Date,
    pub km: i64,
    /// 车主 | 交车 | a staff member's name.
    pub by: String,
    pub plausible: bool,
}

/// `GET /api/v1/console/cars/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarDetail {
    pub car: CarSummary,
    pub registered_on: Date,
    pub insurance_ends_on: Option<Date>,
    pub odometer_km: i64,
    /// The manufacture date and the marks that decide the inspection cycle.
    #[serde(default)]
    pub inspection_facts: InspectionFacts,
    /// The next annual inspection by those facts.
    #[serde(default)]
    pub inspection: Option<InspectionDue>,
    pub bindings: Vec<BindingRow>,
    /// Every reminder of the car, newest first.
    #[serde(default)]
    pub reminders: Vec<crate::reminder::ReminderTask>,
    /// The car's service visits, the latest slot first.
    #[serde(default)]
    pub service: Vec<crate::service::ServiceBooking>,
    /// The answers to its service visits' surveys, newest first.
    #[serde(default)]
    pub surveys: Vec<crate::survey::CarSurvey>,
    /// The points ledger of the owner it is bound to now (empty when unbound), newest first.
    #[serde(default)]
    pub points: Vec<crate::loyalty::PointsEntry>,
    pub readings: Vec<ReadingRow>,
    /// The code waiting to be scanned, to print again (only for who may issue one).
    pub waiting: Option<BindingCode>,
}

/// `PUT /api/v1/console/cars/{id}/inspection`: staff mark an accident with casualties or a
/// penalty for illegal modification (or take a mark back).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionMarks {
    pub casualty_accident: bool,
    pub modification_penalty: bool,
}

/// A series' maintenance plan as the console edits it (`PUT
/// /api/v1/console/maintenance-plans/{series}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanRow {
    pub series_id: String,
    pub series: String,
    pub plan: MaintenancePlan,
    pub demo: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Deliver {
        Deliver {
            trim_id: "byd-qin-plus-dmi-55".into(),
            vin: "lvsfcfme37f107967".into(),
            plate: "粤b·d12345".into(),
            delivered_on: "2026-03-02".into(),
            registered_on: "2026-03-01".into(),
            manufactured_on: "2026-01-15".into(),
            insurance_ends_on: String::new(),
            odometer_km: 12,
            advisor_id: 7,
        }
    }

    #[test]
    fn a_good_delivery_is_normalised() {
        let d = good().validate(Date::new(2026, 3, 2)).unwrap();
        assert_eq!(d.vin, "LVSFCFME37F107967");
        assert_eq!(d.plate, "粤BD12345");
        assert_eq!(d.insurance_ends_on, None);
        assert_eq!(d.manufactured_on, Some(Date::new(2026, 1, 15)));
        // The manufacture date is optional.
        let unknown = Deliver {
            manufactured_on: " ".into(),
            ..good()
        };
        assert_eq!(
            unknown
                .validate(Date::new(2026, 3, 2))
                .unwrap()
                .manufactured_on,
            None
        );
    }

    #[test]
    fn a_manufacture_date_is_a_date_not_after_registration_nor_today() {
        let today = Date::new(2026, 3, 2);
        for (made, message) in [
            ("2026-13-01", "请填写出厂日期（年-月-日）"),
            ("2026-03-02", "出厂日期不能晚于上牌日期"),
            ("2026-03-03", "出厂日期不能晚于今天"),
        ] {
            let e = Deliver {
                manufactured_on: made.into(),
                ..good()
            }
            .validate(today)
            .unwrap_err();
            assert_eq!(e.field.as_deref(), Some("manufactured_on"), "{made}");
            assert_eq!(e.message, message, "{made}");
        }
        // On the day of registration is fine.
        let same_day = Deliver {
            manufactured_on: "2026-03-01".into(),
            ..good()
        };
        assert!(same_day.validate(today).is_ok());
    }

    #[test]
    fn bad_deliveries_name_their_field() {
        let today = Date::new(2026, 3, 2);
        let cases: [(Deliver, &str, &str); 9] = [
            (
                Deliver {
                    trim_id: " ".into(),
                    ..good()
                },
                "trim_id",
                "请选择车型",
            ),
            (
                Deliver {
                    vin: "LVSFCFME37F107968".into(),
                    ..good()
                },
                "vin",
                "车架号校验位（第9位）不正确，请逐位核对",
            ),
            (
                Deliver {
                    plate: "京A1234".into(),
                    ..good()
                },
                "plate",
                "车牌号应为7位（新能源8位），如“京A12345”",
            ),
            (
                Deliver {
                    delivered_on: "2026-03-03".into(),
                    ..good()
                },
                "delivered_on",
                "交车日期不能晚于今天",
            ),
            (
                Deliver {
                    registered_on: "2026-03-03".into(),
                    delivered_on: "2026-03-02".into(),
                    ..good()
                },
                "registered_on",
                "上牌日期不能晚于今天",
            ),
            (
                Deliver {
                    registered_on: "2026-03-02".into(),
                    delivered_on: "2026-03-01".into(),
                    ..good()
                },
                "delivered_on",
                "交车日期不能早于上牌日期",
            ),
            (
                Deliver {
                    registered_on: "2026-02-30".into(),
                    ..good()
                },
                "registered_on",
                "请填写上牌日期（年-月-日）",
            ),
            (
                Deliver {
                    odometer_km: -5,
                    ..good()
                },
                "odometer_km",
                "里程应在0到2000000公里之间",
            ),
            (
                Deliver {
                    advisor_id: 0,
                    ..good()
                },
                "advisor_id",
                "请选择服务顾问",
            ),
        ];
        for (deliver, field, message) in cases {
            let error = deliver.validate(today).unwrap_err();
            assert_eq!(
                (error.field.as_deref(), error.message.as_str()),
                (Some(field), message)
            );
        }
    }
}
