//! The admin's 积分规则 on `/console/account`: the points each milestone earns an owner (an
//! answered service survey, a completed service, a referred friend's completed test drive and
//! delivery) and what points are worth at the dealer, checked in the browser with the rule the
//! server applies.

use leptos::prelude::*;
use shared::loyalty::LoyaltySettings;

use super::{api, use_session};

/// The number fields: label, wire name, and how to read and write them.
type Field = (
    &'static str,
    &'static str,
    fn(&LoyaltySettings) -> i64,
    fn(&mut LoyaltySettings, i64),
);

const FIELDS: [Field; 4] = [
    (
        "评价保养维修",
        "survey_points",
        |s| s.survey_points,
        |s, v| s.survey_points = v,
    ),
    (
        "到店保养维修",
        "service_points",
        |s| s.service_points,
        |s, v| s.service_points = v,
    ),
    (
        "推荐好友完成试驾",
        "referral_drive_points",
        |s| s.referral_drive_points,
        |s, v| s.referral_drive_points = v,
    ),
    (
        "推荐好友提车",
        "referral_deliver_points",
        |s| s.referral_deliver_points,
        |s, v| s.referral_deliver_points = v,
    ),
];

#[component]
pub fn LoyaltyForm() -> impl IntoView {
    let session = use_session();
    let stored = LocalResource::new(move || async move { session.check(api::loyalty().await) });
    let numbers: [RwSignal<String>; 4] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let worth = RwSignal::new(String::new());
    let error = RwSignal::new(None::<(Option<String>, String)>);
    let saved = RwSignal::new(false);
    let show = move |s: &LoyaltySettings| {
        for (signal, field) in numbers.iter().zip(FIELDS) {
            signal.set((field.2)(s).to_string());
        }
        worth.set(s.worth.clone());
    };
    Effect::new(move |_| {
        if let Some(Ok(s)) = stored.get() {
            show(&s);
        }
    });
    let save = Action::new_unsync(move |s: &LoyaltySettings| {
        let s = s.clone();
        async move { session.check(api::save_loyalty(&s).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(s)) => {
            show(&s);
            saved.set(true);
        }
        Some(Err(e)) => error.set(Some((e.field().map(Into::into), e.message()))),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let mut form = LoyaltySettings {
            worth: worth.get_untracked(),
            ..LoyaltySettings::default()
        };
        for (signal, field) in numbers.iter().zip(FIELDS) {
            // Not a whole number: out of range, so the rule's message names the field.
            (field.3)(
                &mut form,
                signal.get_untracked().trim().parse().unwrap_or(-1),
            );
        }
        match form.validate() {
            Err(e) => error.set(Some((e.field, e.message))),
            Ok(form) if !save.pending().get_untracked() => {
                error.set(None);
                save.dispatch(form);
            }
            Ok(_) => {}
        }
    };
    let error_of = move |name: &'static str| {
        move || {
            error
                .get()
                .filter(|(field, _)| field.as_deref() == Some(name))
                .map(|(_, message)| message)
        }
    };
    let inputs = numbers
        .into_iter()
        .zip(FIELDS)
        .map(|(signal, (label, name, ..))| {
            let id = format!("c-loyalty-{name}");
            view! {
                <div class="c-field">
                    <label for=id.clone()>{label} "（积分）"</label>
                    <input id=id type="number" inputmode="numeric" min="0" max="100000"
                        data-test=format!("loyalty-{name}")
                        prop:value=signal on:input=move |ev| signal.set(event_target_value(&ev)) />
                    <p class="c-error" role="alert">{error_of(name)}</p>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="c-section">
            <h2>"积分规则"</h2>
            <form class="c-card c-form" on:submit=on_submit novalidate data-test="loyalty-form">
                {inputs}
                <div class="c-field">
                    <label for="c-loyalty-worth">"积分说明（车主可见）"</label>
                    <textarea id="c-loyalty-worth" rows="3" maxlength="200" data-test="loyalty-worth"
                        placeholder="例如：100积分抵10元保养工时费"
                        prop:value=worth on:input=move |ev| worth.set(event_target_value(&ev))></textarea>
                    <p class="c-error" role="alert">{error_of("worth")}</p>
                </div>
                <p class="c-sub">"积分只在到店核实后发放：好友试驾由门店标记完成、提车由交车记录确认"</p>
                <button type="submit" class="btn btn-primary btn-block" data-test="loyalty-save"
                    disabled=move || save.pending().get()>
                    "保存"
                </button>
                <p class="c-sub" role="status" data-test="loyalty-saved">
                    {move || saved.get().then_some("已保存：此后获得的积分按新规则计算")}
                </p>
            </form>
        </section>
    }
}
