//! `/{dealer}/me`: my data at this dealer (个人信息保护法: see it, delete it). What this browser
//! left (the name and number it typed, its bookings and enquiries) and, once it proved the
//! phone (验证手机号查看全部), everything the dealer keeps about that phone, in full because it
//! is mine. Deleting it all needs that proof (else a stranger who typed my number could erase
//! me), so the delete button shows only then, and deletes after a confirm.

use leptos::prelude::*;
use shared::page::{FirstPaint, Page};

use crate::components::status::{LoadError, Loading};
use crate::{api, use_dealer};

/// What deleting does, said once on the page and once in the confirm.
const DELETION: &str = "删除后将取消该手机号未来的预约，删除姓名和手机号，仅保留匿名统计。";

/// Why there is no delete button before the phone is proved.
const NEEDS_PROOF: &str =
    "删除全部信息前需先验证手机号，以免他人误删您的信息；本机的预约可在“我的预约”中取消。";

#[component]
pub fn Me() -> impl IntoView {
    // The words the server painted before the app ran, in the same place.
    let FirstPaint { heading, lede } = Page::Me.first_paint().unwrap_or_default();
    crate::set_title(&heading);
    let dealer = use_dealer();
    let me = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::me(&slug).await }
    });
    let erase = Action::new_unsync(move |_: &()| {
        let slug = dealer.slug.get_untracked();
        async move { api::delete_me(&slug).await }
    });
    let erasing = erase.pending();
    let deleted = move || matches!(erase.value().get(), Some(Ok(())));
    let on_delete = move |_| {
        let sure = window()
            .confirm_with_message(&format!("确定删除我的信息吗？{DELETION}"))
            .unwrap_or(false);
        if sure && !erasing.get_untracked() {
            erase.dispatch(());
        }
    };
    let proved = Callback::new(move |_| me.refetch());
    let empty = move || {
        view! {
            <div class="empty" data-test="me-empty">
                <p>"本机没有留下您的姓名和手机号。"</p>
                <a class="btn btn-line" href=dealer.link(&Page::TestDrive) data-test="book-test-drive">
                    "预约试驾"
                </a>
            </div>
        }
    };
    let content = move || {
        if deleted() {
            return view! {
                <p class="notice done-note" role="status" data-test="me-deleted">"已删除"</p>
                {empty()}
            }
            .into_any();
        }
        match me.get() {
            None => view! { <Loading count=1 /> }.into_any(),
            Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
            Some(Ok(me))
                if me.name.is_none()
                    && me.phone.is_none()
                    && me.bookings.is_empty()
                    && me.enquiries == 0 =>
            {
                let status = super::phone_proof::status(me, proved, "该手机号的全部信息");
                view! { {empty()} {status} }.into_any()
            }
            Some(Ok(me)) => {
                let proven = me.proof.phone.is_some();
                let status = super::phone_proof::status(me.clone(), proved, "该手机号的全部信息");
                let none = || "—".to_string();
                view! {
                    <dl class="card facts">
                        <div>
                            <dt>"姓名"</dt>
                            <dd data-test="me-name">{me.name.unwrap_or_else(none)}</dd>
                        </div>
                        <div>
                            <dt>"手机号"</dt>
                            <dd data-test="me-phone">{me.phone.unwrap_or_else(none)}</dd>
                        </div>
                        <div>
                            <dt>"隐私说明"</dt>
                            <dd data-test="me-consent">
                                {me.consent_version.map(|v| format!("已同意 {v} 版")).unwrap_or_else(none)}
                            </dd>
                        </div>
                        <div>
                            <dt>"试驾预约"</dt>
                            <dd>
                                <a href=dealer.link(&Page::MyBookings) data-test="me-bookings">
                                    {me.bookings.len()} " 次 ›"
                                </a>
                            </dd>
                        </div>
                        <div>
                            <dt>"询底价"</dt>
                            <dd data-test="me-enquiries">{me.enquiries} " 次"</dd>
                        </div>
                    </dl>
                    {status}
                    {if proven {
                        view! {
                            <p class="muted me-note">{DELETION}</p>
                            {move || erase.value().get().and_then(Result::err).map(|e| view! {
                                <p class="notice" role="alert" data-test="delete-error">{e.message()}</p>
                            })}
                            <button
                                type="button"
                                class="btn btn-danger btn-block"
                                data-test="delete-me"
                                disabled=move || erasing.get()
                                on:click=on_delete
                            >
                                {move || if erasing.get() { "正在删除…" } else { "删除我的信息" }}
                            </button>
                        }
                        .into_any()
                    } else {
                        view! { <p class="muted me-note" data-test="delete-needs-proof">{NEEDS_PROOF}</p> }
                            .into_any()
                    }}
                }
                .into_any()
            }
        }
    };
    view! {
        <main class="page me">
            <h1>{heading}</h1>
            <p class="lede">{lede}</p>
            {content}
            <p class="page-foot">
                <a href=dealer.link(&Page::Privacy) data-test="privacy-link">"《个人信息保护说明》"</a>
            </p>
        </main>
    }
}
