//! The name, mobile number and privacy consent every lead form asks (test drive, 询底价):
//! their state, checked as the user types by the `shared` rules once a field was left, and
//! the server's 422 shown under the field it names until that field changes.

use leptos::prelude::*;
use shared::booking::{ContactForm, Me};
use shared::contact;

use crate::use_dealer;
use shared::ApiError;

use crate::components::field_error::FieldError;

/// The state of one contact form, shared by its fields and its submit button.
#[derive(Clone, Copy)]
pub struct Contact {
    name: RwSignal<String>,
    phone: RwSignal<String>,
    consent: RwSignal<bool>,
    /// Fields left at least once (or a submit tried): only these show their rule's error.
    touched: RwSignal<Vec<&'static str>>,
    /// The server's last rejection; shown under its `field` (any field of the form, not only
    /// these three) until that field changes.
    pub server: RwSignal<Option<ApiError>>,
    /// The privacy notice version the dealer asks consent to (its home's, once loaded).
    notice: Signal<String>,
}

impl Contact {
    /// An empty form at the dealer in context.
    pub fn for_dealer() -> Self {
        let dealer = use_dealer();
        let notice = Signal::derive(move || dealer.notice_version());
        Self {
            notice,
            name: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            consent: RwSignal::new(false),
            touched: RwSignal::new(Vec::new()),
            server: RwSignal::new(None),
        }
    }
}

impl Contact {
    /// Fills what the visitor left before (their own cookie's `/me`), never over typing;
    /// consent only when it was to the notice in force.
    pub fn prefill(&self, me: &Me) {
        if let Some(name) = &me.name {
            if self.name.with_untracked(String::is_empty) {
                self.name.set(name.clone());
            }
        }
        if let Some(phone) = &me.phone {
            if self.phone.with_untracked(String::is_empty) {
                self.phone.set(phone.clone());
            }
        }
        if me.consent_version.as_deref() == Some(self.notice.get_untracked().as_str()) {
            self.consent.set(true);
        }
    }

    pub fn form(&self) -> ContactForm {
        ContactForm {
            name: self.name.get_untracked(),
            phone: self.phone.get_untracked(),
            consent_version: self
                .consent
                .get_untracked()
                .then(|| self.notice.get_untracked()),
        }
    }

    fn touch(&self, field: &'static str) {
        if !self.touched.with_untracked(|t| t.contains(&field)) {
            self.touched.update(|t| t.push(field));
        }
    }

    /// A submit was tried: every rule shows. `true` when the three fields pass.
    pub fn check(&self) -> bool {
        for field in ["name", "phone", "consent"] {
            self.touch(field);
        }
        self.form().errors(&self.notice.get_untracked()).is_empty()
    }

    /// The field changed: the server's word on it no longer holds.
    pub fn edited(&self, field: &str) {
        if self.server.with_untracked(|e| {
            e.as_ref()
                .is_some_and(|e| e.field.as_deref() == Some(field))
        }) {
            self.server.set(None);
        }
    }

    /// The server's message about `field`, if its last answer named it.
    pub fn server_error(&self, field: &'static str) -> Signal<Option<String>> {
        let server = self.server;
        Signal::derive(move || {
            server.with(|e| {
                e.as_ref()
                    .filter(|e| e.field.as_deref() == Some(field))
                    .map(|e| e.message.clone())
            })
        })
    }

    /// What to show under `field`: its rule's error once touched, else the server's.
    fn error(&self, field: &'static str) -> Signal<Option<String>> {
        let this = *self;
        let server = self.server_error(field);
        Signal::derive(move || {
            let rule = if this.touched.with(|t| t.contains(&field)) {
                match field {
                    "name" => this.name.with(|n| contact::validate_name(n).err()),
                    "phone" => this.phone.with(|p| contact::validate_phone(p).err()),
                    _ => {
                        let notice = this.notice.get();
                        let version = this.consent.get().then_some(notice.as_str());
                        contact::check_consent(version, &notice).err()
                    }
                }
            } else {
                None
            };
            rule.map(|e| e.message).or_else(|| server.get())
        })
    }
}

/// Which form the fields are in: the ids and data-test names differ so both may share a page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Booking,
    Enquiry,
}

impl Form {
    /// `(input id, error id)` of `field`.
    fn ids(self, field: &str) -> (&'static str, &'static str) {
        match (self, field) {
            (Form::Booking, "name") => ("name", "error-name"),
            (Form::Booking, "phone") => ("phone", "error-phone"),
            (Form::Booking, _) => ("consent", "error-consent"),
            (Form::Enquiry, "name") => ("enquiry-name", "enquiry-error-name"),
            (Form::Enquiry, "phone") => ("enquiry-phone", "enquiry-error-phone"),
            (Form::Enquiry, _) => ("enquiry-consent", "enquiry-error-consent"),
        }
    }
}

/// 姓名, 手机号 and the consent box, with their errors below each.
#[component]
pub fn ContactFields(contact: Contact, form: Form, privacy_href: String) -> impl IntoView {
    let input = move |field: &'static str, label: &'static str| {
        let (id, err_id) = form.ids(field);
        let error = contact.error(field);
        let value = if field == "name" {
            contact.name
        } else {
            contact.phone
        };
        let phone = field == "phone";
        view! {
            <div class="field" class:invalid=move || error.with(Option::is_some)>
                <label for=id>{label}</label>
                <input
                    id=id
                    type=if phone { "tel" } else { "text" }
                    inputmode=phone.then_some("numeric")
                    autocomplete=if phone { "tel" } else { "name" }
                    placeholder=if phone { "11位手机号" } else { "怎么称呼您" }
                    data-test=id
                    aria-describedby=err_id
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=value
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        contact.edited(field);
                    }
                    on:blur=move |_| contact.touch(field)
                />
                <FieldError message=error id=err_id />
            </div>
        }
    };
    let (consent_id, consent_err) = form.ids("consent");
    let consent_error = contact.error("consent");
    view! {
        {input("name", "姓名")}
        {input("phone", "手机号")}
        <div class="field" class:invalid=move || consent_error.with(Option::is_some)>
            <label class="check" for=consent_id>
                <input
                    id=consent_id
                    type="checkbox"
                    data-test=consent_id
                    aria-describedby=consent_err
                    prop:checked=contact.consent
                    on:change=move |ev| {
                        contact.consent.set(event_target_checked(&ev));
                        contact.touch("consent");
                        contact.edited("consent");
                    }
                />
                <span>
                    "我已阅读并同意"
                    <a href=privacy_href data-test="privacy-link">"《个人信息保护说明》"</a>
                </span>
            </label>
            <FieldError message=consent_error id=consent_err />
        </div>
    }
}
