//! `/console/catalog` 车型 (managers): the platform catalogue by brand, each series switched
//! on sale (every trim of it) or off, and featured on the home page or not. Each switch saves
//! at once; a refusal puts the switch back and says why. The dealer's own series are marked
//! 自有; a series' name opens its trims (`series_editor`); 新增车系 adds an own one.

use leptos::prelude::*;
use shared::console::{CatalogSeries, SeriesOnSale};

use super::{api, use_session, CATALOG};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn Catalog() -> impl IntoView {
    super::set_title("车型");
    let session = use_session();
    let series = LocalResource::new(move || async move { session.check(api::catalog().await) });
    let content = move || match series.get() {
        None => view! { <Loading count=4 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(list)) => {
            let on_sale = list.iter().filter(|s| s.on_sale).count();
            let mut brands: Vec<(String, Vec<CatalogSeries>)> = Vec::new();
            for s in list {
                match brands.last_mut() {
                    Some((brand, group)) if *brand == s.brand => group.push(s),
                    _ => brands.push((s.brand.clone(), vec![s])),
                }
            }
            view! {
                <p class="c-sub" data-test="catalog-count">
                    {format!("本店在售 {on_sale} 个车系。打开「在售」即上架该车系的全部车型，顾客页面随即可见。点车系名查看车型、新增自有车型或导入参数表。")}
                </p>
                <a class="btn btn-line btn-small" href=format!("{CATALOG}/new") data-test="new-series">"新增车系"</a>
                {brands
                    .into_iter()
                    .map(|(brand, group)| view! {
                        <section class="c-section">
                            <h2>{brand}</h2>
                            <ul class="c-list">
                                {group.into_iter().map(|s| view! { <SeriesRow series=s /> }).collect_view()}
                            </ul>
                        </section>
                    })
                    .collect_view()}
            }
            .into_any()
        }
    };
    view! {
        <main class="c-page">
            <h1 class="c-title">"车型"</h1>
            {content}
        </main>
    }
}

/// One series with its two switches, saved as they change.
#[component]
fn SeriesRow(series: CatalogSeries) -> impl IntoView {
    let session = use_session();
    let id = series.id.clone();
    let shown = RwSignal::new(series.clone());
    let error = RwSignal::new(None::<String>);
    let save = Action::new_unsync(move |change: &SeriesOnSale| {
        let (id, change) = (id.clone(), *change);
        async move { session.check(api::put_on_sale(&id, &change).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            error.set(None);
            shown.set(saved);
        }
        Some(Err(e)) => {
            error.set(Some(e.message()));
            // Back to what the server holds: `update` notifies even though the row is
            // unchanged, so each switch's `checked` is set again from it.
            shown.update(|_| {});
        }
        None => {}
    });
    let change = move |on_sale: bool, featured: bool| {
        let change = SeriesOnSale {
            on_sale,
            featured: featured && on_sale,
        };
        if let Err(e) = change.validate() {
            error.set(Some(e.message));
            return;
        }
        save.dispatch(change);
    };
    let name = series.name.clone();
    let photos = format!(
        "{}/photos?series={}",
        super::CATALOG,
        crate::api::encode(&series.id)
    );
    view! {
        <li class="c-card c-catalog-row" data-test="catalog-series" data-id=series.id.clone()>
            <div>
                <a href=format!("{CATALOG}/{}", series.id) data-test="series-link"><strong>{name}</strong></a>
                {series.own.then(|| view! { " " <span class="c-badge" data-test="own-mark">"自有"</span> })}
                <span class="c-sub">{format!(" {}款", series.trims)}</span>
            </div>
            <div class="c-catalog-switches">
                <label class="switch">
                    <input
                        type="checkbox"
                        data-test="on-sale"
                        prop:checked=move || shown.get().on_sale
                        disabled=move || save.pending().get()
                        on:change=move |ev| change(event_target_checked(&ev), shown.get_untracked().featured)
                    />
                    "在售"
                </label>
                <label class="switch">
                    <input
                        type="checkbox"
                        data-test="featured"
                        prop:checked=move || shown.get().featured
                        disabled=move || save.pending().get() || !shown.get().on_sale
                        on:change=move |ev| change(true, event_target_checked(&ev))
                    />
                    "主推"
                </label>
            </div>
            <Show when=move || shown.get().on_sale>
                <a class="btn btn-line btn-small" data-test="series-photos" href=photos.clone()>"图片"</a>
            </Show>
            <p class="c-error" role="alert">{move || error.get()}</p>
        </li>
    }
}
