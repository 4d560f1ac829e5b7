//! 离职继承 (hand-over): what a departing staff member holds, who may succeed whom (the rule
//! the console's picker and the server both apply), and what a hand-over moved.

use serde::{Deserialize, Serialize};

use crate::console::Role;
use crate::error::ApiError;

/// `POST /api/v1/console/staff/{id}/hand-over`: the colleague who takes over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandOver {
    /// 接手同事的员工编号
    pub to: i64,
}

/// What a staff member holds that a hand-over moves: open leads, upcoming test drives of
/// those leads, owners they look after as service advisor, upcoming service visits of those
/// owners' cars, and share links (their QR posters and clicks go with them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holdings {
    pub leads: i64,
    pub bookings: i64,
    pub owners: i64,
    pub service_visits: i64,
    pub links: i64,
}

impl Holdings {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The counts as a line: "3 条线索、1 个预约…", or "没有需要交接的内容".
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [
            (self.leads, "条跟进中的线索"),
            (self.bookings, "个待到店试驾"),
            (self.owners, "位车主"),
            (self.service_visits, "个待到店保养维修"),
            (self.links, "个分享链接"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            "没有需要交接的内容".into()
        } else {
            parts.join("、")
        }
    }
}

/// A staff member on the 离职继承 page: who, whether still active, whom they were handed to,
/// and what they hold now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandOverPerson {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// The colleague they were handed over to, once they were.
    pub successor: Option<String>,
    pub holds: Holdings,
}

impl HandOverPerson {
    /// Whether this person may take over `from`'s customers (`check_successor`).
    pub fn can_succeed(&self, from: &HandOverPerson) -> bool {
        check_successor(from.id, from.role, self).is_ok()
    }
}

/// `GET /api/v1/console/hand-over`: the dealer's staff, departed first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandOverBoard {
    pub staff: Vec<HandOverPerson>,
}

/// The answer to a hand-over: who to whom, and what moved (all zero when run again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandedOver {
    pub from: String,
    pub to: String,
    pub moved: Holdings,
}

/// The role that takes over what a `from` holds: a service advisor's owners go to a service
/// advisor; leads and links (everyone else's) to a consultant, the only role leads go to.
pub fn successor_role(from: Role) -> Role {
    match from {
        Role::ServiceAdvisor => Role::ServiceAdvisor,
        Role::Consultant | Role::Manager | Role::Admin => Role::Consultant,
    }
}

/// Whether `to` may take over what staff member `from_id` (of role `from_role`) holds: not
/// themselves, an active colleague not handed over already, of the role that takes it
/// (`successor_role`). Every refusal names the field `to`.
pub fn check_successor(from_id: i64, from_role: Role, to: &HandOverPerson) -> Result<(), ApiError> {
    if to.id == from_id {
        return Err(ApiError::invalid("to", "不能交接给本人，请选择另一位同事"));
    }
    if !to.active || to.successor.is_some() {
        return Err(ApiError::invalid(
            "to",
            format!("{}已停用或已离职，请选择在职的同事", to.name),
        ));
    }
    let role = successor_role(from_role);
    if to.role != role {
        return Err(ApiError::invalid(
            "to",
            format!(
                "{}是{}，不能接手{}的客户，请选择一位{}",
                to.name,
                to.role.label(),
                from_role.label(),
                role.label()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, role: Role, active: bool, successor: Option<&str>) -> HandOverPerson {
        HandOverPerson {
            id,
            name: format!("员工{id}"),
            role,
            active,
            successor: successor.map(str::to_string),
            holds: Holdings::default(),
        }
    }

    #[test]
    fn only_an_active_colleague_of_the_taking_role_succeeds() {
        use Role::*;
        let table = [
            (1, Consultant, person(2, Consultant, true, None), true),
            (1, Consultant, person(1, Consultant, true, None), false),
            (1, Consultant, person(2, Consultant, false, None), false),
            (
                1,
                Consultant,
                person(2, Consultant, true, Some("员工3")),
                false,
            ),
            (1, Consultant, person(2, Manager, true, None), false),
            (1, Consultant, person(2, ServiceAdvisor, true, None), false),
            (
                1,
                ServiceAdvisor,
                person(2, ServiceAdvisor, true, None),
                true,
            ),
            (1, ServiceAdvisor, person(2, Consultant, true, None), false),
            (1, Manager, person(2, Consultant, true, None), true),
            (1, Admin, person(2, Admin, true, None), false),
        ];
        for (from, role, to, ok) in table {
            let result = check_successor(from, role, &to);
            assert_eq!(result.is_ok(), ok, "{role:?} → {to:?}: {result:?}");
            if let Err(e) = result {
                assert_eq!(e.field.as_deref(), Some("to"));
            }
        }
    }

    #[test]
    fn holdings_read_as_a_line_without_zeros() {
        let holds = Holdings {
            leads: 3,
            bookings: 1,
            owners: 0,
            service_visits: 0,
            links: 2,
        };
        assert_eq!(
            holds.summary(),
            "3 条跟进中的线索、1 个待到店试驾、2 个分享链接"
        );
        assert_eq!(Holdings::default().summary(), "没有需要交接的内容");
    }
}
