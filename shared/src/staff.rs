//! Staff accounts on the wire and their rules, for the 员工 page and the server alike: the
//! login's shape, a password's length, which roles a role may grant, adding and changing a
//! staff member, the one-time sign-in link that lets someone set their own password, and the
//! audit log of every change (before → after).

use serde::{Deserialize, Serialize};

use crate::console::Role;
use crate::error::ApiError;

/// A login's length, in characters.
pub const LOGIN_MIN: usize = 3;
pub const LOGIN_MAX: usize = 32;

/// The longest password, in characters (argon2 takes any length; a megabyte would only cost).
pub const PASSWORD_MAX_CHARS: usize = 128;

/// 账号: 3–32 lower-case letters, digits, `-`, `_` or `.`, starting with a letter
/// (`demo-admin`, `li.na`); upper case is folded, spaces around are dropped.
pub fn validate_login(input: &str) -> Result<String, ApiError> {
    let login = input.trim().to_ascii_lowercase();
    if login.is_empty() {
        return Err(ApiError::invalid("login", "请填写登录账号"));
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c);
    let shape = (LOGIN_MIN..=LOGIN_MAX).contains(&login.len())
        && login.starts_with(|c: char| c.is_ascii_lowercase())
        && login.chars().all(allowed);
    if !shape {
        return Err(ApiError::invalid(
            "login",
            "登录账号为3到32位小写字母、数字或 - _ .，以字母开头",
        ));
    }
    Ok(login)
}

/// A new password: 10 to 128 characters (the error names `field`).
pub fn check_password(password: &str, field: &str) -> Result<(), ApiError> {
    let chars = password.chars().count();
    if !(crate::console::PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&chars) {
        return Err(ApiError::invalid(
            field,
            format!(
                "密码须为{}到{PASSWORD_MAX_CHARS}个字符",
                crate::console::PASSWORD_MIN_CHARS
            ),
        ));
    }
    Ok(())
}

impl Role {
    /// Every role, most powerful last.
    pub const ALL: [Role; 4] = [
        Role::ServiceAdvisor,
        Role::Consultant,
        Role::Manager,
        Role::Admin,
    ];

    /// Whether someone with this role may give `role` to a colleague, or change, reset or
    /// disable a colleague who has it: an admin anyone, a manager consultants and service
    /// advisors only, nobody else anyone.
    pub fn may_grant(self, role: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::Manager => matches!(role, Role::Consultant | Role::ServiceAdvisor),
            Role::Consultant | Role::ServiceAdvisor => false,
        }
    }
}

/// `POST /api/v1/console/staff`: a new staff member, who gets a one-time sign-in link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStaff {
    /// 姓名, unique within the dealer.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20))]
    pub name: String,
    /// 登录账号, unique across the installation.
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 32))]
    pub login: String,
    pub role: Role,
    /// The stores they work at (consultants and service advisors; managers see every store).
    #[serde(default)]
    pub store_ids: Vec<i64>,
    /// 工作电话: a mobile, a landline with its area code, or a 400/800 number.
    pub phone: String,
    /// 微信号 (optional).
    #[serde(default)]
    pub wechat: Option<String>,
}

impl NewStaff {
    /// The request as stored (trimmed, the login folded, the phone as digits), or the first
    /// broken rule with its field.
    pub fn validate(&self) -> Result<NewStaff, ApiError> {
        Ok(NewStaff {
            name: crate::contact::validate_name(&self.name)?,
            login: validate_login(&self.login)?,
            role: self.role,
            store_ids: distinct(&self.store_ids),
            phone: crate::profile::validate_work_phone(&self.phone)?,
            wechat: crate::profile::validate_wechat(self.wechat.as_deref().unwrap_or_default())?,
        })
    }
}

/// `PUT /api/v1/console/staff/{id}`: a staff member's role and stores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffChange {
    pub role: Role,
    #[serde(default)]
    pub store_ids: Vec<i64>,
}

/// Each id once, in the order first given.
fn distinct(ids: &[i64]) -> Vec<i64> {
    let mut seen = Vec::with_capacity(ids.len());
    for &id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen
}

impl StaffChange {
    /// The same change with each store once.
    pub fn cleaned(&self) -> StaffChange {
        StaffChange {
            role: self.role,
            store_ids: distinct(&self.store_ids),
        }
    }
}

/// A staff member as the 员工 page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub login: String,
    pub role: Role,
    pub store_ids: Vec<i64>,
    pub phone: String,
    pub wechat: Option<String>,
    /// `false` once disabled (停用): sessions ended, sign-in refused.
    pub active: bool,
    /// When they were disabled (Unix milliseconds).
    pub disabled_at: Option<i64>,
    /// Whether they have set a password (signed in through their link) yet.
    pub has_password: bool,
}

/// A one-time sign-in link: opened once within 24 hours, it lets its staff member set their
/// own password and signs them in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInLink {
    /// The whole link to send them (`https://…/console/welcome/{token}`).
    pub url: String,
    /// Unix milliseconds after which it no longer opens.
    pub expires_at: i64,
    /// The link's QR code, an SVG document, for the person standing beside the admin.
    pub qr_svg: String,
}

/// `POST /api/v1/console/staff` (201): who was added and their link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAdded {
    pub member: StaffMember,
    pub link: SignInLink,
}

/// `GET /api/v1/console/sign-in-links/{token}`: whom an unused link is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub name: String,
    pub login: String,
    pub dealer_name: String,
    pub expires_at: i64,
}

/// `POST /api/v1/console/sign-in-links/{token}`: the password the person chooses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetPassword {
    /// 10 to 128 characters (else 422 on `password`).
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub password: String,
}

impl SetPassword {
    pub fn validate(&self) -> Result<(), ApiError> {
        check_password(&self.password, "password")
    }
}

/// What an audit entry records was done to a staff member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Added (by a colleague, or as a dealer's first admin from the command line).
    Added,
    /// Role or stores changed.
    Changed,
    /// Disabled: sessions ended, sign-in refused.
    Disabled,
    /// A new one-time sign-in link (a password reset): every session ended.
    LinkIssued,
    /// Their password set through a one-time link.
    PasswordSet,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Changed => "changed",
            Self::Disabled => "disabled",
            Self::LinkIssued => "link_issued",
            Self::PasswordSet => "password_set",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Added,
            Self::Changed,
            Self::Disabled,
            Self::LinkIssued,
            Self::PasswordSet,
        ]
        .into_iter()
        .find(|a| a.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Added => "添加员工",
            Self::Changed => "修改角色或门店",
            Self::Disabled => "停用",
            Self::LinkIssued => "重置密码（发放一次性登录链接）",
            Self::PasswordSet => "通过链接设置密码",
        }
    }
}

/// A staff member as an audit entry saw them, before or after a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSnapshot {
    pub name: String,
    pub login: String,
    pub role: Role,
    pub store_ids: Vec<i64>,
    pub active: bool,
}

/// `GET /api/v1/console/staff/audit` (admins): one change to a staff member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// Unix milliseconds.
    pub at: i64,
    /// Who did it; `None`: the operator, from the server's command line.
    pub actor: Option<String>,
    pub staff_id: i64,
    pub staff_name: String,
    pub action: AuditAction,
    pub before: Option<StaffSnapshot>,
    pub after: Option<StaffSnapshot>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_short_plain_lower_case_names() {
        for (input, out) in [
            ("demo-admin", Some("demo-admin")),
            (" Li.Na ", Some("li.na")),
            ("wang_2", Some("wang_2")),
            ("ab", None),
            ("2wang", None),
            ("-wang", None),
            ("wang lei", None),
            ("王磊", None),
            ("", None),
            (&"a".repeat(33), None),
        ] {
            assert_eq!(validate_login(input).ok().as_deref(), out, "{input:?}");
        }
        assert_eq!(
            validate_login("x").unwrap_err().field.as_deref(),
            Some("login")
        );
    }

    #[test]
    fn a_manager_grants_only_the_roles_below_them() {
        use Role::*;
        let table = [
            (Admin, [true, true, true, true]),
            (Manager, [true, true, false, false]),
            (Consultant, [false; 4]),
            (ServiceAdvisor, [false; 4]),
        ];
        for (granter, may) in table {
            for (role, allowed) in Role::ALL.into_iter().zip(may) {
                assert_eq!(granter.may_grant(role), allowed, "{granter:?} → {role:?}");
            }
        }
    }

    #[test]
    fn a_new_staff_member_is_cleaned_and_each_rule_names_its_field() {
        let good = NewStaff {
            name: " 王小明 ".into(),
            login: "Wang.XM".into(),
            role: Role::Consultant,
            store_ids: vec![3, 1, 3],
            phone: "138 0013 8000".into(),
            wechat: Some(" ".into()),
        };
        let clean = good.validate().unwrap();
        assert_eq!(clean.name, "王小明");
        assert_eq!(clean.login, "wang.xm");
        assert_eq!(clean.store_ids, vec![3, 1]);
        assert_eq!(clean.phone, "13800138000");
        assert_eq!(clean.wechat, None);
        let field = |change: fn(&mut NewStaff)| {
            let mut bad = good.clone();
            change(&mut bad);
            bad.validate().unwrap_err().field
        };
        assert_eq!(field(|s| s.name = String::new()).as_deref(), Some("name"));
        assert_eq!(field(|s| s.login = "x y".into()).as_deref(), Some("login"));
        assert_eq!(field(|s| s.phone = "123".into()).as_deref(), Some("phone"));
        assert_eq!(
            field(|s| s.wechat = Some("1abc".into())).as_deref(),
            Some("wechat")
        );
    }

    #[test]
    fn a_password_is_ten_to_a_hundred_and_twenty_eight_characters() {
        let ok = |p: &str| SetPassword { password: p.into() }.validate().is_ok();
        assert!(!ok("short"));
        assert!(!ok("九个字符的密码啊啊"));
        assert!(ok("十个字符的密码啊啊啊"));
        assert!(ok(&"x".repeat(128)));
        assert!(!ok(&"x".repeat(129)));
    }

    #[test]
    fn audit_actions_read_back_as_written() {
        for a in [
            AuditAction::Added,
            AuditAction::Changed,
            AuditAction::Disabled,
            AuditAction::LinkIssued,
            AuditAction::PasswordSet,
        ] {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        }
    }
}
