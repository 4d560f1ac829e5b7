//! The consultant's showcase in the browser: a consultant edits their card under 我的 (a bad
//! handle is explained under its field), makes a poster link to their showcase, opens its QR
//! and draws its poster (a PNG data URL of the poster's full size); a fresh WeChat phone
//! opens the link, sees the showcase with the card, taps a model and sees the compact card.

use base64::Engine;
use fantoccini::Locator;

use crate::browser::{erase, find, screenshot, tap_on, wait_text, wait_url, Driver};
use crate::console::sign_in;
use crate::Site;

/// Scrolls an element to the top of the screen, for a screenshot of it.
async fn scroll_to(client: &fantoccini::Client, css: &str) {
    let element = find(client, css).await;
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'start'});",
            vec![serde_json::to_value(&element).unwrap()],
        )
        .await
        .unwrap();
}

/// Waits until the image matched by `css` has loaded; its natural width and height.
async fn loaded_size(client: &fantoccini::Client, css: &str) -> (u64, u64) {
    let image = find(client, css).await;
    let reference = serde_json::to_value(&image).unwrap();
    for _ in 0..200 {
        let size = client
            .execute(
                "const i = arguments[0]; return i.complete ? [i.naturalWidth, i.naturalHeight] : null;",
                vec![reference.clone()],
            )
            .await
            .unwrap();
        if let Some([w, h]) = size.as_array().map(|a| [a[0].as_u64(), a[1].as_u64()]) {
            if let (Some(w), Some(h)) = (w, h) {
                if w > 0 {
                    return (w, h);
                }
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the image {css} never loaded");
}

/// 我的链接: a poster link made to the page `target`, once its card names `named`; the card.
pub(crate) async fn poster_link(
    client: &fantoccini::Client,
    target: &str,
    named: &str,
) -> &'static str {
    tap_on(client, "[data-test=tab-links]").await;
    let select = find(client, "[data-test=link-target]").await;
    let option = format!("option[value='{target}']");
    let page = loop {
        if let Ok(option) = select.find(Locator::Css(&option)).await {
            break option;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    page.click().await.unwrap();
    tap_on(client, "[data-test=link-channel][data-id=poster]").await;
    tap_on(client, "[data-test=make-link]").await;
    let card = "[data-test=link-card]";
    wait_text(client, card, |t| t.contains(named)).await;
    card
}

/// The poster shown (`[data-test=link-poster]`) once drawn: a 750 × 1180 PNG data URL, saved
/// as `name.png` beside the screenshots to look at.
pub(crate) async fn poster_drawn(client: &fantoccini::Client, name: &str) -> image::RgbaImage {
    let poster = "[data-test=link-poster]";
    assert_eq!(loaded_size(client, poster).await, (750, 1180));
    let src = find(client, poster)
        .await
        .attr("src")
        .await
        .unwrap()
        .unwrap_or_default();
    let png = src
        .strip_prefix("data:image/png;base64,")
        .unwrap_or_else(|| panic!("not a PNG data URL: {}", &src[..src.len().min(40)]));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(png)
        .unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        bytes.len() > 20_000,
        "a drawn poster, not a blank one: {} bytes",
        bytes.len()
    );
    let folder = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("e2e/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(format!("{name}.png")), &bytes).unwrap();
    image::load_from_memory(&bytes).unwrap().to_rgba8()
}

#[tokio::test]
async fn a_consultant_edits_their_card_and_shares_a_poster_of_their_showcase_that_a_friend_opens() {
    let site = Site::start().await;
    let driver = Driver::start().await;
    let consultant = driver.phone().await;
    sign_in(&site, &consultant, "demo-wang").await;

    // 我的: the card as seeded, a bad handle explained under its field, then a good one saved.
    tap_on(&consultant, "[data-test=tab-account]").await;
    let handle = "[data-test=profile-handle]";
    let mut seeded = String::new();
    for _ in 0..200 {
        seeded = find(&consultant, handle)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        if !seeded.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(seeded, "wang");
    let field = find(&consultant, handle).await;
    erase(&field).await;
    field.send_keys("2wang").await.unwrap();
    tap_on(&consultant, "[data-test=save-profile]").await;
    wait_text(&consultant, "[data-test=profile-handle-error]", |t| {
        t.contains("以字母开头")
    })
    .await;
    erase(&field).await;
    field.send_keys("demo-wang").await.unwrap();
    tap_on(&consultant, "[data-test=save-profile]").await;
    // The shape is fine; the server refuses the sign-in name and says so under the field.
    wait_text(&consultant, "[data-test=profile-handle-error]", |t| {
        t.contains("不能与登录账号相同")
    })
    .await;
    erase(&field).await;
    field.send_keys("wanglei").await.unwrap();
    let title = find(&consultant, "[data-test=profile-title]").await;
    erase(&title).await;
    title.send_keys("资深销售顾问").await.unwrap();
    tap_on(&consultant, "[data-test=save-profile]").await;
    wait_text(&consultant, "[data-test=profile-status]", |t| t == "已保存").await;
    wait_text(&consultant, "[data-test=profile-showcase]", |t| {
        t.contains("/demo/c/wanglei")
    })
    .await;
    let saved: (String, String) =
        sqlx::query_as("SELECT title, handle FROM staff WHERE login = 'demo-wang'")
            .fetch_one(&site.db.pool)
            .await
            .unwrap();
    assert_eq!(saved, ("资深销售顾问".into(), "wanglei".into()));
    scroll_to(&consultant, "[data-test=profile-form]").await;
    screenshot(&consultant, "30-console-profile").await;

    // 我的链接: a poster link to the showcase, its QR and its poster.
    let card = poster_link(&consultant, "/demo/c/wanglei", "顾问名片").await;
    let url = find(&consultant, &format!("{card} [data-test=link-url]"))
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(url.starts_with(&site.url("/s/")), "{url}");

    tap_on(&consultant, &format!("{card} [data-test=show-qr]")).await;
    let (w, h) = loaded_size(&consultant, "[data-test=link-qr]").await;
    assert!(w == h && w >= 250, "QR {w}x{h}");
    scroll_to(&consultant, "[data-test=link-qr]").await;
    screenshot(&consultant, "31-console-qr").await;

    tap_on(&consultant, &format!("{card} [data-test=show-poster]")).await;
    let poster = "[data-test=link-poster]";
    poster_drawn(&consultant, "32-poster").await;
    scroll_to(&consultant, poster).await;
    screenshot(&consultant, "32-console-poster").await;

    // A friend opens the link in WeChat: the showcase with the card and the models.
    let friend = driver.phone().await;
    friend.goto(&url).await.unwrap();
    wait_url(&friend, |u| u.ends_with("/demo/c/wanglei?ch=poster")).await;
    let shown = wait_text(&friend, "[data-test=consultant-card]", |t| {
        t.contains("王磊")
    })
    .await;
    assert!(
        shown.contains("资深销售顾问") && shown.contains("0571-0000 0102"),
        "{shown}"
    );
    let call = find(&friend, "[data-test=card-call]")
        .await
        .attr("href")
        .await
        .unwrap();
    assert_eq!(call.as_deref(), Some("tel:057100000102"));
    wait_text(&friend, "[data-test=card-wechat]", |t| {
        t == "wanglei_chelink"
    })
    .await;
    let title = friend.title().await.unwrap();
    assert!(
        title.contains("王磊") && title.contains("资深销售顾问"),
        "{title}"
    );
    find(
        &friend,
        "[data-test=showcase-models] [data-test=series-card]",
    )
    .await;
    screenshot(&friend, "33-showcase").await;

    // A model from there: the channel goes along and the compact card is on the page.
    tap_on(
        &friend,
        "[data-test=showcase-models] [data-test=series-card]",
    )
    .await;
    wait_url(&friend, |u| {
        u.contains("/demo/models/") && u.ends_with("?ch=poster")
    })
    .await;
    let compact = wait_text(&friend, "[data-test=my-consultant]", |t| t.contains("王磊")).await;
    assert!(compact.contains("资深销售顾问"), "{compact}");
    find(&friend, "[data-test=series-name]").await;
    screenshot(&friend, "34-model-compact-card").await;

    // Someone who came without a link sees no card there.
    let stranger = driver.phone().await;
    stranger
        .goto(&site.url("/demo/models/byd-qin-plus"))
        .await
        .unwrap();
    find(&stranger, "[data-test=series-name]").await;
    assert!(stranger
        .find(Locator::Css("[data-test=my-consultant]"))
        .await
        .is_err());
    // Nothing on these pages was refused by the Content-Security-Policy.
    driver
        .assert_no_csp_violations(&consultant, "the card, poster and showcase (consultant)")
        .await;
    driver
        .assert_no_csp_violations(&friend, "the card, poster and showcase (friend)")
        .await;
    driver
        .assert_no_csp_violations(&stranger, "the card, poster and showcase (stranger)")
        .await;
}
