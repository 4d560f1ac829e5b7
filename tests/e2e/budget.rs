//! First loads, counted as a phone in WeChat fetches them: a shell and what it names (css,
//! js, the wasm, and the modules the entry script imports up front), brotli as served. The
//! consumer's home page stays within 130 KB (the performance bar) and carries none of the
//! staff console's code; the console's sign-in stays within 200 KB (issue 19's bar: its tabs
//! are lazily loaded chunks) and carries none of the consumer's. A build's bytes are the same
//! on every run, so these are real tests, not timed ones.

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, USER_AGENT};

use crate::browser::WECHAT_UA;
use crate::Site;

/// The consumer first load's budget, brotli bytes: the performance bar (130 KB).
const BUDGET: usize = 130_000;

/// The console first load's budget, brotli bytes (200 KB).
const CONSOLE_BUDGET: usize = 200_000;

/// The body of `path` sent with `encoding`, and the encoding the server answered with.
async fn fetch(site: &Site, path: &str, encoding: &str) -> (Vec<u8>, Option<String>) {
    // No automatic decoding: the bytes counted are the bytes sent.
    let response = reqwest::Client::new()
        .get(site.url(path))
        .header(ACCEPT_ENCODING, encoding)
        .header(USER_AGENT, WECHAT_UA)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
    let sent = response
        .headers()
        .get(CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (response.bytes().await.unwrap().to_vec(), sent)
}

/// What a first visit to `page` loads: the shell's assets, then the modules its scripts import.
async fn first_load(site: &Site, page: &str) -> Vec<String> {
    let (html, _) = fetch(site, page, "identity").await;
    let html = String::from_utf8(html).unwrap();
    let mut assets: Vec<String> = Vec::new();
    for piece in html.split('"') {
        let named = piece.starts_with("/assets/")
            && [".css", ".js", ".wasm"].iter().any(|e| piece.ends_with(e));
        if named && !assets.iter().any(|a| a == piece) {
            assets.push(piece.to_string());
        }
    }
    assert!(!assets.is_empty(), "the shell of {page} names no assets");
    for script in assets.clone().iter().filter(|a| a.ends_with(".js")) {
        let folder = &script[..script.rfind('/').map_or(0, |i| i + 1)];
        let (code, _) = fetch(site, script, "identity").await;
        let code = String::from_utf8(code)
            .unwrap()
            .replace("from \"", "from\"");
        for import in code
            .split("from\"./")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
        {
            let path = format!("{folder}{import}");
            if !assets.contains(&path) {
                assets.push(path);
            }
        }
    }
    assets
}

/// The brotli bytes of `page`'s shell and `assets`, each checked to be sent brotli, with a
/// line a file for the failure message.
async fn brotli_total(site: &Site, page: &str, assets: Vec<String>) -> (usize, String) {
    let mut total = 0;
    let mut lines = Vec::new();
    for path in std::iter::once(page.to_string()).chain(assets) {
        let (body, sent) = fetch(site, &path, "br").await;
        assert_eq!(sent.as_deref(), Some("br"), "{path} was not sent brotli");
        total += body.len();
        lines.push(format!("{path}: {} B", body.len()));
    }
    println!("{page} first load: {total} B brotli\n{}", lines.join("\n"));
    (total, lines.join("\n"))
}

#[tokio::test]
async fn the_consumer_first_load_stays_within_its_budget_and_carries_no_console_code() {
    let site = Site::start().await;
    let assets = first_load(&site, "/demo/").await;
    assert!(
        assets.iter().any(|a| a.ends_with("consumer_bg.wasm")),
        "{assets:?}"
    );
    let console: Vec<&String> = assets.iter().filter(|a| a.contains("console")).collect();
    assert!(
        console.is_empty(),
        "the consumer's first load names console code: {console:?}"
    );
    let (total, lines) = brotli_total(&site, "/demo/", assets).await;
    assert!(
        total <= BUDGET,
        "the consumer first load is {total} B brotli, over its {BUDGET} B budget:\n{lines}"
    );
}

#[tokio::test]
async fn the_console_sign_in_stays_within_its_budget_and_loads_no_tab() {
    let site = Site::start().await;
    let assets = first_load(&site, "/console/").await;
    assert!(
        assets
            .iter()
            .any(|a| a.ends_with("console/console_bg.wasm")),
        "{assets:?}"
    );
    // Its tabs are chunks the loader fetches when a tab opens, never named up front.
    let up_front: Vec<&String> = assets
        .iter()
        .filter(|a| a.contains("consumer") || a.contains("/split_") || a.contains("/chunk_"))
        .collect();
    assert!(
        up_front.is_empty(),
        "the console's first load names a tab's chunk or consumer code: {up_front:?}"
    );
    let (total, lines) = brotli_total(&site, "/console/", assets).await;
    assert!(
        total <= CONSOLE_BUDGET,
        "the console first load is {total} B brotli, over its {CONSOLE_BUDGET} B budget:\n{lines}"
    );
}
