//! The share poster (海报), drawn on a `<canvas>` in the staff member's phone, which has the
//! Chinese fonts the server lacks: the car as the catalogue shows it (the dealer's cover
//! photo, else its silhouette in the dealer's colour) or the showcase's range, the price from
//! the dealer's offer (¥X万起),
//! the consultant's name and title, and the link's QR (`/s/{code}/qr.png`, same-origin,
//! so the canvas stays exportable). The result is a PNG data URL, shown as an `<img>` that
//! WeChat lets one long-press to save.

use shared::catalog::BodyType;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement, Path2d};

use crate::components::silhouette;

/// What a poster shows.
#[derive(Clone, Debug, PartialEq)]
pub struct PosterFacts {
    /// The car (`秦PLUS`), or the showcase's headline.
    pub headline: String,
    /// Under the headline: the brand and body, or the range on show.
    pub subline: String,
    /// `¥X万起`, when the dealer's offer has a price.
    pub price: Option<String>,
    pub body: BodyType,
    /// The dealer's cover photo of the car (`/media/…`, same-origin, so the canvas stays
    /// exportable), drawn instead of the silhouette.
    pub photo: Option<String>,
    pub dealer: String,
    /// `#07c160`: the dealer's brand colour.
    pub colour: String,
    pub consultant: String,
    pub title: String,
    /// `/s/{code}/qr.png`
    pub qr: String,
}

/// The poster's size in pixels: 2x a 375-point phone screen, so it is sharp when saved.
pub const WIDTH: f64 = 750.0;
const HEIGHT: f64 = 1180.0;
/// The stage the car stands on, under the dealer's band.
const STAGE_TOP: f64 = 120.0;
const STAGE_HEIGHT: f64 = 400.0;
const FONT: &str = "\"PingFang SC\", \"Noto Sans CJK SC\", \"Microsoft YaHei\", sans-serif";

fn failed(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// Draws the poster and returns it as `data:image/png;base64,...`.
pub async fn draw(facts: &PosterFacts) -> Result<String, String> {
    let qr = load_image(&facts.qr).await?;
    // A photo that fails to load leaves the silhouette: the poster is still worth sharing.
    let photo = match &facts.photo {
        Some(src) => load_image(src).await.ok(),
        None => None,
    };
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| "not a canvas")?;
    canvas.set_width(WIDTH as u32);
    canvas.set_height(HEIGHT as u32);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(failed)?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "not a 2d context")?;
    paint(&ctx, facts, photo.as_ref(), &qr)?;
    canvas.to_data_url_with_type("image/png").map_err(failed)
}

/// An image, once it has loaded and decoded.
async fn load_image(src: &str) -> Result<HtmlImageElement, String> {
    let image = HtmlImageElement::new().map_err(failed)?;
    image.set_src(src);
    wasm_bindgen_futures::JsFuture::from(image.decode())
        .await
        .map_err(|_| "图片加载失败".to_string())?;
    Ok(image)
}

fn text(ctx: &CanvasRenderingContext2d, words: &str, x: f64, y: f64, font: &str, colour: &str) {
    ctx.set_font(&format!("{font} {FONT}"));
    ctx.set_fill_style_str(colour);
    let _ = ctx.fill_text(words, x, y);
}

fn paint(
    ctx: &CanvasRenderingContext2d,
    facts: &PosterFacts,
    photo: Option<&HtmlImageElement>,
    qr: &HtmlImageElement,
) -> Result<(), String> {
    // The page: white, with the dealer's colour as a band on top.
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, WIDTH, HEIGHT);
    ctx.set_fill_style_str(&facts.colour);
    ctx.fill_rect(0.0, 0.0, WIDTH, STAGE_TOP);
    ctx.set_text_baseline("middle");
    text(ctx, &facts.dealer, 48.0, 60.0, "600 34px", "#ffffff");

    // The car: its photo filling the stage, or as the catalogue draws it on a light stage.
    match photo {
        Some(photo) => draw_photo(ctx, photo)?,
        None => {
            ctx.set_fill_style_str("#f4f5f7");
            ctx.fill_rect(0.0, STAGE_TOP, WIDTH, STAGE_HEIGHT);
            draw_car(ctx, facts.body, &facts.colour)?;
        }
    }

    // What it is and what it costs.
    ctx.set_text_baseline("alphabetic");
    text(ctx, &facts.headline, 48.0, 610.0, "700 60px", "#191919");
    text(ctx, &facts.subline, 48.0, 664.0, "400 28px", "#5f5f5f");
    if let Some(price) = &facts.price {
        text(ctx, price, 48.0, 752.0, "700 64px", "#e4393c");
    }

    // Who to ask, and the code that opens the page.
    ctx.set_fill_style_str("#e5e5e5");
    ctx.fill_rect(48.0, 800.0, WIDTH - 96.0, 2.0);
    text(ctx, &facts.consultant, 48.0, 880.0, "700 40px", "#191919");
    text(ctx, &facts.title, 48.0, 934.0, "400 28px", "#5f5f5f");
    text(ctx, "长按识别二维码", 48.0, 1010.0, "400 28px", "#191919");
    text(
        ctx,
        "看车型 · 问底价 · 约试驾",
        48.0,
        1054.0,
        "400 24px",
        "#5f5f5f",
    );
    let side = 300.0;
    ctx.draw_image_with_html_image_element_and_dw_and_dh(
        qr,
        WIDTH - 48.0 - side,
        830.0,
        side,
        side,
    )
    .map_err(failed)?;
    Ok(())
}

/// The photo over the whole stage, cropped around its middle as `object-fit: cover` would.
fn draw_photo(ctx: &CanvasRenderingContext2d, photo: &HtmlImageElement) -> Result<(), String> {
    let (w, h) = (
        f64::from(photo.natural_width()),
        f64::from(photo.natural_height()),
    );
    let scale = (WIDTH / w).max(STAGE_HEIGHT / h);
    let (sw, sh) = (WIDTH / scale, STAGE_HEIGHT / scale);
    ctx.draw_image_with_html_image_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        photo,
        (w - sw) / 2.0,
        (h - sh) / 2.0,
        sw,
        sh,
        0.0,
        STAGE_TOP,
        WIDTH,
        STAGE_HEIGHT,
    )
    .map_err(failed)
}

/// The silhouette's 120×48 drawing, scaled up five times in the stage's middle.
fn draw_car(ctx: &CanvasRenderingContext2d, body: BodyType, colour: &str) -> Result<(), String> {
    let (outline, windows) = silhouette::paths(body);
    let scale = 5.0;
    ctx.save();
    let _ = ctx.translate((WIDTH - 120.0 * scale) / 2.0, 180.0);
    let _ = ctx.scale(scale, scale);
    ctx.set_fill_style_str(colour);
    ctx.fill_with_path_2d(&Path2d::new_with_path_string(outline).map_err(failed)?);
    ctx.set_global_alpha(0.7);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_with_path_2d(&Path2d::new_with_path_string(windows).map_err(failed)?);
    ctx.set_global_alpha(1.0);
    for x in silhouette::wheels(body) {
        for (radius, fill) in [(8.0, "#2b2b2b"), (3.5, "#d9d9d9")] {
            ctx.begin_path();
            let _ = ctx.arc(f64::from(x), 37.0, radius, 0.0, std::f64::consts::TAU);
            ctx.set_fill_style_str(fill);
            ctx.fill();
        }
    }
    ctx.restore();
    Ok(())
}
