//! The Chinese message under an input that broke a rule.

use leptos::prelude::*;

/// Shows `message` when there is one; `id` lets the input point at it (aria-describedby).
#[component]
pub fn FieldError(
    #[prop(into)] message: Signal<Option<String>>,
    id: &'static str,
) -> impl IntoView {
    view! {
        <p class="field-error" id=id data-test=id role="alert">
            {move || message.get()}
        </p>
    }
}
