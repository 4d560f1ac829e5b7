//! The `chelink-server` binary: configuration from the environment, logging, database,
//! optional demo data, the reminder scheduler, then serve and print the URL.

use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .init();
    let config = chelink_server::config::Config::from_env()?;
    // Idle connections hold a descriptor each: the usual soft limit of 1,024 stopped the server
    // accepting at 1,100 of them.
    let descriptors = chelink_server::http::connections::raise_descriptor_limit();
    let (state, listener) = chelink_server::prepare(&config).await?;
    if config.reminder_seconds > 0 {
        chelink_server::reminders::run(
            state.db.clone(),
            state.wechat.clone(),
            std::time::Duration::from_secs(config.reminder_seconds),
        );
    }
    let addr = listener.local_addr()?;
    let first = chelink_server::catalog::first_dealer_slug(&state.db).await?;
    let path = first.map(|slug| format!("{slug}/")).unwrap_or_default();
    println!("车链 Chelink is serving on http://{addr}/{path}");
    chelink_server::http::serve(listener, state, config.connection_limits(descriptors)).await;
    Ok(())
}
