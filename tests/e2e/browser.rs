//! The browser side of the end-to-end tests: Debian's ChromeDriver and headless Chromium as
//! a 375x812 phone with a WeChat user agent (or a 1280x800 desktop), waits that poll for what
//! a user would see, and what the browser's log says the Content-Security-Policy refused.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// WeChat 8 on an iPhone: what the dealer's customers open the pages with.
pub const WECHAT_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) \
    AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) \
    NetType/WIFI Language/zh_CN";

const WAIT: Duration = Duration::from_secs(20);

/// ChromeDriver for one test, in a process group of its own that the Chromium it starts
/// joins. Dropped (the test passed or panicked), it closes every session it opened, ends the
/// whole group and deletes the browsers' profiles: a run leaves no browser behind.
pub struct Driver {
    child: Child,
    port: u16,
    pub url: String,
    /// The sessions `phone` opened, closed on drop even if the test never closed them.
    sessions: Mutex<Vec<String>>,
    profiles: Mutex<Vec<PathBuf>>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Closing a session makes ChromeDriver quit its Chromium cleanly; one the test closed
        // already just answers 404. Plain blocking HTTP: a drop cannot await.
        let sessions =
            std::mem::take(&mut *self.sessions.lock().unwrap_or_else(|e| e.into_inner()));
        for id in sessions {
            delete_session(self.port, &id);
        }
        // Then whatever is left of the group: ChromeDriver, Chromium and its helpers.
        let group = i32::try_from(self.child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw);
        if let Some(group) = group {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        for profile in self
            .profiles
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
        {
            let _ = std::fs::remove_dir_all(profile);
        }
    }
}

/// `DELETE /session/{id}` on ChromeDriver, waiting for its answer (the browser has quit).
fn delete_session(port: u16, id: &str) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!(
        "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let _ = stream.read_to_end(&mut Vec::new());
    }
}

impl Driver {
    pub async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let binary =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own group, which the browsers it starts join: one signal ends them all.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("could not start {binary} (cargo xtask test installs it): {e}")
            });
        let driver = Self {
            child,
            port,
            url: format!("http://127.0.0.1:{port}"),
            sessions: Mutex::default(),
            profiles: Mutex::default(),
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < WAIT,
                "chromedriver did not listen on {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        driver
    }

    /// A fresh browser context: its own profile, no cookies or storage from another.
    pub async fn phone(&self) -> Client {
        self.open(serde_json::json!({
            "deviceMetrics": { "width": 375, "height": 812, "pixelRatio": 2.0, "touch": true, "mobile": true },
            "userAgent": WECHAT_UA,
        }))
        .await
    }

    /// A fresh browser context 1280x800 wide, as on a desktop (WeChat for Windows or Mac, a
    /// manager's laptop): no touch, a pixel ratio of 1.
    pub async fn desktop(&self) -> Client {
        self.open(serde_json::json!({
            "deviceMetrics": { "width": 1280, "height": 800, "pixelRatio": 1.0, "touch": false, "mobile": false },
        }))
        .await
    }

    async fn open(&self, emulation: serde_json::Value) -> Client {
        let profile =
            std::env::temp_dir().join(format!("chelink-e2e-{}-{}", std::process::id(), next()));
        self.profiles.lock().unwrap().push(profile.clone());
        let caps = serde_json::json!({
            "browserName": "chrome",
            // The console log, where Chromium reports what the CSP refused (`csp_violations`).
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                    "--hide-scrollbars", format!("--user-data-dir={}", profile.display()),
                ],
                "mobileEmulation": emulation,
            },
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        // ChromeDriver speaks plain HTTP on loopback: no TLS stack needed.
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a Chromium session");
        if let Ok(Some(id)) = client.session_id().await {
            self.sessions.lock().unwrap().push(id.to_string());
        }
        client
    }
}

impl Driver {
    /// What Chromium logged about the Content-Security-Policy since the last call (each call
    /// empties the log): its console log, kept by `goog:loggingPrefs`, read through
    /// ChromeDriver's log endpoint. A violation is logged even when it happened before any
    /// script of ours could listen.
    pub async fn csp_violations(&self, client: &Client) -> Vec<String> {
        let session = client
            .session_id()
            .await
            .expect("session id")
            .expect("a session");
        let answer: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/session/{session}/se/log", self.url))
            .json(&serde_json::json!({"type": "browser"}))
            .send()
            .await
            .expect("ChromeDriver's log")
            .json()
            .await
            .expect("a JSON log");
        answer["value"]
            .as_array()
            .unwrap_or_else(|| panic!("no browser log: {answer}"))
            .iter()
            .filter_map(|entry| entry["message"].as_str())
            .filter(|message| message.contains("Content Security Policy"))
            .map(str::to_string)
            .collect()
    }

    /// Fails when Chromium refused anything on the pages opened since the last check.
    pub async fn assert_no_csp_violations(&self, client: &Client, pages: &str) {
        let seen = self.csp_violations(client).await;
        assert!(seen.is_empty(), "CSP violations on {pages}: {seen:#?}");
    }
}

fn next() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

/// Waits for an element to appear, as a user waits for a page.
pub async fn find(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
}

/// Waits until the element's text satisfies `ok`; returns the text.
pub async fn wait_text(client: &Client, css: &str, ok: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < WAIT {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            if let Ok(text) = element.text().await {
                if ok(&text) {
                    return text;
                }
                last = text;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    screenshot(client, "failed-wait-text").await;
    panic!(
        "{css} never showed the expected text; last seen: {last:?} (screenshot failed-wait-text)"
    )
}

/// Waits until `count` elements match.
pub async fn wait_count(client: &Client, css: &str, ok: impl Fn(usize) -> bool) -> usize {
    let started = Instant::now();
    let mut last = 0;
    while started.elapsed() < WAIT {
        last = client
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.len())
            .unwrap_or(0);
        if ok(last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{css}: unexpected count {last}")
}

/// Waits until the address bar satisfies `ok`; returns it.
pub async fn wait_url(client: &Client, ok: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < WAIT {
        last = client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        if ok(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the URL never matched; last: {last}")
}

/// Saves what the user sees to `tests/e2e/screenshots/<name>.png` (git-ignored).
pub async fn screenshot(client: &Client, name: &str) {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("e2e/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(folder.join(format!("{name}.png")), png).unwrap();
}

/// Taps an element as a user would: scrolled to the middle of the screen first, clear of the
/// fixed tab bar.
pub async fn tap(client: &Client, element: &Element) {
    let reference = serde_json::to_value(element).unwrap();
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![reference],
        )
        .await
        .unwrap();
    element
        .click()
        .await
        .unwrap_or_else(|e| panic!("could not tap: {e}"));
}

/// Waits for an element and taps it.
pub async fn tap_on(client: &Client, css: &str) {
    let element = find(client, css).await;
    tap(client, &element).await;
}

/// Types `text` into the field `css` after emptying it, as a user does.
pub async fn fill(client: &Client, css: &str, text: &str) {
    let field = find(client, css).await;
    erase(&field).await;
    field.send_keys(text).await.unwrap();
}

/// Sets a date or time input's value as the browser's picker does (WebDriver types a date's
/// digits in the locale's order), with the `input` event the page listens for.
pub async fn set_input(client: &Client, css: &str, value: &str) {
    client
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![css.into(), value.into()],
        )
        .await
        .unwrap();
}

/// Empties a text field as a user does, by selecting its text and deleting it, so the page
/// sees an `input` event (WebDriver's clear sends none).
pub async fn erase(element: &Element) {
    // Control+A (held until the null key), then Backspace.
    element
        .send_keys("\u{E009}a\u{E000}\u{E003}")
        .await
        .unwrap();
}

/// Starts recording what would break the app for its user: uncaught errors (a Rust panic
/// in the app surfaces as `RuntimeError: unreachable`), rejected promises and console errors.
/// Recorded until the next full page load; read with [`page_errors`].
pub async fn record_errors(client: &Client) {
    client
        .execute(
            "if (!window.__errors) {
               window.__errors = [];
               addEventListener('error', e => __errors.push(String(e.message || e)));
               addEventListener('unhandledrejection', e => __errors.push(String(e.reason)));
               const error = console.error.bind(console);
               console.error = (...args) => { __errors.push(args.map(String).join(' ')); error(...args); };
             }",
            vec![],
        )
        .await
        .unwrap();
}

/// What [`record_errors`] has seen so far.
pub async fn page_errors(client: &Client) -> Vec<String> {
    let seen = client
        .execute(
            "return window.__errors || ['record_errors was not called'];",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(seen).unwrap()
}

/// A slow mobile link for this session from now on (ChromeDriver's network conditions):
/// every request waits most of a second, so a page's chunk and data arrive well after a tap.
pub async fn slow_network(driver: &Driver, client: &Client) {
    let id = client.session_id().await.unwrap().expect("a session");
    reqwest::Client::new()
        .post(format!(
            "{}/session/{id}/chromium/network_conditions",
            driver.url
        ))
        .json(&serde_json::json!({
            "network_conditions": {
                "offline": false,
                "latency": 800,
                "download_throughput": 4_000_000,
                "upload_throughput": 1_000_000,
            }
        }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
}
