//! A page in a lazily loaded wasm chunk, for both entries: placeholders until the chunk is in,
//! then the page.

use std::future::Future;

use leptos::prelude::*;

use super::status::Loading;

/// The view `page` resolves to once its chunk has loaded (a consumer page, `root.rs`; a
/// console tab's page, `console/tabs.rs`). Built afresh for each page opened, so the page
/// before goes at once: left on screen while the next chunk loads (as a `Suspend` rebuilt in
/// place leaves it), its buttons took taps that its owner, already gone, could not answer (the
/// first 询底价 after opening the comparison). On the first load the server's skeleton, in the
/// page's own words, covers the wait instead; the placeholders (in a `class` box, the entry's
/// page box, never a `<main>`, which would lift the skeleton) show on later pages only.
#[component]
pub fn LazyPage<F>(page: F, class: &'static str) -> impl IntoView
where
    F: Future<Output = AnyView> + Send + 'static,
{
    let skeleton = document().get_element_by_id("skeleton").is_some();
    let ready = RwSignal::new(false);
    let view = Suspend::new(async move {
        let view = page.await;
        ready.try_set(true);
        view
    });
    view! {
        {view}
        <Show when=move || !skeleton && !ready.get()>
            <div class=class data-test="page-loading">
                <Loading count=2 />
            </div>
        </Show>
    }
}
