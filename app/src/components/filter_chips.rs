//! A labelled row of filter chips with a 不限 chip: one choice or none.

use leptos::prelude::*;

/// `options` are `(value, label)`; `group` names the row for `data-test="chip-{group}-{value}"`.
#[component]
pub fn ChipRow(
    label: &'static str,
    group: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] selected: Signal<Option<String>>,
    on_pick: Callback<Option<String>>,
) -> impl IntoView {
    let chip = move |value: Option<String>, text: String| {
        let test = format!("chip-{group}-{}", value.as_deref().unwrap_or("any"));
        let current = value.clone();
        let on = move || selected.with(|s| *s == current);
        view! {
            <button
                type="button"
                class="chip"
                class:on=on.clone()
                aria-pressed=move || on().to_string()
                data-test=test
                on:click=move |_| on_pick.run(value.clone())
            >
                {text}
            </button>
        }
    };
    view! {
        <div class="chip-row" role="group" aria-label=label>
            <span class="chip-label" aria-hidden="true">{label}</span>
            <div class="chips">
                {chip(None, "不限".into())}
                {options.into_iter().map(|(v, t)| chip(Some(v), t)).collect_view()}
            </div>
        </div>
    }
}
