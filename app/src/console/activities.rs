//! `/console/activities` 活动: every activity with its state and seats (报名中, 已满, 已结束,
//! 已取消), a form to add or change one (kind, title, day and times, place, seats, the model
//! and store it is about), checked by the rule the server applies, cancelling, the sign-up
//! list of each (phones as the lead list shows them), and the page's link to share. Everyone
//! reads; managers and admins write.

use leptos::prelude::*;
use shared::activity::{Activity, ActivityDesk, ActivityDraft, ActivityKind, ActivityState};
use shared::date::Date;
use shared::slots::TimeOfDay;

use super::draft_form::{self, text_input, TextFields};
use super::{api, use_session};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn Activities() -> impl IntoView {
    super::set_title("活动");
    let session = use_session();
    let reload = RwSignal::new(0u32);
    let desk = LocalResource::new(move || {
        reload.track();
        async move { session.check(api::activities().await) }
    });
    let content = move || match desk.get() {
        None => view! { <Loading count=3 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(desk)) => view! { <Desk desk reload /> }.into_any(),
    };
    view! {
        <main class="c-page">
            <h1 class="c-title">"活动"</h1>
            <p class="c-sub">"试驾会、车主讲堂、新车上市：顾客在「本店活动」页报名，报名即成为线索；名额报满自动停止报名，结束后自动下线。"</p>
            {content}
        </main>
    }
}

#[component]
fn Desk(desk: ActivityDesk, reload: RwSignal<u32>) -> impl IntoView {
    let desk = StoredValue::new(desk);
    // `Some(None)`: adding a new one; `Some(Some(id))`: changing that one.
    let editing = RwSignal::new(None::<Option<i64>>);
    let done = Callback::new(move |()| {
        editing.set(None);
        reload.update(|n| *n += 1);
    });
    let form = move || {
        editing.get().map(|id| {
            let desk = desk.get_value();
            let draft = match id.and_then(|id| desk.activities.iter().find(|a| a.id == id)) {
                Some(a) => draft_of(a),
                None => new_draft(desk.today),
            };
            view! {
                <ActivityForm id draft series=desk.series stores=desk.stores done cancel=Callback::new(move |()| editing.set(None)) />
            }
        })
    };
    let can_edit = desk.with_value(|d| d.can_edit);
    let activities = desk.with_value(|d| d.activities.clone());
    let empty = activities.is_empty();
    view! {
        <Show when=move || can_edit && editing.get().is_none()>
            <button type="button" class="btn btn-primary btn-block" data-test="add-activity" on:click=move |_| editing.set(Some(None))>
                "新增活动"
            </button>
        </Show>
        {form}
        <Show when=move || empty>
            <p class="c-sub" data-test="activities-empty">"还没有活动。"</p>
        </Show>
        <ul class="c-list c-activities">
            {activities
                .into_iter()
                .map(|a| view! { <ActivityRow activity=a can_edit edit=Callback::new(move |id| editing.set(Some(Some(id)))) done /> })
                .collect_view()}
        </ul>
    }
}

fn draft_of(a: &Activity) -> Draft {
    Draft {
        kind: a.kind,
        title: a.title.clone(),
        description: a.description.clone(),
        date: a.date.to_string(),
        start: a.start.to_string(),
        end: a.end.to_string(),
        place: a.place.clone(),
        seats: a.seats.to_string(),
        series_id: a.series_id.clone().unwrap_or_default(),
        store_id: a.store_id.map(|s| s.to_string()).unwrap_or_default(),
    }
}

/// A new activity: a test-drive day a week from today, 14:00–16:00, 20 seats.
fn new_draft(today: Date) -> Draft {
    Draft {
        kind: ActivityKind::TestDriveDay,
        title: String::new(),
        description: String::new(),
        date: today.add_days(7).to_string(),
        start: "14:00".into(),
        end: "16:00".into(),
        place: String::new(),
        seats: "20".into(),
        series_id: String::new(),
        store_id: String::new(),
    }
}

/// What the form holds as typed.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    kind: ActivityKind,
    title: String,
    description: String,
    date: String,
    start: String,
    end: String,
    place: String,
    seats: String,
    /// Empty: no particular model.
    series_id: String,
    /// Empty: no particular store.
    store_id: String,
}

impl TextFields for Draft {
    fn text(&self, field: &str) -> &str {
        match field {
            "title" => &self.title,
            "date" => &self.date,
            "start" => &self.start,
            "end" => &self.end,
            "place" => &self.place,
            _ => &self.seats,
        }
    }

    fn text_mut(&mut self, field: &str) -> &mut String {
        match field {
            "title" => &mut self.title,
            "date" => &mut self.date,
            "start" => &mut self.start,
            "end" => &mut self.end,
            "place" => &mut self.place,
            _ => &mut self.seats,
        }
    }
}

impl Draft {
    fn read(&self) -> Result<ActivityDraft, (String, String)> {
        let wrong = |field: &str, message: &str| (field.to_string(), message.to_string());
        let time = |text: &str, field: &str| {
            TimeOfDay::parse(text).ok_or_else(|| wrong(field, "请填写时间，如 14:00"))
        };
        ActivityDraft {
            kind: self.kind,
            title: self.title.clone(),
            description: self.description.clone(),
            date: Date::parse(&self.date).ok_or_else(|| wrong("date", "请选择日期"))?,
            start: time(&self.start, "start")?,
            end: time(&self.end, "end")?,
            place: self.place.clone(),
            seats: self
                .seats
                .trim()
                .parse()
                .map_err(|_| wrong("seats", "名额请填写整数，如 20"))?,
            series_id: Some(self.series_id.clone()),
            store_id: self.store_id.parse().ok(),
        }
        .validate()
        .map_err(|e| (e.field.unwrap_or_default(), e.message))
    }
}

#[component]
fn ActivityForm(
    id: Option<i64>,
    draft: Draft,
    series: Vec<(String, String)>,
    stores: Vec<(i64, String)>,
    done: Callback<()>,
    cancel: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let draft = RwSignal::new(draft);
    let error = RwSignal::new(None::<(String, String)>);
    let save = Action::new_unsync(move |d: &ActivityDraft| {
        let d = d.clone();
        async move { session.check(api::save_activity(id, &d).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => done.run(()),
        Some(Err(e)) => error.set(Some((
            e.field().unwrap_or_default().to_string(),
            e.message(),
        ))),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.get_untracked().read() {
            Ok(d) if !save.pending().get_untracked() => {
                error.set(None);
                save.dispatch(d);
            }
            Ok(_) => {}
            Err(e) => error.set(Some(e)),
        }
    };
    let invalid = move |field| draft_form::invalid(error, field);
    let text = text_input("activity", draft, error);
    view! {
        <form class="c-card c-form" on:submit=on_submit novalidate data-test="activity-form">
            <h2>{if id.is_some() { "修改活动" } else { "新增活动" }}</h2>
            <div class="c-field">
                <label for="c-activity-kind">"类型"</label>
                <select
                    id="c-activity-kind"
                    data-test="activity-kind"
                    on:change=move |ev| {
                        if let Some(kind) = ActivityKind::from_key(&event_target_value(&ev)) {
                            draft.update(|d| d.kind = kind);
                        }
                    }
                >
                    {ActivityKind::ALL
                        .into_iter()
                        .map(|k| view! {
                            <option value=k.key() selected=move || draft.with(|d| d.kind == k)>{k.label()}</option>
                        })
                        .collect_view()}
                </select>
            </div>
            {text("title", "text", "活动名称", "如 周末试驾会")}
            <div class="c-field">
                <label for="c-activity-description">"活动介绍（可不填）"</label>
                <textarea
                    id="c-activity-description"
                    rows="3"
                    data-test="activity-description"
                    aria-invalid=invalid("description")
                    prop:value=move || draft.with(|d| d.description.clone())
                    on:input=move |ev| draft.update(|d| d.description = event_target_value(&ev))
                ></textarea>
            </div>
            {text("date", "date", "日期", "")}
            <div class="c-pair">
                {text("start", "time", "开始", "14:00")}
                {text("end", "time", "结束", "16:00")}
            </div>
            {text("place", "text", "地点", "如 本店展厅")}
            {text("seats", "number", "名额（人）", "20")}
            <div class="c-field">
                <label for="c-activity-series">"相关车型（可不选）"</label>
                <select
                    id="c-activity-series"
                    data-test="activity-series"
                    aria-invalid=invalid("series_id")
                    on:change=move |ev| draft.update(|d| d.series_id = event_target_value(&ev))
                >
                    <option value="" selected=move || draft.with(|d| d.series_id.is_empty())>"不限车型"</option>
                    {series
                        .into_iter()
                        .map(|(sid, name)| {
                            let chosen = sid.clone();
                            view! { <option value=sid selected=move || draft.with(|d| d.series_id == chosen)>{name}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="c-field">
                <label for="c-activity-store">"门店（可不选）"</label>
                <select
                    id="c-activity-store"
                    data-test="activity-store"
                    aria-invalid=invalid("store_id")
                    on:change=move |ev| draft.update(|d| d.store_id = event_target_value(&ev))
                >
                    <option value="" selected=move || draft.with(|d| d.store_id.is_empty())>"不指定门店"</option>
                    {stores
                        .into_iter()
                        .map(|(store, name)| {
                            let value = store.to_string();
                            let chosen = value.clone();
                            view! { <option value=value selected=move || draft.with(|d| d.store_id == chosen)>{name}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <p class="c-error" role="alert" data-test="activity-error">{move || error.get().map(|(_, m)| m)}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="save-activity" disabled=move || save.pending().get()>
                "保存"
            </button>
            <button type="button" class="btn btn-line btn-block" on:click=move |_| cancel.run(())>"取消"</button>
        </form>
    }
}

/// One activity: what, when, where, seats and state; its sign-ups on demand; 修改 / 取消活动.
#[component]
fn ActivityRow(
    activity: Activity,
    can_edit: bool,
    edit: Callback<i64>,
    done: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let id = activity.id;
    let error = RwSignal::new(None::<String>);
    let cancel =
        Action::new_unsync(
            move |_: &()| async move { session.check(api::cancel_activity(id).await) },
        );
    Effect::new(move |_| match cancel.value().get() {
        Some(Ok(_)) => done.run(()),
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    let shown = RwSignal::new(false);
    let badge = match activity.state {
        ActivityState::Open => "c-status c-b-completed",
        ActivityState::Full => "c-status c-l-new",
        ActivityState::Ended | ActivityState::Cancelled => "c-status",
    };
    let open = matches!(activity.state, ActivityState::Open | ActivityState::Full);
    let taken = activity.seats - activity.seats_left;
    let about = [activity.series_name.clone(), activity.store_name.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let page = format!("/{}/activities/{id}", dealer_slug());
    let share_activity = activity.clone();
    view! {
        <li class="c-card" data-test="activity" data-state=format!("{:?}", activity.state).to_lowercase()>
            <div>
                <strong>{activity.title.clone()}</strong>
                " "
                <span class=badge>{activity.state.label()}</span>
            </div>
            <div class="c-sub">{format!("{} · {}", activity.kind.label(), activity.when())}</div>
            <div class="c-sub">{activity.place.clone()}</div>
            <Show when={let empty = about.is_empty(); move || !empty}>
                <div class="c-sub">{about.clone()}</div>
            </Show>
            <div data-test="activity-seats">{format!("已报名 {taken} / {} 人", activity.seats)}</div>
            <div class="c-actions">
                <button type="button" class="btn btn-line btn-small" data-test="show-signups" on:click=move |_| shown.update(|s| *s = !*s)>
                    {move || if shown.get() { "收起名单" } else { "报名名单" }}
                </button>
                <Show when=move || open>
                    <a class="btn btn-line btn-small" href=page.clone() target="_blank" data-test="activity-page">"活动页"</a>
                </Show>
                <Show when=move || can_edit && open>
                    <button type="button" class="btn btn-line btn-small" data-test="edit-activity" on:click=move |_| edit.run(id)>"修改"</button>
                    <button type="button" class="btn btn-line btn-small" data-test="cancel-activity" disabled=move || cancel.pending().get() on:click=move |_| { cancel.dispatch(()); }>
                        "取消活动"
                    </button>
                </Show>
            </div>
            <p class="c-error" role="alert">{move || error.get()}</p>
            <Show when=move || open>
                <ShareActivity activity=share_activity.clone() />
            </Show>
            <Show when=move || shown.get()>
                <Signups id />
            </Show>
        </li>
    }
}

/// The dealer's slug, from the signed-in session.
fn dealer_slug() -> String {
    use_session()
        .me()
        .map(|me| me.dealer_slug)
        .unwrap_or_default()
}

/// An activity's sign-ups: name, phone (masked for who may not see it), how many, the
/// consultant, each opening its lead.
#[component]
fn Signups(id: i64) -> impl IntoView {
    let session = use_session();
    let list =
        LocalResource::new(move || async move { session.check(api::activity_signups(id).await) });
    move || {
        match list.get() {
        None => view! { <Loading count=1 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(list)) if list.signups.is_empty() => {
            view! { <p class="c-sub" data-test="signups-empty">"还没有人报名。"</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="c-signups" data-test="signups">
                {list
                    .signups
                    .into_iter()
                    .map(|s| view! {
                        <li data-test="signup">
                            <a href=super::lead_href(s.lead_id)>
                                <strong>{s.name}</strong>
                                " "
                                <span data-test="signup-phone">{s.phone}</span>
                            </a>
                            <span class="c-sub">
                                {format!(" · {}人 · {}", s.party_size, s.consultant_name.unwrap_or_else(|| "待分配".into()))}
                            </span>
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
    }
}

/// 分享: the staff member's own link to the activity's page (a sign-up through it is credited
/// to them by the attribution rule), with its QR code and a poster to save.
#[component]
fn ShareActivity(activity: Activity) -> impl IntoView {
    let session = use_session();
    let target = format!("/{}/activities/{}", dealer_slug(), activity.id);
    let campaign: String = activity
        .title
        .chars()
        .take(shared::link::MAX_CAMPAIGN)
        .collect();
    let until = activity.date;
    let about = activity.series_id.clone();
    let make = Action::new_unsync(move |_: &()| {
        let new = shared::link::NewLink {
            target: target.clone(),
            channel: shared::link::Channel::Poster,
            campaign: Some(campaign.clone()),
            expires_on: Some(until),
        };
        let (about, slug) = (about.clone(), dealer_slug());
        async move {
            let link = session.check(api::make_link(&new).await)?;
            // The car the activity is about, as the catalogue shows it, for the poster; a
            // list that fails to load leaves the poster its silhouette.
            let car = match about {
                Some(id) => api::series(&slug)
                    .await
                    .ok()
                    .and_then(|list| list.items.into_iter().find(|s| s.id == id)),
                None => None,
            };
            Ok::<_, api::Error>((link, car))
        }
    });
    let facts = move |link: &shared::link::Link, car: Option<&shared::catalog::SeriesSummary>| {
        let me = session.me()?;
        Some(super::poster::PosterFacts {
            headline: activity.title.clone(),
            subline: format!("{} · {}", activity.kind.label(), activity.when()),
            price: None,
            body: car.map_or(shared::catalog::BodyType::Suv, |s| s.body_type),
            photo: car
                .and_then(|s| s.cover.as_ref())
                .map(|p| p.url_for(super::poster::WIDTH as u32)),
            dealer: me.dealer_name,
            colour: me.brand_color,
            consultant: me.staff.name,
            title: activity.place.clone(),
            qr: format!("{}/qr.png", link.path),
        })
    };
    view! {
        {move || match make.value().get() {
            None => view! {
                <button type="button" class="btn btn-line btn-small" data-test="share-activity" disabled=move || make.pending().get() on:click=move |_| { make.dispatch(()); }>
                    "我的分享链接与海报"
                </button>
            }
            .into_any(),
            Some(Err(e)) => view! { <p class="c-error" role="alert">{e.message()}</p> }.into_any(),
            Some(Ok((link, car))) => {
                let url = super::links::full_url(&link.path);
                let images = facts(&link, car.as_ref()).map(|facts| {
                    view! { <super::links::ShareImages qr=format!("{}/qr.png", link.path) facts /> }
                });
                view! {
                    <p class="c-sub" data-test="activity-link">{url}</p>
                    {images}
                }
                .into_any()
            }
        }}
    }
}
