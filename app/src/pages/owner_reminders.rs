//! The owner page's reminders: what the scheduler reminds of on each car (soonest first, and
//! whether it also went to WeChat), and the switch for WeChat reminders, which goes through
//! WeChat's own consent and comes back with `?wechat=on` or `?wechat=failed`.

use leptos::prelude::*;
use shared::reminder::{OwnerReminder, WeChatReminders};

use crate::nav::use_nav;
use crate::{api, use_dealer};

/// A car's reminders; nothing when none is due.
#[component]
pub fn CarReminders(reminders: Vec<OwnerReminder>) -> impl IntoView {
    (!reminders.is_empty()).then(|| {
        view! {
            <ul class="reminders" data-test="car-reminders" aria-label="待办提醒">
                {reminders
                    .into_iter()
                    .map(|r| view! {
                        <li data-test="car-reminder">
                            <strong>{r.kind.label()}</strong>
                            <span>{r.detail}</span>
                            {r.sent.then_some(view! { <small>"已通过微信提醒"</small> })}
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// Whether reminders also come as WeChat messages, when the dealer offers them.
#[component]
pub fn WeChatSwitch(state: WeChatReminders) -> impl IntoView {
    let dealer = use_dealer();
    let came_back = use_nav()
        .query()
        .get_untracked()
        .get("wechat")
        .map(str::to_string);
    let (on, set_on) = signal(state.on);
    let stop = Action::new_unsync(move |_: &()| {
        let slug = dealer.slug.get_untracked();
        async move { api::stop_wechat_reminders(&slug).await }
    });
    Effect::new(move || {
        if let Some(Ok(())) = stop.value().get() {
            set_on.set(false);
        }
    });
    let note = move || match (on.get(), came_back.as_deref()) {
        (true, _) => "保养、年检、保险到期前会通过公众号提醒您，每月最多2条，21:00至次日9:00不打扰",
        (false, Some("failed")) => "未能开启微信提醒，请在微信中打开本页后重试",
        (false, _) => "开启后，保养、年检、保险到期前会通过公众号提醒您（每月最多2条）",
    };
    let start = format!(
        "/api/v1/dealers/{}/owner/wechat",
        dealer.slug.get_untracked()
    );
    state.offered.then(|| {
        view! {
            <section class="card wechat-switch" data-test="wechat-reminders">
                <h2>"微信提醒"</h2>
                <p class="hint" role="status" data-test="wechat-reminders-note">{note}</p>
                {move || if on.get() {
                    view! {
                        <button class="btn btn-line" type="button" data-test="wechat-reminders-off"
                            disabled=stop.pending() on:click=move |_| { stop.dispatch(()); }>
                            "关闭微信提醒"
                        </button>
                    }
                    .into_any()
                } else {
                    view! {
                        <a class="btn btn-primary" href=start.clone() rel="external" data-test="wechat-reminders-on">
                            "开启微信提醒"
                        </a>
                    }
                    .into_any()
                }}
            </section>
        }
    })
}
