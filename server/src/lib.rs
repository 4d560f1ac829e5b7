//! Chelink's server as a library: configuration, the database and its migrations, the demo
//! seed, the catalogue queries and the HTTP app. The binary (`main.rs`), the API tests and
//! `cargo xtask` all build on it.

pub mod activities;
pub mod attribution;
pub mod bookings;
pub mod catalog;
pub mod clicks;
pub mod clock;
pub mod config;
pub mod console;
pub mod consultants;
pub mod db;
pub mod dealers;
pub mod enquiries;
pub mod erasure;
pub mod hand_over;
pub mod http;
pub mod idempotency;
pub mod leads;
pub mod links;
pub mod media_store;
pub mod offers;
pub mod own_catalog;
pub mod owners;
pub mod photos;
pub mod points;
pub mod prices;
pub mod proofs;
pub mod referrals;
pub mod reminders;
pub mod searches;
pub mod seed;
pub mod service;
pub mod settings;
pub mod shares;
pub mod sign_in_links;
pub mod slots;
pub mod sms;
pub mod spec_import;
pub mod staff;
pub mod staff_admin;
pub mod surveys;
pub mod wechat;

/// Starts everything from a configuration: connect, migrate, seed the demo when asked, and
/// bind. Returns the state and the bound listener; the caller serves and prints the URL.
pub async fn prepare(
    config: &config::Config,
) -> anyhow::Result<(http::AppState, tokio::net::TcpListener)> {
    use anyhow::Context;
    let db = db::connect_with(
        &config.database_url,
        config.wal_limit_mb.saturating_mul(1024 * 1024),
    )
    .await?;
    db::migrate(&db).await?;
    if config.demo {
        seed::load_demo(&db)
            .await
            .context("loading the demo data")?;
    }
    let media = media_store::MediaStore::open(&config.media)?;
    tracing::info!(store = ?media, "photos are kept in the media store");
    let addr = config.addr()?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let state = http::AppState::holding_clicks(db, &config.dist, config.click_backlog)
        .await?
        .with_write_limit(config.writes_per_minute);
    let state = state
        .with(|s| {
            s.secure_cookies = config.secure_cookies;
            s.public_origin = config.public_origin.clone();
        })
        .with_sms(config.sms.clone())
        .with_media(media)
        .with_wechat(&config.wechat_api, &config.wechat_oauth, &config.wechat_js);
    Ok((state, listener))
}
