//! What a console form with a draft shares (优惠, 活动): the error that names a field, and a
//! text input bound to a field of the draft, with its label, input type, placeholder,
//! `aria-invalid` while the error names it, the id `c-{form}-{field}` and the test name
//! `{form}-{field}`.

use leptos::prelude::*;

/// A form's draft whose text inputs are read and written by the field's name.
pub trait TextFields {
    /// The text of `field`.
    fn text(&self, field: &str) -> &str;
    /// The text of `field`, to change.
    fn text_mut(&mut self, field: &str) -> &mut String;
}

/// The field a form's error names, and what it says.
pub type FieldError = RwSignal<Option<(String, String)>>;

/// `"true"` while `error` names `field` (for `aria-invalid`).
pub fn invalid(error: FieldError, field: &'static str) -> impl Fn() -> String + Copy {
    move || {
        error
            .with(|e| e.as_ref().is_some_and(|(f, _)| f == field))
            .to_string()
    }
}

/// The input of `draft`'s text `field` in the form `form`: `kind` is the input's type.
pub fn text_input<D: TextFields + Send + Sync + 'static>(
    form: &'static str,
    draft: RwSignal<D>,
    error: FieldError,
) -> impl Fn(&'static str, &'static str, &'static str, &'static str) -> AnyView + Copy {
    move |field, kind, label, placeholder| {
        let id = format!("c-{form}-{field}");
        view! {
            <div class="c-field">
                <label for=id.clone()>{label}</label>
                <input
                    id=id
                    type=kind
                    placeholder=placeholder
                    data-test=format!("{form}-{field}")
                    aria-invalid=invalid(error, field)
                    prop:value=move || draft.with(|d| d.text(field).to_string())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|d| *d.text_mut(field) = value);
                    }
                />
            </div>
        }
        .into_any()
    }
}
