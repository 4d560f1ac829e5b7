//! The HTTP surface: the shared state, the whole route table (JSON API under `/api/v1`, the
//! OpenAPI document, assets and the app shell) and serving it.

pub mod activities;
pub mod assets;
pub mod cache;
pub mod cars;
pub mod catalog;
pub mod compare;
pub mod connections;
pub mod console;
pub mod consultants;
pub mod dealers;
pub mod edge;
pub mod enquiries;
pub mod error;
pub mod extract;
pub mod hand_over;
pub mod leads;
pub mod links;
pub mod loyalty;
pub mod me;
pub mod offers;
pub mod openapi;
pub mod own_catalog;
pub mod owners;
pub mod photos;
pub mod prices;
pub mod proof;
pub mod qr;
pub mod quote;
pub mod searches;
pub mod security;
pub mod series;
pub mod service;
pub mod service_desk;
pub mod settings;
pub mod shares;
pub mod shell;
pub mod sign_in_links;
pub mod spec_import;
pub mod staff;
pub mod surveys;
pub mod test_drive;
pub mod visitor;
pub mod wechat;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{any, get};
use axum::Router;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use tower_sessions::{Expiry, SessionManagerLayer};

use crate::clicks::Clicks;
use crate::db::Db;
use crate::links as links_db;
use crate::staff as staff_db;
pub use error::{Error, Json, Path, Query};

/// The largest request body accepted: 64 KiB (more → 413 `too_large`).
pub const BODY_LIMIT: usize = 64 * 1024;

/// What every handler can reach: one reference-counted [`Shared`], so the state a handler
/// and each extractor take costs one atomic add, not a clone of every field (a redirect took
/// several per request, 5% of its time).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state's parts.
#[derive(Clone, Debug)]
pub struct Shared {
    pub db: Db,
    /// The built app: `index.html`, `chunks.json` and `assets/{version}/...`.
    pub dist: PathBuf,
    /// The page shell, read from `dist` at start-up.
    pub shell: Arc<shell::Shell>,
    /// The catalogue's answers and the page shells, ready to send, per catalogue version.
    pub catalogue: cache::Catalogue,
    /// Encrypts and signs visitors' cookies; the same on every instance.
    pub cookie_key: axum_extra::extract::cookie::Key,
    pub limits: visitor::WriteLimits,
    /// Booking lookups by code per address.
    pub lookups: visitor::LookupLimits,
    /// The SMS provider one-time codes go through (`CHELINK_SMS`), or off.
    pub sms: crate::sms::Sms,
    /// Cookies only over HTTPS (`CHELINK_SECURE_COOKIES=1` behind a TLS proxy).
    pub secure_cookies: bool,
    /// Share links found by code, kept in memory for a few seconds.
    pub found_links: links_db::Found,
    /// Share-link visits on their way to the database (buffered, flushed on shutdown).
    pub clicks: Clicks,
    /// WeChat's API (`CHELINK_WECHAT_API`) with the tokens and tickets it handed out.
    pub wechat: crate::wechat::WeChat,
    /// The origin short links are shared under (`CHELINK_PUBLIC_ORIGIN`); `None`: the
    /// request's own.
    pub public_origin: Option<String>,
    /// Staff password hashes, on the blocking pool a few at a time.
    pub hasher: staff_db::Hasher,
    /// Where photos' files live (`CHELINK_MEDIA_DIR` or `CHELINK_S3_*`; until `with_media`,
    /// a store in memory, which `prepare` always replaces).
    pub media: crate::media_store::MediaStore,
}

impl AppState {
    /// The state for a database and a built app, with the default write limits.
    pub async fn new(db: Db, dist: &std::path::Path) -> sqlx::Result<Self> {
        Self::holding_clicks(db, dist, crate::clicks::DEFAULT_BACKLOG).await
    }

    /// The same, holding at most `click_backlog` share-link visits not yet written.
    pub async fn holding_clicks(
        db: Db,
        dist: &std::path::Path,
        click_backlog: usize,
    ) -> sqlx::Result<Self> {
        Ok(Self(Arc::new(Shared {
            cookie_key: visitor::cookie_key(&db).await?,
            clicks: Clicks::holding(db.clone(), click_backlog),
            catalogue: cache::Catalogue::start(db.clone()).await?,
            db,
            dist: dist.to_path_buf(),
            shell: Arc::new(shell::Shell::load(dist)),
            limits: visitor::WriteLimits::per_minute(visitor::WRITES_PER_MINUTE),
            lookups: visitor::LookupLimits::per_minute(visitor::LOOKUPS_PER_MINUTE),
            sms: crate::sms::Sms::Off,
            secure_cookies: false,
            found_links: links_db::Found::new(),
            wechat: crate::wechat::WeChat::new(
                crate::wechat::DEFAULT_API,
                crate::wechat::DEFAULT_OAUTH,
                shared::wechat::JS_SDK_URL,
            ),
            public_origin: None,
            hasher: staff_db::Hasher::per_core(),
            media: crate::media_store::MediaStore::memory(),
        })))
    }

    /// The same state with `change` made to its parts (before it is served).
    pub fn with(self, change: impl FnOnce(&mut Shared)) -> Self {
        let mut shared = Arc::try_unwrap(self.0).unwrap_or_else(|shared| (*shared).clone());
        change(&mut shared);
        Self(Arc::new(shared))
    }

    /// The same state calling WeChat's API at `api`, its OAuth at `oauth`, and giving pages the
    /// JS-SDK at `script`.
    pub fn with_wechat(self, api: &str, oauth: &str, script: &str) -> Self {
        self.with(|s| s.wechat = crate::wechat::WeChat::new(api, oauth, script))
    }

    /// The same state sending SMS codes through `config` (`None`: no provider).
    pub fn with_sms(self, config: Option<crate::sms::SmsConfig>) -> Self {
        self.with(|s| s.sms = crate::sms::Sms::new(config))
    }

    /// The same state keeping photos in `media`.
    pub fn with_media(self, media: crate::media_store::MediaStore) -> Self {
        self.with(|s| s.media = media)
    }

    /// The same state allowing `writes` bookings and enquiries per visitor and minute.
    pub fn with_write_limit(self, writes: u32) -> Self {
        self.with(|s| s.limits = visitor::WriteLimits::per_minute(writes))
    }
}

/// The API routes with their OpenAPI description.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(dealers::home))
        .routes(routes!(dealers::terms))
        .routes(routes!(settings::logo))
        .routes(routes!(series::list))
        .routes(routes!(series::detail))
        .routes(routes!(compare::compare_trims))
        .routes(routes!(offers::list))
        .routes(routes!(activities::list))
        .routes(routes!(activities::detail))
        .routes(routes!(activities::sign_up))
        .routes(routes!(searches::record))
        .routes(routes!(searches::hot))
        .routes(routes!(quote::quote))
        .routes(routes!(quote::recommendations))
        .routes(routes!(test_drive::offer))
        .routes(routes!(test_drive::slots))
        .routes(routes!(test_drive::book))
        .routes(routes!(test_drive::booking))
        .routes(routes!(test_drive::calendar))
        .routes(routes!(enquiries::enquire))
        .routes(routes!(shares::create_share))
        .routes(routes!(me::me, me::erase))
        .routes(routes!(proof::send_code))
        .routes(routes!(proof::prove))
        .routes(routes!(me::reschedule, me::cancel))
        .routes(routes!(wechat::js_config))
        .routes(routes!(consultants::card))
        .routes(routes!(consultants::mine))
        .routes(routes!(owners::home))
        .routes(routes!(owners::bind))
        .routes(routes!(owners::add_reading))
        .routes(routes!(owners::wechat_consent, owners::wechat_stop))
        .routes(routes!(owners::wechat_back))
        .routes(routes!(loyalty::owner_points))
        .routes(routes!(loyalty::referral_link))
        .routes(routes!(surveys::visits, surveys::answer))
        .routes(routes!(service::stores))
        .routes(routes!(service::slots))
        .routes(routes!(service::book))
        .routes(routes!(service::reschedule, service::cancel))
        .merge(console_router())
}

/// The staff console's routes: behind a database-backed session and refusing cross-site writes.
fn console_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(console::sign_in, console::sign_out))
        .routes(routes!(console::me))
        .routes(routes!(console::change_password))
        .routes(routes!(console::today))
        .routes(routes!(leads::leads))
        .routes(routes!(leads::lead))
        .routes(routes!(leads::note))
        .routes(routes!(leads::call))
        .routes(routes!(leads::status))
        .routes(routes!(leads::reassign))
        .routes(routes!(leads::lost_claim))
        .routes(routes!(console::booking_status))
        .routes(routes!(console::consultants))
        .routes(routes!(sign_in_links::invitation, sign_in_links::redeem))
        .routes(routes!(staff::list_staff, staff::add_staff))
        .routes(routes!(staff::change_staff))
        .routes(routes!(staff::reset_staff_password))
        .routes(routes!(staff::disable_staff))
        .routes(routes!(staff::staff_audit))
        .routes(routes!(console::stores, console::add_store))
        .routes(routes!(console::save_store))
        .routes(routes!(prices::book))
        .routes(routes!(offers::desk, offers::add))
        .routes(routes!(offers::update, offers::remove))
        .routes(routes!(activities::desk, activities::add))
        .routes(routes!(activities::update))
        .routes(routes!(activities::cancel))
        .routes(routes!(activities::signups))
        .routes(routes!(prices::set))
        .routes(routes!(catalog::series, own_catalog::add_series))
        .routes(routes!(catalog::put_on_sale, own_catalog::series))
        .routes(routes!(own_catalog::brands))
        .routes(routes!(own_catalog::save_series))
        .routes(routes!(own_catalog::add_trim))
        .routes(routes!(own_catalog::trim, own_catalog::save_trim))
        .routes(routes!(own_catalog::save_specs))
        .routes(routes!(spec_import::confirm))
        .routes(routes!(spec_import::undo))
        .routes(routes!(links::create, links::mine))
        .routes(routes!(wechat::settings, wechat::save_settings))
        .routes(routes!(shares::link_stats))
        .routes(routes!(shares::share_tree))
        .routes(routes!(shares::window, shares::save_window))
        .routes(routes!(consultants::profile, consultants::save_profile))
        .routes(routes!(cars::delivery_form, cars::deliver))
        .routes(routes!(cars::cars))
        .routes(routes!(cars::car))
        .routes(routes!(cars::mark_inspection))
        .routes(routes!(cars::reminder_tasks))
        .routes(routes!(cars::follow_up))
        .routes(routes!(cars::new_binding))
        .routes(routes!(cars::plans))
        .routes(routes!(cars::save_plan))
        .routes(routes!(loyalty::settings, loyalty::save_settings))
        .routes(routes!(loyalty::referrals_list))
        .routes(routes!(surveys::follow_up))
        .routes(routes!(service_desk::list))
        .routes(routes!(service_desk::update))
        .routes(routes!(hand_over::board))
        .routes(routes!(hand_over::hand_over))
        .routes(routes!(settings::read))
        .routes(routes!(settings::save_profile))
        .routes(routes!(settings::save_quote))
        // Uploads are the bodies past `BODY_LIMIT`, each checked again by its handler: a spec
        // sheet (5 MB), a logo, a photo (10 MB), each with the form around it.
        .routes(upload(
            routes!(spec_import::upload, spec_import::history),
            shared::spec_sheet::MAX_BYTES + 64 * 1024,
        ))
        .routes(upload(
            routes!(settings::save_logo),
            crate::settings::LOGO_MAX_BYTES + 1,
        ))
        .routes(routes!(photos::series_photos))
        .routes(routes!(photos::order_gallery))
        .routes(upload(
            routes!(photos::upload_series_photo),
            photos::UPLOAD_LIMIT,
        ))
        .routes(upload(
            routes!(photos::upload_trim_colour),
            photos::UPLOAD_LIMIT,
        ))
        .routes(routes!(photos::delete_photo))
        .layer(axum::middleware::from_fn(console::same_origin))
}

/// An upload route taking bodies up to `limit`; one past it is read to its end before the
/// handler answers 413, so a client still sending reads that answer, not a reset connection.
fn upload(
    (schemas, paths, route): UtoipaMethodRouter<AppState>,
    limit: usize,
) -> UtoipaMethodRouter<AppState> {
    let route =
        route
            .layer(DefaultBodyLimit::max(limit))
            .layer(axum::middleware::from_fn_with_state(
                limit,
                edge::read_past_limit,
            ));
    (schemas, paths, route)
}

/// The whole application, serving the built app in `dist`.
pub fn app(state: AppState) -> Router {
    let policy = Arc::new(security::Policy::new(
        state.shell.pages(),
        state.wechat.script(),
        state.secure_cookies,
    ));
    let (api, mut doc) = api_router().split_for_parts();
    openapi::complete(&mut doc);
    // No control character in an API address reaches a handler (nor a NUL PostgreSQL).
    let api = api.layer(axum::middleware::from_fn(edge::refuse_control_characters));
    let doc = doc
        .to_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    Router::new()
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], doc) }
            }),
        )
        .route("/api", any(api_not_found))
        .route("/api/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .nest_service("/assets", assets::router(&state.dist))
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route("/media/{name}", get(photos::media))
        .route("/s/{code}/qr.svg", get(qr::svg))
        .route("/s/{code}/qr.png", get(qr::png))
        .route("/console/welcome/{token}", get(sign_in_links::welcome_shell))
        .route("/console/", get(shell::console))
        .route("/console/{*rest}", get(shell::console))
        .fallback(shell::page)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(
            SessionManagerLayer::new(staff_db::DbSessions(state.db.clone()))
                .with_name(staff_db::SESSION_COOKIE)
                .with_http_only(true)
                .with_same_site(tower_sessions::cookie::SameSite::Strict)
                .with_secure(state.secure_cookies)
                .with_path("/")
                .with_expiry(Expiry::OnInactivity(time::Duration::hours(12))),
        )
        // The shell and JSON go out brotli or gzip; precompressed assets pass through as they
        // are. Brotli 5 shrinks the shell a tenth more than the default 4 at about the same cost.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(5)))
        // Spans name the path, never the query: a staff search by phone number stays out of
        // the logs.
        .layer(TraceLayer::new_for_http().make_span_with(
            |request: &axum::http::Request<axum::body::Body>| {
                tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
            },
        ))
        // Share-link redirects run outside every layer above: a click is answered with no
        // session, compression or span work (the staff check reads the session cookie itself).
        .route("/s/{code}", get(links::open))
        // Every answer, a redirect too, gets the security headers.
        .layer(axum::middleware::from_fn_with_state(policy, security::secure))
        .with_state(state)
}

async fn api_not_found() -> Error {
    Error::NotFound("接口不存在".into())
}

async fn method_not_allowed() -> impl IntoResponse {
    Error::MethodNotAllowed
}

/// Serves the app on `listener` within `limits` (`connections::serve_until`) until Ctrl-C or
/// SIGTERM, then writes the share-link visits still held.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: connections::ConnectionLimits,
) {
    let clicks = state.clicks.clone();
    connections::serve_until(listener, app(state), limits, shutdown_signal()).await;
    clicks.flush().await;
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
