//! 验证手机号查看全部: on 我的预约 and 我的信息, a browser that has not proved its phone sees
//! only what it made; this says so and, where the site sends SMS, proves the phone — 手机号,
//! 获取验证码 (then a 60 s countdown, stopped when the page goes), 验证码, 验证 — with each
//! rule's Chinese message under its field (the `shared` rules first, then the server's).

use std::time::Duration;

use leptos::prelude::*;
use shared::booking::Me;
use shared::contact;
use shared::proof::{self, PhoneCodeRequest, PhoneProofRequest};
use shared::ApiError;

use crate::components::field_error::FieldError;
use crate::{api, use_dealer, use_toast};

/// The note and the flow; `on_proved` gets the page's new `/me`.
#[component]
pub fn PhoneProof(
    /// The phone this browser typed before, to start from.
    phone: Option<String>,
    /// Whether the site sends SMS codes.
    sms: bool,
    on_proved: Callback<Me>,
) -> impl IntoView {
    if !sms {
        return view! {
            <p class="notice proof-note" data-test="proof-off">{proof::hidden_note(false)}</p>
        }
        .into_any();
    }
    let dealer = use_dealer();
    let toast = use_toast();
    let open = RwSignal::new(false);
    let phone = RwSignal::new(phone.unwrap_or_default());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<ApiError>::new());
    let countdown = RwSignal::new(0u32);
    // One tick a second while the page is open; the countdown only moves while above zero.
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if countdown.get_untracked() > 0 {
                countdown.update(|s| *s -= 1);
            }
        },
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|list| {
                list.iter()
                    .find(|e| e.field.as_deref() == Some(field))
                    .map(|e| e.message.clone())
            })
        })
    };
    let fail = move |e: api::Error| {
        let error = match e {
            api::Error::Api(mut a) => {
                if a.field.as_deref() != Some("phone") {
                    a.field = Some("code".into());
                }
                a
            }
            other => ApiError::invalid("code", other.message()),
        };
        errors.set(vec![error]);
    };
    let send = Action::new_unsync(move |request: &PhoneCodeRequest| {
        let (slug, request) = (dealer.slug.get_untracked(), request.clone());
        async move { api::send_phone_code(&slug, &request).await }
    });
    let verify = Action::new_unsync(move |request: &PhoneProofRequest| {
        let (slug, request) = (dealer.slug.get_untracked(), request.clone());
        async move { api::prove_phone(&slug, &request).await }
    });
    let (sending, verifying) = (send.pending(), verify.pending());
    Effect::new(move |_| match send.value().get() {
        Some(Ok(sent)) => {
            countdown.set(sent.resend_after);
            toast.show(format!("验证码已发送至 {}", sent.phone));
        }
        Some(Err(e)) => fail(e),
        None => {}
    });
    Effect::new(move |_| match verify.value().get() {
        Some(Ok(me)) => {
            open.set(false);
            toast.show("手机号已验证");
            on_proved.run(me);
        }
        Some(Err(e)) => fail(e),
        None => {}
    });
    // The rules' errors under their fields, or, when nothing is on its way, none and go.
    let go = move |found: Vec<ApiError>, busy: bool| {
        if !found.is_empty() {
            errors.set(found);
            false
        } else if busy {
            false
        } else {
            errors.set(Vec::new());
            true
        }
    };
    let on_send = move |_| {
        let request = PhoneCodeRequest {
            phone: phone.get_untracked(),
        };
        let found = request.validate().err().into_iter().collect();
        if go(
            found,
            sending.get_untracked() || countdown.get_untracked() > 0,
        ) {
            send.dispatch(request);
        }
    };
    let on_verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = PhoneProofRequest {
            phone: phone.get_untracked(),
            code: code.get_untracked(),
        };
        let found = [
            contact::validate_phone(&request.phone).err(),
            proof::validate_code(&request.code).err(),
        ];
        if go(
            found.into_iter().flatten().collect(),
            verifying.get_untracked(),
        ) {
            verify.dispatch(request);
        }
    };
    let phone_error = error_of("phone");
    let code_error = error_of("code");
    let form = move || {
        open.get().then(|| {
            view! {
                <form class="card proof-form" data-test="proof-form" on:submit=on_verify novalidate>
                    <div class="field" class:invalid=move || phone_error.with(Option::is_some)>
                        <label for="proof-phone">"手机号"</label>
                        <ProofInput field="phone" value=phone error=phone_error errors kind="tel" autocomplete="tel" placeholder="11位手机号" />
                        <FieldError message=phone_error id="proof-error-phone" />
                    </div>
                    <div class="field" class:invalid=move || code_error.with(Option::is_some)>
                        <label for="proof-code">"验证码"</label>
                        <div class="code-row">
                            <ProofInput field="code" value=code error=code_error errors kind="text" autocomplete="one-time-code" placeholder="6位数字" maxlength="6" />
                            <button
                                type="button"
                                class="btn btn-line btn-small"
                                data-test="send-code"
                                disabled=move || { sending.get() || countdown.get() > 0 }
                                on:click=on_send
                            >
                                {move || match countdown.get() {
                                    0 if sending.get() => "正在发送…".to_string(),
                                    0 => "获取验证码".to_string(),
                                    s => format!("{s}秒后重新获取"),
                                }}
                            </button>
                        </div>
                        <FieldError message=code_error id="proof-error-code" />
                    </div>
                    <button type="submit" class="btn btn-primary btn-block" data-test="verify" disabled=move || verifying.get()>
                        {move || if verifying.get() { "正在验证…" } else { "验证" }}
                    </button>
                </form>
            }
        })
    };
    view! {
        <div class="proof" data-test="proof">
            <p class="muted proof-note" data-test="proof-note">{proof::hidden_note(true)}</p>
            {move || (!open.get()).then(|| view! {
                <button type="button" class="btn btn-line btn-block" data-test="prove-open" on:click=move |_| open.set(true)>
                    "验证手机号查看全部"
                </button>
            })}
            {form}
        </div>
    }
    .into_any()
}

/// One of the form's numeric inputs (`proof-{field}`), described by its error, which editing
/// it clears.
#[component]
fn ProofInput(
    field: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    errors: RwSignal<Vec<ApiError>>,
    /// The input's `type`.
    kind: &'static str,
    autocomplete: &'static str,
    placeholder: &'static str,
    #[prop(optional)] maxlength: Option<&'static str>,
) -> impl IntoView {
    view! {
        <input
            id=format!("proof-{field}")
            type=kind
            inputmode="numeric"
            autocomplete=autocomplete
            maxlength=maxlength
            placeholder=placeholder
            data-test=format!("proof-{field}")
            aria-describedby=format!("proof-error-{field}")
            aria-invalid=move || error.with(Option::is_some).to_string()
            prop:value=value
            on:input=move |ev| {
                value.set(event_target_value(&ev));
                errors.update(|list| list.retain(|e| e.field.as_deref() != Some(field)));
            }
        />
    }
}

/// What a page shows for its `/me`: "已验证手机号 138****5678，显示{what}", or the note and
/// the flow ([`PhoneProof`]).
pub fn status(me: Me, on_proved: Callback<Me>, what: &'static str) -> AnyView {
    match &me.proof.phone {
        Some(phone) => view! {
            <p class="muted proof-done" data-test="proof-done">
                "已验证手机号 " {contact::mask_phone(phone)} "，显示" {what}
            </p>
        }
        .into_any(),
        None => {
            view! { <PhoneProof phone=me.phone.clone() sms=me.proof.sms on_proved /> }.into_any()
        }
    }
}
