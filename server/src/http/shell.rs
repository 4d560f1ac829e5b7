//! The page shells: `index.html` and the chunk map, read once at start-up, served for every
//! page GET (no-store) with the page's title, description, share image and heading filled in
//! and its first wasm chunks and API requests preloaded; `console.html` for every console
//! path, with the sign-in page's heading painted for a browser without a session. An unknown dealer, series or page gets
//! the same shell with status 404: the app shows its Chinese 404 page. A dealer's page is
//! rendered once per catalogue version, path and origin and then sent from the ready, compressed
//! bytes `http::cache` keeps.

use std::collections::HashMap;
use std::path::Path;

use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use shared::catalog::SeriesSummary;
use shared::filter::{CatalogFilter, ChipGroup};
use shared::money;
use shared::page::{FirstPaint, Page};

use super::cache::{Answer, Ready};
use super::AppState;
use super::Query;
use crate::catalog::{self, Scope};
use crate::clock::Clock;

/// Where the server fills in the page's meta tags.
pub const META_MARKER: &str = "<!--meta-->";
/// Inside the shell's `<template id="after-paint">`: what the page downloads once its first
/// frame is on screen.
pub const AFTER_PAINT_MARKER: &str = "<!--after-paint-->";
/// Where the server paints the skeleton: what shows before the app runs.
pub const SKELETON_MARKER: &str = "<!--skeleton-->";
/// Written by `cargo xtask build`: for each lazily loaded page, the wasm chunks it needs.
pub const CHUNKS_FILE: &str = "chunks.json";
const SITE: &str = "车链";

/// The built app's shell as read at start-up.
#[derive(Clone, Debug, Default)]
pub struct Shell {
    /// `index.html`, or `None` when the app has not been built.
    template: Option<String>,
    /// `console.html`: the staff console's shell.
    console: Option<String>,
    /// Lazy page → the chunk files it loads.
    chunks: HashMap<String, Vec<String>>,
}

impl Shell {
    /// Reads `dist/index.html` and `dist/chunks.json`; a missing shell is logged and served as
    /// a 503 page that says how to build it.
    pub fn load(dist: &Path) -> Self {
        let template = match std::fs::read_to_string(dist.join("index.html")) {
            Ok(shell) => Some(shell),
            Err(e) => {
                tracing::warn!(dist = %dist.display(), error = %e, "no built app here: the API works, pages need `cargo xtask serve`");
                None
            }
        };
        let console = std::fs::read_to_string(dist.join("console.html")).ok();
        let chunks = std::fs::read_to_string(dist.join(CHUNKS_FILE))
            .ok()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        Self {
            template,
            console,
            chunks,
        }
    }

    pub fn is_built(&self) -> bool {
        self.template.is_some()
    }

    /// The shells as read, for the hashes of their inline script and style
    /// (`security::Policy`).
    pub fn pages(&self) -> impl Iterator<Item = &str> {
        self.template
            .iter()
            .chain(self.console.iter())
            .map(String::as_str)
    }
}

/// What a page is about, for its meta tags.
#[derive(Clone, Debug, PartialEq)]
pub struct PageMeta {
    pub status: StatusCode,
    pub title: String,
    pub description: String,
    /// Painted in the skeleton before the app runs: the dealer's name, so the first paint
    /// already says whose page this is.
    pub heading: String,
    /// The page's own heading and lede, painted instead where it has them.
    pub first_paint: Option<Painted>,
    /// The dealer's colour as CSS variables (`shared::theme::brand_style`) in `<html
    /// data-theme>`, which the shell's first script sets on the root, so the first paint is in
    /// it too.
    pub theme: String,
}

/// A page's heading and lede in the skeleton, in the markup of the page's own top, so the
/// app's first frame puts the same words in the same place.
#[derive(Clone, Debug, PartialEq)]
pub enum Painted {
    /// `<h1>` and `<p class="lede">` at the top of the page (the test drive, the calculator).
    Plain(FirstPaint),
    /// In a model page's head, under the space its silhouette takes, or under its cover
    /// photo, which is then the page's first and largest paint.
    Series(FirstPaint, Option<shared::photo::Photo>),
    /// A comparison's bar and its legend.
    Compare(FirstPaint),
    /// The catalogue's top as the app draws it, with the URL's filter chosen, and its first
    /// cards, whose first photo is the page's largest paint.
    Catalogue(Box<CatalogueTop>),
    /// The console's sign-in page: its heading and lede above the form's place.
    ConsoleSignIn(FirstPaint),
}

/// What the catalogue's skeleton shows: what the app shows once the series list is in.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogueTop {
    pub filter: CatalogFilter,
    /// The dealer's brands, `(id, name)`, for the brand row.
    pub brands: Vec<(String, String)>,
    /// How many series the filter finds.
    pub count: usize,
    /// The first of them, as many as a phone's first screen shows.
    pub first: Vec<SeriesSummary>,
}

/// The cards a phone's first screen shows, painted before the app runs.
const FIRST_CARDS: usize = 4;

/// `/console/...`: the staff console's shell, the same for every console path (the console
/// routes in the browser); never cached. A browser without a console session cookie will be
/// shown the sign-in page, whatever the path: its skeleton is that page's top, so the page's
/// largest paint is its first. One with a session (valid or not) gets placeholders under the
/// console's name.
pub async fn console(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let session = CookieJar::from_headers(&headers)
        .get(crate::staff::SESSION_COOKIE)
        .is_some();
    let sign_in = (!session).then(|| Painted::ConsoleSignIn(FirstPaint::console_sign_in()));
    console_with(&state, StatusCode::OK, sign_in)
}

/// The console's shell answered with `status` (a one-time sign-in link that is over: 410),
/// its skeleton painting `first_paint` or else placeholders.
pub fn console_with(
    state: &AppState,
    status: StatusCode,
    first_paint: Option<Painted>,
) -> Response {
    let Some(shell) = &state.shell.console else {
        return not_built();
    };
    let meta = PageMeta {
        heading: "员工工作台".into(),
        first_paint,
        ..fallback_meta()
    };
    html(status, shell.replacen(SKELETON_MARKER, &skeleton(&meta), 1))
}

fn not_built() -> Response {
    html(
        StatusCode::SERVICE_UNAVAILABLE,
        "<!doctype html><meta charset=utf-8><title>车链</title>\
         <p>应用尚未构建：请运行 <code>cargo xtask serve</code>。</p>"
            .into(),
    )
}

/// The SPA fallback: the shell for any other GET.
pub async fn page(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "不支持该请求方式").into_response();
    }
    if let Some(file) = super::wechat::verify_file(&state, uri.path()).await {
        return file;
    }
    if uri.path() == "/" {
        if let Ok(Some(slug)) = catalog::first_dealer_slug(&state.db).await {
            return Redirect::temporary(&format!("/{slug}/")).into_response();
        }
    }
    let Some(shell) = state.shell.template.as_deref() else {
        return not_built();
    };
    let Some((dealer, _)) = Page::parse(uri.path()) else {
        let (status, body) = render(&state, shell, &uri, &headers, not_found());
        return html(status, body);
    };
    let answer = Answer::Shell {
        path: uri.path_and_query().map_or("/", |p| p.as_str()).to_string(),
        origin: origin(&headers),
    };
    let build = async {
        // A page whose meta could not be read is sent but not kept.
        let meta = page_meta(&state, &uri)
            .await
            .map_err(super::Error::Internal)?;
        let (status, body) = render(&state, shell, &uri, &headers, meta);
        Ready::html(status, body).await
    };
    match state.catalogue.serve(dealer, answer, &headers, build).await {
        response if !response.status().is_server_error() => response,
        _ => {
            let (status, body) = render(&state, shell, &uri, &headers, fallback_meta());
            html(status, body)
        }
    }
}

/// The page's shell with its meta filled in and, when it exists, its first downloads
/// preloaded.
fn render(
    state: &AppState,
    shell: &str,
    uri: &Uri,
    headers: &HeaderMap,
    meta: PageMeta,
) -> (StatusCode, String) {
    let image = asset_version(shell).map(|v| format!("{}/assets/{v}/icon.png", origin(headers)));
    let mut body = fill_shell(shell, &meta, image.as_deref());
    if meta.status == StatusCode::OK {
        if let Some((dealer, page)) = Page::parse(uri.path()) {
            let query = Query::<Vec<(String, String)>>::try_from_uri(uri)
                .map(|Query(pairs)| pairs)
                .unwrap_or_default();
            body = preload(&body, dealer, &page, &query, &state.shell.chunks);
        }
    }
    (meta.status, body)
}

/// The site's plain meta, when a page's own could not be read.
fn fallback_meta() -> PageMeta {
    PageMeta {
        status: StatusCode::OK,
        title: SITE.into(),
        description: String::new(),
        heading: String::new(),
        first_paint: None,
        theme: String::new(),
    }
}

/// Adds the page's stylesheet to the head, and `<link rel=preload>` for what it fetches first
/// (its wasm chunks and its API data) beside the main module's in the after-paint template,
/// so they download with the main module, once the skeleton is painted, instead of after it.
pub fn preload(
    shell: &str,
    dealer: &str,
    page: &Page,
    query: &[(String, String)],
    chunks: &HashMap<String, Vec<String>>,
) -> String {
    let Some(version) = asset_version(shell) else {
        return shell.to_string();
    };
    let wasm = page
        .chunk()
        .and_then(|chunk| chunks.get(chunk))
        .into_iter()
        .flatten()
        .map(|file| {
            format!(
                "<link rel=\"preload\" href=\"/assets/{version}/{}\" as=\"fetch\" type=\"application/wasm\" crossorigin>",
                escape(file)
            )
        });
    let data = page.first_requests(dealer, query).into_iter().map(|url| {
        format!(
            "<link rel=\"preload\" href=\"{}\" as=\"fetch\" crossorigin>",
            escape(&url)
        )
    });
    // Every page but the home page is styled by pages.css (the home page's first load goes
    // without it; the app loads it after the first paint).
    let styles = (*page != Page::Home)
        .then(|| format!("<link rel=\"stylesheet\" href=\"/assets/{version}/pages.css\">"));
    let later: String = wasm.chain(data).collect();
    let shell = match shell.contains(AFTER_PAINT_MARKER) {
        true => shell.replacen(AFTER_PAINT_MARKER, &later, 1),
        false => shell.replacen("</head>", &format!("{later}</head>"), 1),
    };
    match styles {
        Some(styles) => shell.replacen("</head>", &format!("{styles}</head>"), 1),
        None => shell,
    }
}

/// An HTML page that is never cached.
pub fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn not_found() -> PageMeta {
    PageMeta {
        status: StatusCode::NOT_FOUND,
        title: format!("页面不存在 - {SITE}"),
        description: "您访问的页面不存在".into(),
        heading: String::new(),
        first_paint: None,
        theme: String::new(),
    }
}

async fn page_meta(state: &AppState, uri: &Uri) -> anyhow::Result<PageMeta> {
    let Some((slug, page)) = Page::parse(uri.path()) else {
        return Ok(not_found());
    };
    let Some(record) = catalog::dealer(&state.db, slug).await? else {
        return Ok(not_found());
    };
    let dealer = record.dealer.name.clone();
    let first_paint = page.first_paint().map(Painted::Plain);
    let ok = |title: String, description: String| PageMeta {
        status: StatusCode::OK,
        title,
        description,
        heading: dealer.clone(),
        first_paint: first_paint.clone(),
        theme: shared::theme::brand_style(&record.dealer.brand_color),
    };
    let query = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|Query(pairs)| pairs)
        .unwrap_or_default();
    let param = |key: &str| {
        query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    Ok(match page {
        Page::Home => ok(
            dealer.clone(),
            format!("{dealer}：在线看车、车型对比、智能选车、购车计算器。"),
        ),
        Page::Models => {
            let lineup =
                catalog::lineup(&state.db, record.id, Scope::All, Clock::now().today()).await?;
            let all = lineup.summaries();
            let filter =
                CatalogFilter::lenient(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let found = filter.apply(&all);
            let top = CatalogueTop {
                brands: lineup
                    .brands()
                    .into_iter()
                    .map(|b| (b.id, b.name_zh))
                    .collect(),
                count: found.len(),
                first: found.into_iter().take(FIRST_CARDS).cloned().collect(),
                filter,
            };
            PageMeta {
                first_paint: Some(Painted::Catalogue(Box::new(top))),
                ..ok(
                    format!("车型库 - {dealer}"),
                    format!("{dealer}在售车型，按价格、能源、车身、座位筛选。"),
                )
            }
        }
        Page::Series(series) => {
            let lineup = catalog::lineup(
                &state.db,
                record.id,
                Scope::Series(&series),
                Clock::now().today(),
            )
            .await?;
            let Some(s) = lineup.series.first() else {
                return Ok(not_found());
            };
            let summary = lineup.summary(s);
            let painted = Painted::Series(FirstPaint::series(&summary), summary.cover.clone());
            let price = match (summary.guide_min, summary.guide_max) {
                (Some(min), Some(max)) => format!("厂商指导价{}", money::wan_range(min, max)),
                _ => "暂无报价".into(),
            };
            PageMeta {
                first_paint: Some(painted),
                ..ok(
                    format!("{} - {dealer}", summary.name_zh),
                    format!(
                        "{}（{}）：{price}，{}款车型，看参数、比配置、算落地价。",
                        summary.name_zh, summary.brand_name, summary.trim_count
                    ),
                )
            }
        }
        Page::Compare => {
            let ids = shared::compare::parse_trim_ids(&param("trims"));
            let ids = &ids[..ids.len().min(shared::compare::MAX_COMPARE)];
            let lineup = catalog::lineup(
                &state.db,
                record.id,
                Scope::Trims(ids),
                Clock::now().today(),
            )
            .await?;
            let (trims, _) = lineup.pick(ids);
            let names: Vec<String> = trims.iter().map(|t| t.full_name()).collect();
            if names.is_empty() {
                ok(
                    format!("车型对比 - {dealer}"),
                    "逐项对比车型参数配置。".into(),
                )
            } else {
                // The legend the table opens with, reckoned as the app reckons it.
                let today = Clock::now().today();
                let legend = FirstPaint::compare(today, &record.terms.default_loan());
                PageMeta {
                    first_paint: Some(Painted::Compare(legend)),
                    ..ok(
                        format!("{} - 车型对比 - {dealer}", names.join(" 对比 ")),
                        format!(
                            "{}：参数配置逐项对比，指导价与经销商报价一目了然。",
                            names.join("、")
                        ),
                    )
                }
            }
        }
        Page::TestDrive => ok(
            format!("预约试驾 - {dealer}"),
            format!("{dealer}：选门店、选时段，一分钟预约试驾。"),
        ),
        Page::Booking(_) => ok(format!("预约详情 - {dealer}"), String::new()),
        Page::MyBookings => ok(format!("我的预约 - {dealer}"), String::new()),
        Page::Me => ok(format!("我的信息 - {dealer}"), String::new()),
        Page::Owner | Page::OwnerBind(_) => ok(
            format!("车主服务 - {dealer}"),
            format!("{dealer}车主服务：保养、年检、保险到期一目了然。"),
        ),
        Page::Offers => ok(
            format!("本店优惠 - {dealer}"),
            format!("{dealer}正在进行的购车优惠和用车权益，写明适用车型、门店和截止日期。"),
        ),
        Page::Activities => ok(
            format!("本店活动 - {dealer}"),
            format!("{dealer}的试驾会、车主讲堂和新车上市活动：时间、地点、剩余名额，在线报名。"),
        ),
        // An activity's share card: its title, and its kind, time and place.
        Page::Activity(id) => {
            let found = match id.parse::<i64>() {
                Ok(id) => {
                    crate::activities::one(&state.db, record.id, id, Clock::now().millis).await?
                }
                Err(_) => None,
            };
            match found.filter(|a| a.state != shared::activity::ActivityState::Cancelled) {
                // Seats left are not said: shells are kept per catalogue version and day,
                // and a sign-up changes neither.
                Some(a) => ok(
                    format!("{} - {dealer}", a.title),
                    format!(
                        "{}。{}",
                        a.share_text(),
                        shared::activity::teaser(&a.description)
                    ),
                ),
                None => return Ok(not_found()),
            }
        }
        Page::Privacy => ok(
            format!("个人信息保护说明 - {dealer}"),
            format!("{dealer}如何收集、使用和删除您的个人信息。"),
        ),
        Page::Consultant(handle) => {
            let Some(card) = crate::consultants::card(&state.db, record.id, &handle).await? else {
                return Ok(not_found());
            };
            ok(
                format!("{} · {dealer} {}", card.name, card.title),
                format!(
                    "{dealer}{}{}为您服务：在售车型与本店报价，一键预约试驾、询底价。",
                    card.title, card.name
                ),
            )
        }
        Page::Select => ok(
            format!("智能选车 - {dealer}"),
            "回答几个问题，找到最适合您的车型。".into(),
        ),
        Page::Calculator => {
            let trim = param("trim");
            let lineup = catalog::lineup(
                &state.db,
                record.id,
                Scope::Trims(std::slice::from_ref(&trim)),
                Clock::now().today(),
            )
            .await?;
            match lineup.trims.iter().find(|t| t.id == trim) {
                Some(t) => ok(
                    format!("{} 落地价计算 - {dealer}", t.full_name()),
                    "购置税、保险、上牌费逐项计算，支持贷款月供。".into(),
                ),
                None => ok(
                    format!("购车计算器 - {dealer}"),
                    "购置税、保险、上牌费逐项计算，支持贷款月供。".into(),
                ),
            }
        }
    })
}

/// The share card of the page `uri` names (the title and description its shell carries),
/// with the shell's image on `origin` (`https://host`).
pub async fn share_card(
    state: &AppState,
    uri: &Uri,
    origin: &str,
) -> anyhow::Result<shared::wechat::ShareCard> {
    let meta = page_meta(state, uri).await?;
    let version = state.shell.template.as_deref().and_then(asset_version);
    Ok(shared::wechat::ShareCard {
        title: meta.title,
        description: meta.description,
        image: version.map_or_else(String::new, |v| format!("{origin}/assets/{v}/icon.png")),
    })
}

/// The shell with the page's meta tags at the marker (or before `</head>`).
pub fn fill_shell(shell: &str, meta: &PageMeta, image: Option<&str>) -> String {
    let title = escape(&meta.title);
    let description = escape(&meta.description);
    let mut tags = format!(
        "<title>{title}</title>\
         <meta name=\"description\" content=\"{description}\">\
         <meta property=\"og:title\" content=\"{title}\">\
         <meta property=\"og:description\" content=\"{description}\">"
    );
    if let Some(image) = image {
        tags.push_str(&format!(
            "<meta property=\"og:image\" content=\"{}\">",
            escape(image)
        ));
    }
    let shell = if shell.contains(META_MARKER) {
        shell.replacen(META_MARKER, &tags, 1)
    } else {
        shell.replacen("</head>", &format!("{tags}</head>"), 1)
    };
    let shell = shell.replacen(SKELETON_MARKER, &skeleton(meta), 1);
    if meta.theme.is_empty() {
        return shell;
    }
    // The shell's script sets it through CSSOM: the CSP refuses a `style` attribute.
    shell.replacen(
        "<html lang=\"zh-CN\">",
        &format!(
            "<html lang=\"zh-CN\" data-theme=\"{}\">",
            escape(&meta.theme)
        ),
        1,
    )
}

/// What shows until the app has painted the page's `<main>` (the shell's script then removes
/// it in the same frame): the page's heading and lede in the app's own markup and styles, so
/// the app's first frame puts the same words in the same place, or the dealer's name over
/// placeholder cards.
fn skeleton(meta: &PageMeta) -> String {
    let cards = "<div class=\"sk-card\"></div><div class=\"sk-card\"></div>";
    let page = |main: &str, top: String| {
        format!(
            "<div id=\"skeleton\" class=\"sk-page\" aria-hidden=\"true\"><main class=\"{main}\">\
             {top}{cards}</main></div>"
        )
    };
    let words = |p: &FirstPaint| (escape(&p.heading), escape(&p.lede));
    match &meta.first_paint {
        Some(painted @ (Painted::Plain(p) | Painted::ConsoleSignIn(p))) => {
            let (heading, lede) = words(p);
            let main = match painted {
                Painted::ConsoleSignIn(_) => "c-page c-sign-in",
                _ => "page",
            };
            page(
                main,
                format!("<h1>{heading}</h1><p class=\"lede\">{lede}</p>"),
            )
        }
        Some(Painted::Series(p, cover)) => {
            let (heading, lede) = words(p);
            // The cover as the app draws it, so the browser fetches it with the HTML (high
            // priority: it is the page's LCP) and the app's `<img>` finds it cached.
            let art = match cover {
                Some(photo) => format!(
                    "<div class=\"series-art has-photo\"><img class=\"series-cover\" src=\"{}\" \
                     srcset=\"{}\" sizes=\"{}\" width=\"{}\" height=\"{}\" alt=\"{heading}\" \
                     fetchpriority=\"high\"></div>",
                    photo.src(),
                    photo.srcset(),
                    shared::photo::PAGE_SIZES,
                    photo.width,
                    photo.height
                ),
                None => "<div class=\"series-art\"></div>".into(),
            };
            page(
                "page series",
                format!(
                    "<header class=\"series-head\">{art}\
                     <h1>{heading}</h1><p class=\"lede\">{lede}</p></header>"
                ),
            )
        }
        Some(Painted::Compare(p)) => {
            let (heading, lede) = words(p);
            page(
                "page compare",
                format!(
                    "<div class=\"cmp-bar\"><h1>{heading}</h1></div>\
                     <p class=\"legend muted\">{lede}</p>"
                ),
            )
        }
        Some(Painted::Catalogue(top)) => format!(
            "<div id=\"skeleton\" class=\"sk-page\" aria-hidden=\"true\">{}</div>",
            catalogue_top(top)
        ),
        None => format!(
            "<div id=\"skeleton\" aria-hidden=\"true\"><div class=\"sk-hero\"><h1>{}</h1></div>\
             <div class=\"sk-grid\"><i></i><i></i><i></i><i></i></div>{cards}</div>",
            escape(&meta.heading)
        ),
    }
}

/// The catalogue's `<main>` as `app/src/pages/models.rs` draws it once its list is in: the
/// search box, the chip rows, the count and the first cards (`components/series_card.rs`),
/// with nothing to focus or tap (the app's own page takes the taps when it replaces this).
fn catalogue_top(top: &CatalogueTop) -> String {
    let row = |group: ChipGroup| {
        let chosen = top.filter.chosen(group);
        let chip = |value: Option<&str>, label: &str| {
            let on = if chosen.as_deref() == value {
                " on"
            } else {
                ""
            };
            format!("<span class=\"chip{on}\">{}</span>", escape(label))
        };
        let chips: String = std::iter::once(chip(None, "不限"))
            .chain(
                group
                    .options(&top.brands)
                    .iter()
                    .map(|(value, label)| chip(Some(value), label)),
            )
            .collect();
        let row = format!(
            "<div class=\"chip-row\"><span class=\"chip-label\">{}</span>\
             <div class=\"chips\">{chips}</div></div>",
            group.label()
        );
        match group {
            ChipGroup::Brand => format!("<div class=\"brand-row\">{row}</div>"),
            _ => row,
        }
    };
    let rows: String = ChipGroup::ALL.into_iter().map(row).collect();
    let cards: String = top
        .first
        .iter()
        .enumerate()
        .map(|(i, s)| series_card(s, i == 0))
        .collect();
    let search = shared::filter::SEARCH_HINT;
    let q = escape(top.filter.q.as_deref().unwrap_or(""));
    format!(
        "<main class=\"page models\"><div class=\"search\">\
         <input type=\"search\" placeholder=\"{search}\" value=\"{q}\" disabled></div>\
         <div class=\"filters\">{rows}</div>\
         <div class=\"result-bar\"><p class=\"count\">共 {} 款车系</p>\
         <span class=\"sort\"><select disabled><option>{}</option></select></span></div>\
         <div class=\"list\">{cards}</div></main>",
        top.count,
        top.filter.sort.label()
    )
}

/// A series card as `components/series_card.rs` draws it; the first one's photo is asked for
/// first.
fn series_card(series: &SeriesSummary, first: bool) -> String {
    let art = match &series.cover {
        Some(p) => format!(
            "<img class=\"sc-photo\" src=\"{}\" width=\"96\" height=\"72\" alt=\"\"{}>",
            p.url(p.widths[0]),
            if first { " fetchpriority=\"high\"" } else { "" }
        ),
        None => String::new(),
    };
    let status = match series.status {
        shared::catalog::SeriesStatus::OnSale => String::new(),
        other => format!("<span class=\"tag\">{}</span>", other.label()),
    };
    let deal = series
        .dealer_min
        .map(|p| format!("<span class=\"deal\">本店 {}起</span>", money::wan(p)))
        .unwrap_or_default();
    format!(
        "<div class=\"card series-card\"><div class=\"sc-art\">{art}</div><div class=\"sc-body\">\
         <h3 class=\"sc-name\">{}{status}</h3><p class=\"sc-sub\">{}</p>\
         <div class=\"price-tag\"><span class=\"guide\">指导价 {}</span>{deal}</div>\
         <p class=\"sc-meta\">{}</p></div></div>",
        escape(&series.name_zh),
        escape(&series.card_facts()),
        series.guide_text(),
        escape(&series.card_meta()),
    )
}

/// The asset folder the shell refers to: `/assets/{version}/...`.
pub fn asset_version(shell: &str) -> Option<&str> {
    let start = shell.find("/assets/")? + "/assets/".len();
    let rest = &shell[start..];
    let end = rest.find('/')?;
    let version = &rest[..end];
    let plain = !version.is_empty()
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    plain.then_some(version)
}

/// `http://host` as the client reached us (a proxy's X-Forwarded-Proto respected).
pub fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let proto = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{proto}://{host}")
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_the_marker_with_escaped_meta() {
        let meta = PageMeta {
            status: StatusCode::OK,
            title: "秦PLUS <DM-i> - \"演示\"".into(),
            description: "a & b".into(),
            heading: "车链<演示>".into(),
            first_paint: None,
            theme: shared::theme::brand_style("#C8102E"),
        };
        let shell =
            "<html lang=\"zh-CN\"><head><!--meta--><link href=\"/assets/v1a2/app.css\"></head><!--skeleton-->";
        let out = fill_shell(shell, &meta, Some("http://h/assets/v1a2/icon.png"));
        assert!(out.contains("<title>秦PLUS &lt;DM-i&gt; - &quot;演示&quot;</title>"));
        assert!(out.contains("content=\"a &amp; b\""));
        assert!(out.contains("og:image\" content=\"http://h/assets/v1a2/icon.png\""));
        assert!(!out.contains(META_MARKER));
        assert!(out.contains("<h1>车链&lt;演示&gt;</h1>"));
        assert!(
            out.starts_with("<html lang=\"zh-CN\" data-theme=\"--brand:#c8102e;--brand-ink:#"),
            "{out}"
        );
        let test_drive = PageMeta {
            first_paint: Page::TestDrive.first_paint().map(Painted::Plain),
            ..meta.clone()
        };
        let painted = fill_shell(shell, &test_drive, None);
        assert!(
            painted.contains("<main class=\"page\"><h1>预约试驾</h1><p class=\"lede\">选好车型")
        );
        assert!(!painted.contains("车链&lt;演示&gt;</h1>"));
        let model = PageMeta {
            first_paint: Some(Painted::Series(
                FirstPaint {
                    heading: "秦PLUS".into(),
                    lede: "比亚迪<秦>".into(),
                },
                None,
            )),
            ..meta.clone()
        };
        assert!(fill_shell(shell, &model, None).contains(
            "<main class=\"page series\"><header class=\"series-head\"><div class=\"series-art\"></div>\
             <h1>秦PLUS</h1><p class=\"lede\">比亚迪&lt;秦&gt;</p></header>"
        ));
        let hash = "0123456789abcdef0123456789abcdef";
        let covered = PageMeta {
            first_paint: Some(Painted::Series(
                FirstPaint {
                    heading: "秦PLUS".into(),
                    lede: "比亚迪".into(),
                },
                Some(shared::photo::Photo {
                    hash: hash.into(),
                    width: 1080,
                    height: 720,
                    widths: vec![360, 720, 1080],
                }),
            )),
            ..meta.clone()
        };
        let out = fill_shell(shell, &covered, None);
        assert!(out.contains(&format!(
            "<div class=\"series-art has-photo\"><img class=\"series-cover\" src=\"/media/{hash}-720.webp\" \
             srcset=\"/media/{hash}-360.webp 360w, /media/{hash}-720.webp 720w, /media/{hash}-1080.webp 1080w\" \
             sizes=\"(min-width: 480px) 480px, 100vw\" width=\"1080\" height=\"720\" alt=\"秦PLUS\" \
             fetchpriority=\"high\"></div>"
        )), "{out}");
        let no_marker = fill_shell("<head></head>", &meta, None);
        assert!(no_marker.contains("<title>"));
        assert_eq!(asset_version(shell), Some("v1a2"));
        assert_eq!(asset_version("<head></head>"), None);
    }

    #[test]
    fn the_catalogue_paints_its_chosen_chips_count_and_first_cards() {
        let series = |id: &str, cover: bool| SeriesSummary {
            id: id.into(),
            brand_id: "byd".into(),
            brand_name: "比亚迪".into(),
            name_zh: format!("{id}<车>"),
            name_en: String::new(),
            search_keys: String::new(),
            body_type: shared::catalog::BodyType::Sedan,
            energy_types: vec![shared::catalog::EnergyType::Phev],
            status: shared::catalog::SeriesStatus::OnSale,
            guide_min: Some(79_800),
            guide_max: Some(125_800),
            dealer_min: Some(75_800),
            seats: vec![5],
            max_range_km: None,
            trim_count: 2,
            featured: false,
            cover: cover.then(|| shared::photo::Photo {
                hash: "ab".repeat(16),
                width: 1080,
                height: 720,
                widths: vec![360, 720, 1080],
            }),
        };
        let top = CatalogueTop {
            filter: CatalogFilter::lenient([("energy", "phev"), ("q", "秦\"")]),
            brands: vec![("byd".into(), "比亚迪".into())],
            count: 7,
            first: vec![series("qin", true), series("han", false)],
        };
        let html = catalogue_top(&top);
        assert!(html.contains("value=\"秦&quot;\" disabled>"), "{html}");
        assert!(
            html.contains("<span class=\"chip on\">插混</span>"),
            "{html}"
        );
        assert_eq!(
            html.matches("chip on").count(),
            5,
            "不限 in four rows, 插混 in the fifth"
        );
        assert!(html.contains("<div class=\"brand-row\"><div class=\"chip-row\"><span class=\"chip-label\">品牌</span>"));
        assert!(html.contains("<p class=\"count\">共 7 款车系</p>"));
        assert!(html.contains(&format!(
            "<img class=\"sc-photo\" src=\"/media/{}-360.webp\" width=\"96\" height=\"72\" alt=\"\" fetchpriority=\"high\">",
            "ab".repeat(16)
        )));
        assert!(html.contains(
            "<h3 class=\"sc-name\">qin&lt;车&gt;</h3><p class=\"sc-sub\">比亚迪 · 轿车 · 插混</p>"
        ));
        assert!(html.contains("<span class=\"guide\">指导价 7.98-12.58万</span><span class=\"deal\">本店 7.58万起</span>"), "{html}");
        assert_eq!(html.matches("series-card").count(), 2);
        // Nothing to focus under aria-hidden.
        assert!(!html.contains("<a ") && !html.contains("<button"));
    }

    #[test]
    fn pages_preload_their_chunks_and_first_requests() {
        let shell = "<head><link href=\"/assets/v1/app.css\"></head>\
             <template id=\"after-paint\"><!--after-paint--></template>";
        let chunks: HashMap<String, Vec<String>> =
            serde_json::from_str(r#"{"models":["chunk_1.wasm","split_models.wasm"]}"#).unwrap();
        let out = preload(shell, "demo", &Page::Models, &[], &chunks);
        assert!(out.contains("<link rel=\"preload\" href=\"/assets/v1/chunk_1.wasm\" as=\"fetch\""));
        assert!(out.contains("/assets/v1/split_models.wasm"));
        assert!(out.contains("href=\"/api/v1/dealers/demo\" as=\"fetch\" crossorigin>"));
        assert!(out.contains("href=\"/api/v1/dealers/demo/series\" as=\"fetch\" crossorigin>"));
        assert!(out.contains("<link rel=\"stylesheet\" href=\"/assets/v1/pages.css\">"));
        assert!(!preload(shell, "demo", &Page::Home, &[], &chunks).contains("pages.css"));
        // Styles in the head, for the first paint; code and data after it.
        let (head, body) = out.split_once("</head>").unwrap();
        assert!(head.contains("pages.css") && !head.contains("preload"));
        assert!(body.contains("split_models.wasm") && body.contains("/api/v1/dealers/demo/series"));
        let compare = preload(shell, "demo", &Page::Compare, &[], &chunks);
        assert!(!compare.contains(".wasm"));
        assert!(compare.contains("/api/v1/dealers/demo\""));
        assert!(!preload(shell, "demo", &Page::Models, &[], &HashMap::new()).contains(".wasm"));
    }
}
