//! Dealers as the operator of an installation sets them up (the server's `dealer` and `staff`
//! commands): adding a dealer with its first admin in one transaction, listing the dealers,
//! and a staff member's password reset by dealer and login. A new dealer sells nothing yet
//! (it picks from the platform catalogue), has no stores, and quotes in its province with the
//! default loan rate and attribution window; its 车船税 amounts are set under 设置.

use shared::catalog::validate_dealer_slug;
use shared::console::Role;
use shared::staff::NewStaff;
use shared::ApiError;

use crate::db::Db;
use crate::sign_in_links::Issued;
use crate::staff_admin::{self, Actor, Refused};

/// The colour a new dealer's pages start in (WeUI's green) until 设置 changes it.
pub const DEFAULT_BRAND_COLOR: &str = "#07C160";

/// `dealer add`'s arguments, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewDealer {
    pub slug: String,
    pub name: String,
    pub province: String,
    pub admin_login: String,
    pub admin_name: String,
}

/// A dealer just added: its id, name and province as stored, its admin's id, and the
/// admin's one-time sign-in link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    pub dealer_id: i64,
    pub name: String,
    pub province: &'static str,
    pub admin_id: i64,
    pub link: Issued,
}

/// Adds a dealer and its first admin, or nothing: every value is checked first (the slug by
/// `validate_dealer_slug`, the province, the admin's login and name), then one transaction
/// writes the dealer, its catalogue version and the admin (audited, with a one-time link).
/// A taken slug or login is `Refused::Taken` naming its field.
pub async fn add(db: &Db, new: &NewDealer, now: i64) -> Result<Added, Refused> {
    let slug = new.slug.trim();
    validate_dealer_slug(slug).map_err(Refused::Invalid)?;
    let name = shared::dealer::validate_dealer_name(&new.name).map_err(Refused::Invalid)?;
    let province = shared::dealer::validate_province(&new.province).map_err(Refused::Invalid)?;
    let admin = NewStaff {
        name: shared::contact::validate_name(&new.admin_name).map_err(|e| {
            Refused::Invalid(ApiError::invalid(
                "admin_name",
                format!("管理员{}", e.message),
            ))
        })?,
        login: shared::staff::validate_login(&new.admin_login)
            .map_err(|e| Refused::Invalid(ApiError::invalid("admin_login", e.message)))?,
        role: Role::Admin,
        store_ids: Vec::new(),
        // Their work phone is theirs to fill in under 我的.
        phone: String::new(),
        wechat: None,
    };
    let mut tx = crate::db::begin_write(db).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM dealers WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(Refused::Taken(ApiError::invalid(
            "slug",
            format!("链接名“{slug}”已被其他经销商使用"),
        )));
    }
    let dealer_id: i64 = sqlx::query_scalar(
        "INSERT INTO dealers (slug, name, brand_color, phone, province) \
         VALUES ($1, $2, $3, '', $4) RETURNING id",
    )
    .bind(slug)
    .bind(&name)
    .bind(DEFAULT_BRAND_COLOR)
    .bind(province)
    .fetch_one(&mut *tx)
    .await?;
    crate::catalog::changed(&mut tx, dealer_id).await?;
    let (admin_id, link) = staff_admin::insert(&mut tx, dealer_id, &admin, Actor::Operator, now)
        .await
        .map_err(|e| match e {
            Refused::Taken(e) if e.field.as_deref() == Some("login") => {
                Refused::Taken(ApiError::invalid("admin_login", e.message))
            }
            other => other,
        })?;
    tx.commit().await?;
    Ok(Added {
        dealer_id,
        name,
        province,
        admin_id,
        link,
    })
}

/// A dealer as `dealer list` prints it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DealerLine {
    pub slug: String,
    pub name: String,
    pub province: String,
    /// Active staff.
    pub staff: i64,
}

/// Every dealer, oldest first, with its active staff count.
pub async fn list(db: &Db) -> sqlx::Result<Vec<DealerLine>> {
    sqlx::query_as(
        "SELECT d.slug, d.name, d.province, \
         (SELECT COUNT(*) FROM staff s WHERE s.dealer_id = d.id AND s.active = 1) AS staff \
         FROM dealers d ORDER BY d.id",
    )
    .fetch_all(&db.pool)
    .await
}

/// A password reset by the operator: a new one-time link for the active staff member `login`
/// of the dealer `slug` (their old password and sessions end), audited.
pub async fn reset_password(db: &Db, slug: &str, login: &str, now: i64) -> Result<Issued, Refused> {
    let mut tx = crate::db::begin_write(db).await?;
    let found: Option<(i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.active FROM staff s JOIN dealers d ON d.id = s.dealer_id \
         WHERE d.slug = $1 AND s.login = $2",
    )
    .bind(slug.trim())
    .bind(login.trim().to_ascii_lowercase())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((staff_id, active)) = found else {
        return Err(Refused::NotFound("该经销商没有这个登录账号"));
    };
    if active != 1 {
        return Err(Refused::Invalid(ApiError::invalid(
            "login",
            "该员工已停用，不能重置密码",
        )));
    }
    let link = staff_admin::reset_in(&mut tx, staff_id, Actor::Operator, now).await?;
    tx.commit().await?;
    Ok(link)
}
