//! Who is asking, as extractors, so a handler's signature says who may call it: [`Dealer`]
//! (the path's `{dealer}`, or 404), `Staff` (a console session, or 401) and its role guards
//! [`Manager`], [`Admin`], [`Seller`] and [`ServiceDesk`] (or 403), `Visitor` (the browser's
//! own cookie at the path's dealer), [`Owner`] (the owner cookie at the path's dealer, or
//! 404) and `Access` (what the browser may see there). As realworld-axum's `extractor.rs`.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Key, PrivateCookieJar};
use shared::console::Role;
use tower_sessions::Session;

use super::visitor::Visitor;
use super::{AppState, Error, Path};
use crate::catalog::{self, DealerRecord};
use crate::proofs::Access;
use crate::staff::{self, Staff, SESSION_STAFF};

/// The dealer the path's `{dealer}` names: its slug as written and its record; an unknown
/// slug is 404 `未找到该经销商`. Found once per request, however many extractors ask.
#[derive(Clone, Debug)]
pub struct Dealer {
    pub slug: String,
    pub record: DealerRecord,
}

/// The path's `{dealer}`, percent-decoded; a segment that is not UTF-8 is our 400.
async fn dealer_slug(parts: &mut Parts) -> Result<String, Error> {
    let Path(mut params) = Path::<HashMap<String, String>>::from_request_parts(parts, &()).await?;
    params.remove("dealer").ok_or_else(|| {
        Error::Internal(anyhow::anyhow!(
            "a dealer's extractor on a route without {{dealer}}"
        ))
    })
}

impl Dealer {
    /// The dealer `slug` names, or 404: for answers built only when not already cached.
    pub async fn find(state: &AppState, slug: &str) -> Result<DealerRecord, Error> {
        catalog::dealer(&state.db, slug)
            .await?
            .ok_or_else(|| Error::NotFound("未找到该经销商".into()))
    }
}

impl FromRequestParts<AppState> for Dealer {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        if let Some(found) = parts.extensions.get::<Self>() {
            return Ok(found.clone());
        }
        let slug = dealer_slug(parts).await?;
        let record = Self::find(state, &slug).await?;
        let dealer = Self { slug, record };
        parts.extensions.insert(dealer.clone());
        Ok(dealer)
    }
}

/// What `read` finds in the browser's cookies (opened with the visitor cookie's key) for the
/// path's dealer.
async fn cookie<T>(
    parts: &mut Parts,
    state: &AppState,
    read: fn(&PrivateCookieJar, &str) -> Option<T>,
) -> Result<Option<T>, Error> {
    let slug = dealer_slug(parts).await?;
    let Ok(jar) = PrivateCookieJar::<Key>::from_request_parts(parts, state).await;
    Ok(read(&jar, &slug))
}

/// The visitor the browser's cookie names at the path's dealer, or a new anonymous one (kept
/// once the handler saves it). `Option<Visitor>`: the cookie's, or none.
impl FromRequestParts<AppState> for Visitor {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let found =
            <Self as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        Ok(found.unwrap_or_else(Self::anonymous))
    }
}

impl OptionalFromRequestParts<AppState> for Visitor {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Error> {
        cookie(parts, state, Self::of).await
    }
}

/// The owner the dealer's owner cookie names (set by binding a car), or 404 `请先绑定车辆`.
/// `Option<Owner>`: the cookie's, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner(pub i64);

impl OptionalFromRequestParts<AppState> for Owner {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Error> {
        let owner = cookie(parts, state, super::owners::owner_of).await?;
        Ok(owner.map(Self))
    }
}

impl FromRequestParts<AppState> for Owner {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        <Self as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await?
            .ok_or_else(|| Error::NotFound("请先绑定车辆".into()))
    }
}

/// What the browser may see at the path's dealer: its visitor, the phone its cookie proved,
/// and the phones of the owner its owner cookie names (`proof::access_of`).
impl FromRequestParts<AppState> for Access {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let dealer = Dealer::from_request_parts(parts, state).await?;
        let visitor =
            <Visitor as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
                .await?;
        let owner =
            <Owner as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        super::proof::access_of(state, visitor.as_ref(), owner, dealer.record.id).await
    }
}

/// The signed-in staff member, or 401. `Option<Staff>`: the session's, or none.
impl FromRequestParts<AppState> for Staff {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        <Self as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await?
            .ok_or(Error::Unauthorized)
    }
}

impl OptionalFromRequestParts<AppState> for Staff {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Error> {
        let Ok(session) = Session::from_request_parts(parts, state).await else {
            return Ok(None);
        };
        let id: Option<i64> = session
            .get(SESSION_STAFF)
            .await
            .map_err(|e| Error::Internal(anyhow::anyhow!("session: {e}")))?;
        match id {
            Some(id) => Ok(staff::by_id(&state.db, id).await?),
            None => Ok(None),
        }
    }
}

/// A role guard: a signed-in staff member (else 401) whose role it admits (else 403).
macro_rules! guard {
    ($(#[$doc:meta])* $name:ident, $admits:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name(pub Staff);

        impl FromRequestParts<AppState> for $name {
            type Rejection = Error;

            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
                let staff = <Staff as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
                let admits: fn(Role) -> bool = $admits;
                if admits(staff.role) {
                    Ok(Self(staff))
                } else {
                    Err(Error::Forbidden)
                }
            }
        }
    };
}

guard!(
    /// A manager or an admin: the whole dealer's leads, stores, approvals and follow-ups.
    Manager,
    Role::manages
);
guard!(
    /// An admin: the dealer-wide settings.
    Admin,
    |role| role == Role::Admin
);
guard!(
    /// Anyone who sells (a consultant, manager or admin), not a service advisor: deliveries.
    Seller,
    |role| role != Role::ServiceAdvisor
);
guard!(
    /// A service advisor, manager or admin: the service desk.
    ServiceDesk,
    |role| role == Role::ServiceAdvisor || role.manages()
);
