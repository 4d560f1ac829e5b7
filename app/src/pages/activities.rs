//! `/{dealer}/activities` 本店活动 (the activities to come, soonest first, each with its time,
//! place and seats: 剩余 N 席 / 已满) and `/{dealer}/activities/{id}` (one activity and its
//! sign-up form: name, phone, consent and how many come; a retry sends the same
//! `Idempotency-Key`; the confirmation says who will call). Its WeChat share card is the
//! shell's title and description, which the server writes from the activity.

use leptos::prelude::*;
use shared::activity::{Activity, ActivityState, SignupDone, SignupRequest, PARTY_MAX};
use shared::page::{FirstPaint, Page};

use crate::components::contact_fields::{Contact, ContactFields, Form};
use crate::components::enquiry_sheet::channel;
use crate::components::status::{LoadError, Loading};
use crate::nav::use_nav;
use crate::pages::not_found::NotFound;
use crate::{api, use_dealer};

#[component]
pub fn Activities() -> impl IntoView {
    // The words the server painted before the app ran, in the same place.
    let FirstPaint { heading, lede } = Page::Activities.first_paint().unwrap_or_default();
    crate::set_title(&heading);
    let dealer = use_dealer();
    let list = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::activities(&slug).await }
    });
    let content = move || match list.get() {
        None => view! { <Loading count=2 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(list)) if list.activities.is_empty() => view! {
            <div class="empty" data-test="no-activities">
                <p>"近期暂无活动"</p>
                <a class="btn btn-line btn-small" href=dealer.link(&Page::TestDrive)>"预约试驾"</a>
            </div>
        }
        .into_any(),
        Some(Ok(list)) => view! {
            <ul class="list activities" data-test="activities">
                {list
                    .activities
                    .into_iter()
                    .map(|a| {
                        let href = dealer.link(&Page::Activity(a.id.to_string()));
                        view! {
                            <li>
                                <a class="card activity-card" href=href data-test="activity-card">
                                    <ActivitySummary activity=a />
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <main class="page activities-page">
            <h1>{heading}</h1>
            <p class="lede">{lede}</p>
            {content}
        </main>
    }
}

/// The kind, title, time, place and seats of an activity.
#[component]
fn ActivitySummary(activity: Activity) -> impl IntoView {
    let open = activity.state == ActivityState::Open;
    view! {
        <span class="activity-kind">{activity.kind.label()}</span>
        <strong class="activity-title">{activity.title.clone()}</strong>
        <span class="activity-meta">{activity.when()}</span>
        <span class="activity-meta">{activity.place.clone()}</span>
        <span class="activity-seats" class:full=!open data-test="activity-seats">{activity.seats_text()}</span>
    }
}

#[component]
pub fn ActivityDetail(id: String) -> impl IntoView {
    let dealer = use_dealer();
    let wanted = id.clone();
    let page = LocalResource::new(move || {
        let (slug, id) = (dealer.slug.get(), wanted.clone());
        async move { api::activity(&slug, &id).await }
    });
    let done = RwSignal::new(None::<SignupDone>);
    let content = move || match page.get() {
        None => view! { <Loading count=2 /> }.into_any(),
        Some(Err(e)) if e.is_not_found() => view! { <NotFound /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(page)) => {
            let activity = page.activity;
            crate::set_title(&activity.title);
            let open = activity.state == ActivityState::Open;
            let description = activity.description.clone();
            let series = activity.series_id.clone().zip(activity.series_name.clone());
            let form_activity = activity.clone();
            view! {
                // After signing up, the seats the sign-up left.
                {move || {
                    let shown = done.with(|d| d.as_ref().map(|d| d.activity.clone())).unwrap_or_else(|| activity.clone());
                    let store = shown.store_name.clone().map(|s| view! { <span class="activity-meta">{format!("门店：{s}")}</span> });
                    let series = series.clone().map(|(id, name)| view! {
                        <a class="activity-meta" href=dealer.link(&Page::Series(id))>{format!("相关车型：{name}")}</a>
                    });
                    view! {
                        <article class="card activity-detail" data-test="activity-detail">
                            <span class="activity-kind">{shown.kind.label()}</span>
                            <h1 class="activity-title">{shown.title.clone()}</h1>
                            <span class="activity-meta">{shown.when()}</span>
                            <span class="activity-meta">{shown.place.clone()}</span>
                            {store}
                            {series}
                            <span class="activity-seats" class:full=shown.state != ActivityState::Open data-test="activity-seats">{shown.seats_text()}</span>
                        </article>
                    }
                }}
                <Show when={let empty = description.is_empty(); move || !empty}>
                    <p class="activity-description">{description.clone()}</p>
                </Show>
                {move || match done.get() {
                    Some(signed) => view! { <Confirmation signed /> }.into_any(),
                    None if open => view! { <SignupForm activity=form_activity.clone() done /> }.into_any(),
                    None => view! {
                        <p class="notice" data-test="activity-closed">
                            {match form_activity.state {
                                ActivityState::Full => "名额已满，欢迎关注本店其他活动。",
                                _ => "活动已结束，欢迎关注本店其他活动。",
                            }}
                        </p>
                    }
                    .into_any(),
                }}
                <a class="btn btn-line btn-small" href=dealer.link(&Page::Activities)>"全部活动"</a>
            }
            .into_any()
        }
    };
    view! { <main class="page activity-page">{content}</main> }
}

/// 人数, 姓名, 手机号 and the consent last; a full activity's 409 is shown above the button.
#[component]
fn SignupForm(activity: Activity, done: RwSignal<Option<SignupDone>>) -> impl IntoView {
    let dealer = use_dealer();
    let contact = Contact::for_dealer();
    let party = RwSignal::new(1_i64);
    let failure = RwSignal::new(None::<String>);
    let ch = use_nav()
        .query()
        .with_untracked(|q| q.get("ch").map(str::to_string));
    let ch = channel(ch);
    let id = activity.id;
    let send = Action::new_unsync(move |(request, key): &(SignupRequest, String)| {
        let (request, key) = (request.clone(), key.clone());
        let slug = dealer.slug.get_untracked();
        async move { api::sign_up(&slug, id, &request, &key).await }
    });
    // The request and key of the last submission: a retry of the same request after a network
    // failure sends the same key, so the server signs up once.
    let attempt = StoredValue::new(None::<(SignupRequest, String)>);
    Effect::new(move |_| match send.value().get() {
        Some(Ok(signed)) => done.set(Some(signed)),
        Some(Err(e @ api::Error::Network(_))) => failure.set(Some(e.message())),
        Some(Err(api::Error::Api(e)))
            if matches!(e.field.as_deref(), Some("name" | "phone" | "consent")) =>
        {
            attempt.set_value(None);
            contact.server.set(Some(e));
        }
        Some(Err(e)) => {
            attempt.set_value(None);
            failure.set(Some(e.message()));
        }
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        if !contact.check() || send.pending().get_untracked() {
            return;
        }
        let request = SignupRequest {
            contact: contact.form(),
            party_size: party.get_untracked(),
            channel: ch.clone(),
        };
        let key = attempt
            .with_value(|a| {
                a.as_ref()
                    .filter(|(sent, _)| *sent == request)
                    .map(|(_, key)| key.clone())
            })
            .unwrap_or_else(api::idempotency_key);
        attempt.set_value(Some((request.clone(), key.clone())));
        send.dispatch((request, key));
    };
    let most = PARTY_MAX.min(activity.seats_left).max(1);
    view! {
        <form class="card activity-form" novalidate on:submit=submit data-test="signup-form">
            <h2>"我要报名"</h2>
            <div class="field">
                <label for="party">"人数（含本人）"</label>
                <select
                    id="party"
                    data-test="party"
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse() {
                            party.set(n);
                        }
                    }
                >
                    {(1..=most)
                        .map(|n| view! { <option value=n.to_string() selected=move || party.get() == n>{format!("{n}人")}</option> })
                        .collect_view()}
                </select>
            </div>
            <ContactFields contact form=Form::Booking privacy_href=dealer.link(&Page::Privacy) />
            {move || failure.get().map(|m| view! { <p class="notice form-error" role="alert" data-test="form-error">{m}</p> })}
            <button type="submit" class="btn btn-primary btn-block" data-test="sign-up" disabled=move || send.pending().get()>
                {move || if send.pending().get() { "提交中…" } else { "提交报名" }}
            </button>
        </form>
    }
}

/// 报名成功: the code, how many, when and where, and who will call.
#[component]
fn Confirmation(signed: SignupDone) -> impl IntoView {
    let a = signed.activity;
    let who = match signed.consultant {
        Some(c) => format!("顾问{}会在活动前与您联系确认。", c.name),
        None => "本店顾问会在活动前与您联系确认。".into(),
    };
    view! {
        <section class="card activity-done" role="status" data-test="signup-done">
            <h2>"报名成功"</h2>
            <p>{format!("{} · {}人", a.title, signed.party_size)}</p>
            <p>{format!("{} · {}", a.when(), a.place)}</p>
            <p class="activity-meta">{format!("报名编号 {}", signed.code)}</p>
            <p>{who}</p>
        </section>
    }
}
