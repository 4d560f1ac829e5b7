//! The consumer's first load, counted as a phone in WeChat fetches it: the home page's shell
//! and what it names (css, js, the wasm, and the modules the entry script imports up front),
//! brotli as served, stays within 130 KB (the performance bar) and carries none of the staff
//! console's code. A build's bytes are the same on every run, so this is a real test, not a
//! timed one.

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, USER_AGENT};

use crate::browser::WECHAT_UA;
use crate::Site;

/// The consumer first load's budget, brotli bytes: the performance bar (130 KB).
const BUDGET: usize = 130_000;

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
    let mut total = 0;
    let mut lines = Vec::new();
    for path in std::iter::once("/demo/".to_string()).chain(assets) {
        let (body, sent) = fetch(&site, &path, "br").await;
        assert_eq!(sent.as_deref(), Some("br"), "{path} was not sent brotli");
        total += body.len();
        lines.push(format!("{path}: {} B", body.len()));
    }
    println!(
        "consumer first load: {total} B brotli\n{}",
        lines.join("\n")
    );
    assert!(
        total <= BUDGET,
        "the consumer first load is {total} B brotli, over its {BUDGET} B budget:\n{}",
        lines.join("\n")
    );
}
