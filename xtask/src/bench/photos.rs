//! Photos for the page bench: a manager uploads a cover for every series the demo dealer sells,
//! so Lighthouse measures the pages as a dealer with photos shows them.

use super::*;

/// A 1600 × 1000 JPEG with a photo's detail (a gradient under fine noise, so it compresses as
/// a photograph does rather than as a flat drawing), the same for every run.
fn photo() -> Result<Vec<u8>> {
    let mut seed: u32 = 0x2026_1207;
    let picture = image::RgbImage::from_fn(1600, 1000, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = seed % 24;
        let base = if y < 560 {
            [70 + y / 9, 130 + y / 8, 210]
        } else {
            [60 + x / 40, 64 + x / 40, 70]
        };
        image::Rgb(base.map(|c| (c + noise).min(255) as u8))
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(picture).write_to(
        &mut std::io::Cursor::new(&mut out),
        image::ImageFormat::Jpeg,
    )?;
    Ok(out)
}

/// Signs in as the demo manager and uploads one cover per series on sale; says in `report`
/// how many and how large the 720-px WebP came out.
pub(super) fn upload_covers(port: u16, report: &mut String) -> Result<()> {
    let cookie = sign_in(port, MANAGER)?;
    let list = get(port, "/api/v1/dealers/demo/series", "identity")?;
    let list: serde_json::Value = serde_json::from_slice(&list.body)?;
    let series: Vec<&str> = list["items"]
        .as_array()
        .context("no series list")?
        .iter()
        .filter(|s| s["status"] == "on_sale")
        .filter_map(|s| s["id"].as_str())
        .collect();
    let jpeg = photo()?;
    let boundary = "chelink-bench-photo";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncover\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cover.jpg\"\r\n\
         Content-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&jpeg);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    for id in &series {
        let path = format!("/api/v1/console/catalog/photos/series/{id}");
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let headers = [("Content-Type", content_type.as_str()), ("Cookie", &cookie)];
        let uploaded = request(port, &format!("POST {path}"), &headers, &body)?;
        ensure!(
            uploaded.status == 201,
            "{path} answered {}",
            uploaded.status
        );
    }
    let detail = get(
        port,
        &format!("/api/v1/dealers/demo/series/{}", series[0]),
        "identity",
    )?;
    let detail: serde_json::Value = serde_json::from_slice(&detail.body)?;
    let hash = detail["series"]["cover"]["hash"]
        .as_str()
        .context("no cover on the model page")?;
    let webp = get(port, &format!("/media/{hash}-720.webp"), "identity")?;
    ensure!(
        webp.status == 200,
        "the cover's 720-px WebP answered {}",
        webp.status
    );
    let _ = writeln!(
        report,
        "## Photos\n\nThe demo manager uploaded a cover for each of the {} series on sale (a \
         1600 × 1000 JPEG of {:.1} KB with a photo's fine detail); its 720-px WebP is {:.1} KB.\n",
        series.len(),
        jpeg.len() as f64 / 1000.0,
        webp.body.len() as f64 / 1000.0,
    );
    Ok(())
}
