//! `/console/catalog/photos?series={id}` 车型图片 (managers): a series' cover and gallery and
//! its trims' colours at this dealer — upload (checked here by `shared::photo` before it is
//! sent, and again by the server, which re-encodes it and drops EXIF and location) and delete;
//! each change shows on the consumer pages at once.

use leptos::prelude::*;
use shared::photo::{
    check_colour, check_file, DealerPhoto, GalleryOrder, PhotoKind, SeriesPhotos, ACCEPT_TYPES,
};
use wasm_bindgen::JsCast;

use super::{api, use_session, CATALOG};
use crate::components::status::{LoadError, Loading};

/// The file an `<input type=file>` change picked, if any.
fn picked(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))
}

/// Empties a file input, so picking the same file again uploads again.
fn clear(ev: &leptos::ev::Event) {
    if let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.set_value("");
    }
}

#[component]
pub fn Photos() -> impl IntoView {
    super::set_title("车型图片");
    let session = use_session();
    let series = crate::nav::use_nav()
        .query()
        .with_untracked(|q| q.get("series").map(str::to_string))
        .unwrap_or_default();
    // Bumped after each change: the list is read again from the server.
    let changed = RwSignal::new(0u32);
    let photos = LocalResource::new(move || {
        changed.track();
        let series = series.clone();
        async move { session.check(api::series_photos(&series).await) }
    });
    let content = move || match photos.get() {
        None => view! { <Loading count=3 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(list)) => view! { <SeriesPhotoForms list changed /> }.into_any(),
    };
    view! {
        <main class="c-page">
            <p><a href=CATALOG data-test="back-to-catalog">"← 车型"</a></p>
            {content}
        </main>
    }
}

#[component]
fn SeriesPhotoForms(list: SeriesPhotos, changed: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<(String, String)>);
    let busy = RwSignal::new(None::<&'static str>);
    let under = move |place: &'static str| {
        move || {
            error
                .get()
                .and_then(|(at, message)| (at == place).then_some(message))
        }
    };
    let series_id = StoredValue::new(list.series_id.clone());
    let upload = move |ev: leptos::ev::Event, kind: PhotoKind, place: &'static str| {
        let Some(file) = picked(&ev) else {
            return;
        };
        clear(&ev);
        if let Err(e) = check_file(file.size() as usize, &file.type_()) {
            error.set(Some((place.into(), e.message)));
            return;
        }
        error.set(None);
        busy.set(Some(place));
        let series = series_id.get_value();
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let result = session.check(api::upload_series_photo(&series, kind, file).await);
            busy.set(None);
            match result {
                Ok(_) => changed.update(|n| *n += 1),
                Err(e) => error.set(Some((place.into(), e.message()))),
            }
        });
    };
    let trims = list.trims.clone();
    let colour_trim = RwSignal::new(trims.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let colour_name = RwSignal::new(String::new());
    let upload_colour = move |ev: leptos::ev::Event| {
        let Some(file) = picked(&ev) else {
            return;
        };
        clear(&ev);
        let colour = colour_name.get_untracked();
        let checked =
            check_colour(&colour).and_then(|()| check_file(file.size() as usize, &file.type_()));
        if let Err(e) = checked {
            error.set(Some(("colour".into(), e.message)));
            return;
        }
        error.set(None);
        busy.set(Some("colour"));
        let trim = colour_trim.get_untracked();
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let result = session.check(api::upload_trim_colour(&trim, colour.trim(), file).await);
            busy.set(None);
            match result {
                Ok(_) => {
                    colour_name.set(String::new());
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(("colour".into(), e.message()))),
            }
        });
    };
    let remove = Action::new_unsync(move |id: &i64| {
        let id = *id;
        async move { session.check(api::delete_photo(id).await) }
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => changed.update(|n| *n += 1),
        Some(Err(e)) => error.set(Some(("list".into(), e.message()))),
        None => {}
    });
    // The gallery as shown; 前移 and 后移 send it in its new order.
    let gallery_ids = StoredValue::new(
        list.photos
            .iter()
            .filter(|p| p.kind == PhotoKind::Gallery)
            .map(|p| p.id)
            .collect::<Vec<_>>(),
    );
    let reorder = Action::new_unsync(move |order: &GalleryOrder| {
        let order = order.clone();
        let series = series_id.get_value();
        async move { session.check(api::order_gallery(&series, &order).await) }
    });
    Effect::new(move |_| match reorder.value().get() {
        Some(Ok(_)) => changed.update(|n| *n += 1),
        Some(Err(e)) => error.set(Some(("gallery".into(), e.message()))),
        None => {}
    });
    let shift = move |id: i64, earlier: bool| {
        let ids = gallery_ids.get_value();
        if let Some(at) = ids.iter().position(|i| *i == id) {
            reorder.dispatch(GalleryOrder::moved(&ids, at, earlier));
        }
    };
    let trim_name = {
        let trims = trims.clone();
        move |id: &str| {
            trims
                .iter()
                .find(|(t, _)| t == id)
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| id.to_string())
        }
    };
    let card = move |p: DealerPhoto| {
        let caption = match (p.kind, &p.trim_id, &p.colour) {
            (PhotoKind::Colour, Some(trim), Some(colour)) => {
                format!("{} · {colour}", trim_name(trim))
            }
            (kind, _, _) => kind.label().to_string(),
        };
        let id = p.id;
        let place = gallery_ids.with_value(|ids| ids.iter().position(|i| *i == id));
        let last = gallery_ids.with_value(Vec::len).saturating_sub(1);
        let moves = place.map(|at| {
            view! {
                <button type="button" class="btn btn-line btn-small" data-test="photo-earlier"
                    disabled=move || at == 0 || reorder.pending().get()
                    on:click=move |_| shift(id, true)>"前移"</button>
                <button type="button" class="btn btn-line btn-small" data-test="photo-later"
                    disabled=move || at == last || reorder.pending().get()
                    on:click=move |_| shift(id, false)>"后移"</button>
            }
        });
        view! {
                    <li class="c-photo" data-test="console-photo" data-kind=p.kind.key() data-id=id>
                        <img
                            src=p.photo.url(p.photo.widths[0])
                            width=p.photo.widths[0]
                            height=p.photo.height_at(p.photo.widths[0])
                            alt=caption.clone()
                            loading="lazy"
                        />
                        <span class="c-sub">{caption}</span>
        <div class="c-actions">
                        <button
                            type="button"
                            class="btn btn-line btn-small"
                            data-test="delete-photo"
                            disabled=move || remove.pending().get()
                            on:click=move |_| {
                                remove.dispatch(id);
                            }
                        >
                            "删除"
                        </button>
                        {moves}
                        </div>
                    </li>
                }
    };
    let (cover, rest): (Vec<DealerPhoto>, Vec<DealerPhoto>) = list
        .photos
        .into_iter()
        .partition(|p| p.kind == PhotoKind::Cover);
    let (gallery, colours): (Vec<DealerPhoto>, Vec<DealerPhoto>) =
        rest.into_iter().partition(|p| p.kind == PhotoKind::Gallery);
    let label = move |place: &'static str, idle: &'static str| {
        move || {
            if busy.get() == Some(place) {
                "上传中…"
            } else {
                idle
            }
        }
    };
    let has_trims = !trims.is_empty();
    view! {
        <h1 class="c-title" data-test="photos-title">{format!("{} · 图片", list.series_name)}</h1>
        <p class="c-sub">
            "JPEG、PNG 或 WebP，不超过 10MB，宽度至少 360 像素。上传后自动转为适合手机的尺寸，并去除拍摄位置等信息；顾客页面随即显示。"
        </p>
        <p class="c-error" role="alert" data-test="photos-list-error">{under("list")}</p>
        <section class="c-section">
            <h2>"封面"</h2>
            <p class="c-sub">"车型页顶部的大图，以及首页、车型库卡片上的图片；再次上传即替换。"</p>
            <ul class="c-photos" data-test="cover-photos">{cover.into_iter().map(&card).collect_view()}</ul>
            <input id="up-cover" class="c-file" type="file" accept=ACCEPT_TYPES data-test="upload-cover"
                on:change=move |ev| upload(ev, PhotoKind::Cover, "cover") />
            <label for="up-cover" class="btn btn-line btn-small c-file-pick">{label("cover", "上传封面")}</label>
            <p class="c-error" role="alert" data-test="cover-error">{under("cover")}</p>
        </section>
        <section class="c-section">
            <h2>"图集"</h2>
            <ul class="c-photos" data-test="gallery-photos">{gallery.into_iter().map(&card).collect_view()}</ul>
            <input id="up-gallery" class="c-file" type="file" accept=ACCEPT_TYPES data-test="upload-gallery"
                on:change=move |ev| upload(ev, PhotoKind::Gallery, "gallery") />
            <label for="up-gallery" class="btn btn-line btn-small c-file-pick">{label("gallery", "添加图片")}</label>
            <p class="c-error" role="alert" data-test="gallery-error">{under("gallery")}</p>
        </section>
        <section class="c-section">
            <h2>"车型颜色"</h2>
            <ul class="c-photos" data-test="colour-photos">{colours.into_iter().map(&card).collect_view()}</ul>
            {has_trims.then(|| view! {
                <div class="c-card c-form">
                    <div class="c-field">
                        <label for="colour-trim">"车型"</label>
                        <select id="colour-trim" data-test="colour-trim"
                            on:change=move |ev| colour_trim.set(event_target_value(&ev))>
                            {trims.iter().map(|(id, name)| view! {
                                <option value=id.clone()>{name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="c-field">
                        <label for="colour-name">"颜色名称"</label>
                        <input id="colour-name" type="text" data-test="colour-name" placeholder="如：冰川白"
                            prop:value=colour_name on:input=move |ev| colour_name.set(event_target_value(&ev)) />
                    </div>
                    <input id="up-colour" class="c-file" type="file" accept=ACCEPT_TYPES data-test="upload-colour"
                        on:change=upload_colour />
                    <label for="up-colour" class="btn btn-line btn-small c-file-pick">{label("colour", "选择图片并上传")}</label>
                    <p class="c-error" role="alert" data-test="colour-error">{under("colour")}</p>
                </div>
            })}
        </section>
    }
}
