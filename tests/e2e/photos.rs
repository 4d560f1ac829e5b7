//! A manager uploads a model's cover photo in the console's 车型 → 图片, and the buyer's model
//! page opens on it: the server's first paint and the app's `<img>` carry its `srcset`, width
//! and height, the picture has loaded (naturalWidth > 0), and the 车型库 card shows it too.
//! Two gallery pictures are put in another order with 后移. The catalogue's server-painted top
//! and first card, cover photo first, lie exactly where the app then draws them. The model's
//! share poster stands the photo on its stage.

use std::io::Cursor;

use shared::catalog::SeriesDetail;

use crate::browser::{find, screenshot, tap_on, wait_count, Driver};
use crate::console::sign_in;
use crate::showcase::{poster_drawn, poster_link};
use crate::Site;

const SERIES: &str = "leapmotor-b01";

/// A 1600 × 1000 JPEG made here: a sky over a road, so the screenshot shows a picture.
fn photo() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(1600, 1000, |x, y| {
        if y < 600 {
            image::Rgb([90, (150 + y / 12) as u8, 230])
        } else {
            let shade = (60 + (x / 40 + y / 40) % 2 * 30) as u8;
            image::Rgb([shade, shade, shade + 10])
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

#[tokio::test]
async fn a_manager_uploads_a_cover_and_the_buyer_sees_it_on_the_model_page() {
    let site = Site::start().await;
    let driver = Driver::start().await;

    let manager = driver.phone().await;
    sign_in(&site, &manager, "demo-manager").await;
    manager.goto(&site.url("/console/catalog")).await.unwrap();
    tap_on(
        &manager,
        &format!("[data-test=catalog-series][data-id={SERIES}] [data-test=series-photos]"),
    )
    .await;
    find(&manager, "[data-test=photos-title]").await;
    let file = std::env::temp_dir().join(format!("chelink-e2e-cover-{}.jpg", std::process::id()));
    std::fs::write(&file, photo()).unwrap();
    find(&manager, "[data-test=upload-cover]")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    wait_count(
        &manager,
        "[data-test=cover-photos] [data-test=console-photo]",
        |n| n == 1,
    )
    .await;
    let _ = std::fs::remove_file(&file);
    screenshot(&manager, "photos-console-cover").await;

    // Two gallery pictures, then the first moved after the second.
    for n in 0..2u8 {
        let file = std::env::temp_dir().join(format!(
            "chelink-e2e-gallery-{}-{n}.png",
            std::process::id()
        ));
        let picture =
            image::RgbImage::from_fn(720, 480, |x, _| image::Rgb([n * 120, (x / 3) as u8, 140]));
        picture.save(&file).unwrap();
        find(&manager, "[data-test=upload-gallery]")
            .await
            .send_keys(file.to_str().unwrap())
            .await
            .unwrap();
        wait_count(
            &manager,
            "[data-test=gallery-photos] [data-test=console-photo]",
            |c| c == usize::from(n) + 1,
        )
        .await;
        let _ = std::fs::remove_file(&file);
    }
    let ids = || async {
        let mut ids = Vec::new();
        for photo in manager
            .find_all(fantoccini::Locator::Css(
                "[data-test=gallery-photos] [data-test=console-photo]",
            ))
            .await
            .unwrap()
        {
            ids.push(photo.attr("data-id").await.unwrap().unwrap());
        }
        ids
    };
    let before = ids().await;
    tap_on(
        &manager,
        "[data-test=gallery-photos] [data-test=console-photo]:first-child [data-test=photo-later]",
    )
    .await;
    let started = std::time::Instant::now();
    while ids().await == before {
        assert!(
            started.elapsed().as_secs() < 10,
            "the gallery kept its order"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(ids().await, vec![before[1].clone(), before[0].clone()]);
    screenshot(&manager, "photos-console-gallery").await;

    let detail: SeriesDetail = site
        .api(&format!("/api/v1/dealers/demo/series/{SERIES}"))
        .await;
    let cover = detail
        .series
        .cover
        .expect("the cover on the model page's data");
    assert_eq!(cover.widths, vec![360, 720, 1080]);

    let buyer = driver.phone().await;
    buyer
        .goto(&site.url(&format!("/demo/models/{SERIES}")))
        .await
        .unwrap();
    // The app's own `<img>` (the skeleton's has no data-test), once it has loaded.
    find(&buyer, "main.page [data-test=series-cover]").await;
    let started = std::time::Instant::now();
    let (natural, srcset, width, height, priority, current) = loop {
        let got = buyer
            .execute(
                "const i = document.querySelector('main.page [data-test=series-cover]');\
                 return [i.complete ? i.naturalWidth : 0, i.getAttribute('srcset'),\
                 i.getAttribute('width'), i.getAttribute('height'), i.getAttribute('fetchpriority'), i.currentSrc];",
                vec![],
            )
            .await
            .unwrap();
        let natural = got[0].as_u64().unwrap_or(0);
        if natural > 0 || started.elapsed() > std::time::Duration::from_secs(20) {
            break (
                natural,
                got[1].as_str().unwrap_or_default().to_string(),
                got[2].as_str().unwrap_or_default().to_string(),
                got[3].as_str().unwrap_or_default().to_string(),
                got[4].as_str().unwrap_or_default().to_string(),
                got[5].as_str().unwrap_or_default().to_string(),
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(natural > 0, "the cover never loaded");
    // With `w` descriptors the natural width is the slot's (the phone's 375 px); the file the
    // browser picked is one of the stored widths.
    assert!(
        cover
            .widths
            .iter()
            .any(|w| current.ends_with(&cover.url(*w))),
        "{current}"
    );
    assert_eq!(srcset, cover.srcset());
    assert_eq!(
        (width, height),
        (cover.width.to_string(), cover.height.to_string())
    );
    assert_eq!(priority, "high");
    screenshot(&buyer, "photos-model-page").await;

    buyer.goto(&site.url("/demo/models")).await.unwrap();
    find(
        &buyer,
        &format!("[data-test=series-card][data-id={SERIES}] [data-test=card-cover]"),
    )
    .await;
    screenshot(&buyer, "photos-catalogue").await;

    // The catalogue filtered to the B01's brand: the server paints its top and first card,
    // photo first, exactly where the app then draws them.
    buyer
        .goto(&site.url("/demo/models?brand=leapmotor&energy=bev"))
        .await
        .unwrap();
    find(&buyer, "[data-test=series-card] [data-test=card-cover]").await;
    wait_count(&buyer, "#skeleton", |n| n == 0).await;
    let painted = buyer
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(location.href).then(r => r.text()).then(html => {\
               const shell = new DOMParser().parseFromString(html, 'text/html');\
               const skeleton = document.importNode(shell.getElementById('skeleton'), true);\
               document.body.prepend(skeleton);\
               const place = (root, css) => {\
                 const e = root.querySelector(css);\
                 if (!e) return null;\
                 const r = e.getBoundingClientRect();\
                 return [css, Math.round(r.top), Math.round(r.left), Math.round(r.width), Math.round(r.height)];\
               };\
               const app = document.getElementById('app');\
               const parts = ['.search input', '.filters', '.chip-row:nth-child(2) .chip.on',\
                 '.brand-row .chip.on', '.result-bar', '.series-card', '.sc-photo', '.sc-name'];\
               const img = e => e.querySelector('.sc-photo').getAttribute('src');\
               done({\
                 skeleton: parts.map(css => place(skeleton, css)),\
                 app: parts.map(css => place(app, css)),\
                 photos: [img(skeleton), img(app)],\
                 count: [skeleton.querySelector('.count').textContent, app.querySelector('.count').textContent],\
                 priority: skeleton.querySelector('.sc-photo').getAttribute('fetchpriority'),\
               });\
             });",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&buyer, "photos-catalogue-painted").await;
    assert_eq!(painted["skeleton"], painted["app"], "{painted}");
    assert!(
        painted["skeleton"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| !p.is_null()),
        "{painted}"
    );
    assert_eq!(painted["photos"][0], painted["photos"][1], "{painted}");
    assert_eq!(painted["count"][0], painted["count"][1], "{painted}");
    assert_eq!(painted["priority"], "high");

    // The manager's poster of the B01 stands the photo on its stage, not the silhouette.
    let card = poster_link(&manager, &format!("/demo/models/{SERIES}"), "零跑B01").await;
    tap_on(&manager, &format!("{card} [data-test=show-poster]")).await;
    let poster = poster_drawn(&manager, "photos-poster").await;
    // The photo's sky (blue over red), where the silhouette's stage is a pale grey.
    let image::Rgba([r, _, b, _]) = *poster.get_pixel(375, 200);
    assert!(
        b > 180 && r < 150,
        "the stage shows ({r}, _, {b}), not the photo's sky"
    );
}
