//! A console page that reads what it shows, and reads it again after each change made on it:
//! its title, a line on what it is for, placeholders while it reads, the error if it cannot.

use std::future::Future;

use leptos::prelude::*;

use super::{api, use_session};
use crate::components::status::{LoadError, Loading};

/// The page titled `title`, saying `about`, showing what `load` reads through `show`, which
/// gets the signal to bump after a change so the page reads again.
pub fn loaded_page<T, Fut, V>(
    title: &'static str,
    about: &'static str,
    placeholders: usize,
    load: fn() -> Fut,
    show: fn(T, RwSignal<u32>) -> V,
) -> impl IntoView
where
    T: Clone + 'static,
    Fut: Future<Output = Result<T, api::Error>> + 'static,
    V: IntoView + 'static,
{
    super::set_title(title);
    let session = use_session();
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        reload.track();
        let read = load();
        async move { session.check(read.await) }
    });
    let content = move || match data.get() {
        None => view! { <Loading count=placeholders /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(data)) => show(data, reload).into_any(),
    };
    view! {
        <main class="c-page">
            <h1 class="c-title">{title}</h1>
            <p class="c-sub">{about}</p>
            {content}
        </main>
    }
}
