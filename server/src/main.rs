//! The `chelink-server` binary: with no subcommand (or `serve`) it serves as it always did —
//! configuration from the environment, logging, database, optional demo data, the reminder
//! scheduler, then serve and print the URL; `dealer add`, `dealer list` and `staff
//! reset-password` let the operator set up dealers on the same database (`DATABASE_URL`)
//! and hand out one-time sign-in links. Arguments are parsed by `clap`: anything unknown is a
//! usage error (exit 2); a refused value is a Chinese and English message (exit 1).

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use chelink_server::config::Config;
use chelink_server::dealers::{self, NewDealer};
use chelink_server::sign_in_links::Issued;
use chelink_server::staff_admin::Refused;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// 车链 Chelink: the server, and the operator's commands for dealers and staff.
#[derive(Debug, Parser)]
#[command(name = "chelink-server", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the app and the API (the default).
    Serve,
    /// Set up dealers (reads DATABASE_URL, runs the migrations).
    #[command(subcommand)]
    Dealer(DealerCommand),
    /// Staff accounts (reads DATABASE_URL, runs the migrations).
    #[command(subcommand)]
    Staff(StaffCommand),
}

#[derive(Debug, Subcommand)]
enum DealerCommand {
    /// Add a dealer and its first admin; prints the admin's one-time sign-in link.
    Add {
        /// The dealer's URL name, e.g. `hz-auto` (pages at /hz-auto/).
        #[arg(long)]
        slug: String,
        /// The dealer's name, e.g. 杭州某某汽车.
        #[arg(long)]
        name: String,
        /// Its province, e.g. 浙江 (prices are quoted by its rules).
        #[arg(long)]
        province: String,
        /// The first admin's sign-in name, e.g. `hz-admin`.
        #[arg(long)]
        admin_login: String,
        /// The first admin's name, e.g. 周敏.
        #[arg(long)]
        admin_name: String,
    },
    /// List the dealers: slug, name, province, active staff.
    List,
}

#[derive(Debug, Subcommand)]
enum StaffCommand {
    /// A new one-time sign-in link for a staff member: their password and sessions end.
    ResetPassword {
        /// The dealer's slug.
        #[arg(long)]
        dealer: String,
        /// The staff member's sign-in name.
        #[arg(long)]
        login: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let serving = matches!(cli.command, None | Some(Command::Serve));
    // The operator's commands print their answer; only trouble is logged beside it.
    let default_filter = if serving {
        "info,sqlx=warn,tower_http=info"
    } else {
        "warn,sqlx=warn"
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter)),
        )
        .init();
    let outcome = match cli.command {
        None | Some(Command::Serve) => serve().await.map(|()| ExitCode::SUCCESS),
        Some(Command::Dealer(command)) => dealer(command).await,
        Some(Command::Staff(command)) => staff(command).await,
    };
    outcome.unwrap_or_else(|e| {
        eprintln!("错误 / error: {e:#}");
        ExitCode::FAILURE
    })
}

async fn serve() -> anyhow::Result<()> {
    let config = Config::from_env()?;
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
    // Deleted photos' files go within the hour after their grace (`photos::COLLECT_AFTER_MS`).
    chelink_server::photos::run_collector(
        state.db.clone(),
        state.media.clone(),
        std::time::Duration::from_secs(3_600),
    );
    let addr = listener.local_addr()?;
    let first = chelink_server::catalog::first_dealer_slug(&state.db).await?;
    let path = first.map(|slug| format!("{slug}/")).unwrap_or_default();
    println!("车链 Chelink is serving on http://{addr}/{path}");
    chelink_server::http::serve(listener, state, config.connection_limits(descriptors)).await;
    Ok(())
}

/// The configuration and a migrated database, as the server would open them.
async fn open() -> anyhow::Result<(Config, chelink_server::db::Db)> {
    let config = Config::from_env()?;
    let db = chelink_server::db::connect_with(
        &config.database_url,
        config.wal_limit_mb.saturating_mul(1024 * 1024),
    )
    .await?;
    chelink_server::db::migrate(&db).await?;
    Ok((config, db))
}

fn now() -> i64 {
    chelink_server::clock::Clock::now().millis
}

async fn dealer(command: DealerCommand) -> anyhow::Result<ExitCode> {
    let (config, db) = open().await?;
    match command {
        DealerCommand::Add {
            slug,
            name,
            province,
            admin_login,
            admin_name,
        } => {
            chelink_server::seed::load_platform_catalogue(&db).await?;
            let new = NewDealer {
                slug,
                name,
                province,
                admin_login,
                admin_name,
            };
            match dealers::add(&db, &new, now()).await {
                Ok(added) => {
                    println!(
                        "已添加经销商 / dealer added: {}（{}，{}）",
                        added.name,
                        new.slug.trim(),
                        added.province
                    );
                    println!(
                        "没有门店，尚未选择车型；车船税税额请在 设置 → 报价设置 中填写。\n\
                         No stores yet and nothing on sale: the admin adds stores, staff and models in the console."
                    );
                    print_link(&config, "首位管理员", &added.link);
                    Ok(ExitCode::SUCCESS)
                }
                Err(refused) => refusal(refused),
            }
        }
        DealerCommand::List => {
            let dealers = dealers::list(&db).await?;
            if dealers.is_empty() {
                println!("还没有经销商 / no dealers yet: chelink-server dealer add --help");
            }
            println!("slug\tname\tprovince\tstaff");
            for d in dealers {
                println!("{}\t{}\t{}\t{}", d.slug, d.name, d.province, d.staff);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn staff(command: StaffCommand) -> anyhow::Result<ExitCode> {
    let (config, db) = open().await?;
    match command {
        StaffCommand::ResetPassword { dealer, login } => {
            match dealers::reset_password(&db, &dealer, &login, now()).await {
                Ok(link) => {
                    println!(
                        "已重置 / reset: {login} 的旧密码已失效，所有登录会话已结束 (old password and every session ended)."
                    );
                    print_link(&config, login.trim(), &link);
                    Ok(ExitCode::SUCCESS)
                }
                Err(refused) => refusal(refused),
            }
        }
    }
}

/// Prints a one-time link under the public origin (`CHELINK_PUBLIC_ORIGIN`), else under the
/// address this server listens on, saying so.
fn print_link(config: &Config, whom: &str, link: &Issued) {
    let origin = config
        .public_origin
        .clone()
        .unwrap_or_else(|| format!("http://{}:{}", config.host, config.port));
    println!(
        "{whom}的一次性登录链接（24 小时内有效，只能使用一次，用于设置密码）/ one-time sign-in link (valid 24 h, single use):"
    );
    println!("{origin}{}", link.path());
    if config.public_origin.is_none() {
        println!(
            "（未设置 CHELINK_PUBLIC_ORIGIN：链接按本机监听地址写出，对外发送前请换成服务器的公网地址。\n\
             CHELINK_PUBLIC_ORIGIN is not set: the link uses this server's listen address; put the public address in front of {} instead.）",
            link.path()
        );
    }
}

/// A refused command: the message in Chinese and English on stderr, exit 1.
fn refusal(refused: Refused) -> anyhow::Result<ExitCode> {
    let (chinese, field, taken) = match &refused {
        Refused::Invalid(e) => (e.message.clone(), e.field.clone(), false),
        Refused::Taken(e) => (e.message.clone(), e.field.clone(), true),
        Refused::NotFound(message) => (message.to_string(), None, false),
        Refused::Forbidden(e) => (e.message.clone(), e.field.clone(), false),
        Refused::Database(e) => return Err(anyhow::anyhow!("database: {e}")),
    };
    let english = match (field.as_deref(), taken) {
        (Some("slug"), true) => "that slug is taken by another dealer",
        (Some("slug"), false) => {
            "the slug must be 2-32 lower-case letters, digits or '-', start with a letter, and not be a reserved path"
        }
        (Some("name"), _) => "the dealer's name must be 2-40 characters on one line",
        (Some("province"), _) => {
            "the province must be a mainland province, autonomous region or municipality, e.g. 浙江"
        }
        (Some("admin_login"), true) => "that login is taken",
        (Some("admin_login" | "login"), false) => {
            "the login must be 3-32 lower-case letters, digits, '-', '_' or '.', starting with a letter"
        }
        (Some("admin_name"), _) => "the admin's name must be 1-20 characters on one line",
        _ => "nothing was changed",
    };
    eprintln!("错误：{chinese}\nerror: {english}. Nothing was created or changed.");
    Ok(ExitCode::FAILURE)
}
