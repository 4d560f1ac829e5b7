//! The 询底价 (ask for the best price) bottom sheet of the model page and the comparison:
//! name, mobile number and consent with live errors, sent through the page's action, then the
//! receipt's callback promise (销售顾问…将在…致电您). The page owns the request and the
//! visitor's remembered contact; the sheet only shows them.

use leptos::prelude::*;
use shared::booking::{EnquiryReceipt, EnquiryRequest, Me, Origin};
use shared::page::Page;

use crate::api;
use crate::components::contact_fields::{Contact, ContactFields, Form};
use crate::nav::use_nav;
use crate::use_dealer;

/// What the price is asked for; `Some` opens the sheet.
#[derive(Clone)]
pub struct Ask {
    pub series_id: Option<String>,
    pub trim_id: Option<String>,
    /// The car as the sheet names it (`小米SU7 标准版`).
    pub title: String,
}

/// The page's way of sending an enquiry.
pub type Enquire = Action<EnquiryRequest, Result<EnquiryReceipt, api::Error>>;

/// A `?ch=` channel as the API accepts it (letters, digits, `-`, `_`; Chinese too), or none.
pub fn channel(ch: Option<String>) -> Option<String> {
    ch.filter(|c| {
        Origin {
            page: "x".into(),
            button: "x".into(),
            channel: Some(c.clone()),
        }
        .validate()
        .is_ok()
    })
}

/// `page` is the origin page (`model`, `compare`); `me` prefills the fields once it is in.
#[component]
pub fn EnquirySheet(
    ask: RwSignal<Option<Ask>>,
    send: Enquire,
    page: &'static str,
    #[prop(into)] me: Signal<Option<Me>>,
) -> impl IntoView {
    let dealer = use_dealer();
    let query = use_nav().query();
    let contact = Contact::for_dealer();
    let sending = send.pending();
    let failure = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(me) = me.get() {
            contact.prefill(&me);
        }
    });
    // Each opening starts on the form, not on the last receipt.
    Effect::new(move |_| {
        if ask.with(Option::is_some) {
            send.value().set(None);
            failure.set(None);
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Err(api::Error::Api(e)))
            if matches!(e.field.as_deref(), Some("name" | "phone" | "consent")) =>
        {
            contact.server.set(Some(e))
        }
        Some(Err(e)) => failure.set(Some(e.message())),
        _ => {}
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let Some(asked) = ask.get_untracked() else {
            return;
        };
        if !contact.check() || sending.get_untracked() {
            return;
        }
        send.dispatch(EnquiryRequest {
            series_id: asked.series_id,
            trim_id: asked.trim_id,
            contact: contact.form(),
            origin: Origin {
                page: page.into(),
                button: "ask-price".into(),
                channel: channel(query.with_untracked(|q| q.get("ch").map(str::to_string))),
            },
        });
    };
    let close = move |_| ask.set(None);
    let receipt = move || match send.value().get() {
        Some(Ok(r)) => Some(r),
        _ => None,
    };

    view! {
        <Show when=move || ask.with(Option::is_some)>
            <div class="sheet-backdrop" on:click=close></div>
            <div
                class="sheet"
                role="dialog"
                aria-modal="true"
                aria-labelledby="enquiry-title"
                data-test="enquiry-sheet"
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        ask.set(None);
                    }
                }
            >
                <div class="sheet-head">
                    <h2 id="enquiry-title">
                        "询底价"
                        <span class="muted">{move || ask.with(|a| a.as_ref().map(|a| a.title.clone()))}</span>
                    </h2>
                    <button type="button" class="sheet-close" aria-label="关闭" data-test="enquiry-close" on:click=close>
                        "×"
                    </button>
                </div>
                {move || match receipt() {
                    Some(r) => {
                        let tel = r.consultant.map(|c| {
                            let href = format!("tel:{}", c.phone);
                            view! {
                                <a class="btn btn-line btn-block" href=href data-test="consultant-tel">
                                    "直接致电 " {c.name}
                                </a>
                            }
                        });
                        view! {
                            <div class="receipt" role="status" data-test="enquiry-receipt">
                                <p class="receipt-title">"已收到您的询价"</p>
                                <p>{r.callback}</p>
                            </div>
                            {tel}
                            <button type="button" class="btn btn-primary btn-block" data-test="enquiry-done" on:click=close>
                                "好的"
                            </button>
                        }
                        .into_any()
                    }
                    None => view! {
                        <form class="sheet-form" novalidate on:submit=submit>
                            <p class="muted">"留下联系方式，销售顾问会尽快回电告知本店最低价。"</p>
                            <ContactFields contact form=Form::Enquiry privacy_href=dealer.link(&Page::Privacy) />
                            {move || failure.get().map(|m| view! { <p class="notice" role="alert" data-test="enquiry-error">{m}</p> })}
                            <button
                                type="submit"
                                class="btn btn-primary btn-block"
                                data-test="enquiry-submit"
                                disabled=move || sending.get()
                            >
                                {move || if sending.get() { "正在提交…" } else { "获取底价" }}
                            </button>
                        </form>
                    }
                    .into_any(),
                }}
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_channels_the_api_accepts_are_sent() {
        for (ch, sent) in [
            (Some("menu"), Some("menu")),
            (Some("朋友圈"), Some("朋友圈")),
            (Some("wx_article-3"), Some("wx_article-3")),
            (Some("a b"), None),
            (Some("<x>"), None),
            (Some(""), None),
            (None, None),
        ] {
            assert_eq!(channel(ch.map(String::from)).as_deref(), sent, "{ch:?}");
        }
    }
}
