//! The admin's 客户归属期 on `/console/account`: how many days after a visitor first opens a
//! consultant's link their lead is still credited to that consultant (1 to 365, checked in the
//! browser with the rule the server applies).

use leptos::prelude::*;
use shared::attribution::AttributionWindow;

use super::{api, use_session};

#[component]
pub fn AttributionForm() -> impl IntoView {
    let session = use_session();
    let stored = LocalResource::new(move || async move { session.check(api::attribution().await) });
    let days = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(window)) = stored.get() {
            days.set(window.days.to_string());
        }
    });
    let save = Action::new_unsync(move |window: &AttributionWindow| {
        let window = *window;
        async move { session.check(api::save_attribution(&window).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(window)) => {
            days.set(window.days.to_string());
            saved.set(true);
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let window = AttributionWindow {
            days: days.get_untracked().trim().parse().unwrap_or(0),
        };
        if let Err(e) = window.validate() {
            error.set(Some(e.message));
            return;
        }
        if !save.pending().get_untracked() {
            error.set(None);
            save.dispatch(window);
        }
    };
    view! {
        <section class="c-section">
            <h2>"客户归属"</h2>
            <form class="c-card c-form" on:submit=on_submit novalidate data-test="attribution-form">
                <div class="c-field">
                    <label for="c-attribution-days">"归属期（天）"</label>
                    <input
                        id="c-attribution-days"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="365"
                        data-test="attribution-days"
                        prop:value=days
                        on:input=move |ev| days.set(event_target_value(&ev))
                    />
                    <p class="c-sub">"客户首次打开顾问的分享链接后，在此天数内留资归属该顾问；之后按转发关系或轮流分配"</p>
                    <p class="c-error" role="alert" data-test="attribution-error">{move || error.get()}</p>
                </div>
                <button
                    type="submit"
                    class="btn btn-primary btn-block"
                    data-test="attribution-save"
                    disabled=move || save.pending().get()
                >
                    "保存"
                </button>
                <p class="c-sub" role="status" data-test="attribution-saved">
                    {move || saved.get().then_some("已保存：此后的新线索按新的归属期计算")}
                </p>
            </form>
        </section>
    }
}
