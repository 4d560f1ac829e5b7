//! `/{dealer}/test-drive?series=&trim=&from=&ch=`: book a test drive on one screen. Series (only
//! those a store can lend), store, day and slot with the seats left, optional licence class,
//! name, mobile number and consent, checked as the user types by the `shared` rules. A
//! submission carries an `Idempotency-Key` that its retry reuses, so a flaky network never
//! books twice; a slot taken meanwhile offers the store's nearest free slots instead.

use leptos::prelude::*;
use shared::booking::{BookingRequest, Origin, Slot, SlotFull, TestDriveStore};
use shared::catalog::{SeriesList, SpecValue, Trim};
use shared::contact::{check_licence, Gearbox, Licence};
use shared::date::Date;
use shared::page::Page;

use crate::components::consultant_card::CompactCard;
use crate::components::contact_fields::{Contact, ContactFields, Form};
use crate::components::enquiry_sheet::channel;
use crate::components::field_error::FieldError;
use crate::components::slot_picker::{FreeSlots, SlotPicker};
use crate::components::status::{LoadError, Loading};
use crate::nav::{use_nav, Entry};
use crate::pages::not_found::NotFound;
use crate::{api, use_dealer};

/// The pages that link here with `?from=`; a visit from anywhere else counts as this page's.
const FROM: [&str; 5] = ["home", "model", "compare", "calculator", "showcase"];

/// The fields a 422 is shown under; any other (trim, origin) is shown above the button.
const FIELDS: [&str; 6] = ["name", "phone", "consent", "licence", "slot", "series"];

/// The link here from the page `from`, for `series` (and `trim`), keeping the visit's channel.
pub fn href(
    dealer: &str,
    series: &str,
    trim: Option<&str>,
    from: &str,
    ch: Option<&str>,
) -> String {
    let mut pairs = vec![("series", series)];
    pairs.extend(trim.map(|t| ("trim", t)));
    pairs.push(("from", from));
    pairs.extend(ch.map(|c| ("ch", c)));
    format!(
        "{}{}",
        Page::TestDrive.href(dealer),
        api::query_string(&pairs)
    )
}

/// Where a booking made here came from: the linking page, this button, the link's channel.
fn origin(from: Option<&str>, ch: Option<String>) -> Origin {
    Origin {
        page: from
            .filter(|f| FROM.contains(f))
            .unwrap_or("test-drive")
            .into(),
        button: "book-test-drive".into(),
        channel: channel(ch),
    }
}

/// The trim's gearbox as its specs say it, read from the same specs, in the same order, as the
/// server's licence check.
fn gearbox(trim: &Trim) -> Option<Gearbox> {
    [
        "transmission_type",
        "transmission_summary",
        "transmission_description",
    ]
    .iter()
    .filter_map(|key| match trim.specs.get(*key) {
        Some(SpecValue::Text(text)) => Some(text),
        _ => None,
    })
    .find_map(|text| Gearbox::from_spec(text))
}

/// The series some store lends, as `(id, name)`: in the catalogue's order, then any the
/// catalogue does not name (shown by id).
fn series_options(stores: &[TestDriveStore], names: Option<&SeriesList>) -> Vec<(String, String)> {
    let lent = |id: &str| stores.iter().any(|s| s.series_ids.iter().any(|i| i == id));
    let mut options: Vec<(String, String)> = names
        .map(|l| {
            l.items
                .iter()
                .filter(|s| lent(&s.id))
                .map(|s| (s.id.clone(), s.name_zh.clone()))
                .collect()
        })
        .unwrap_or_default();
    for id in stores.iter().flat_map(|s| &s.series_ids) {
        if !options.iter().any(|(i, _)| i == id) {
            options.push((id.clone(), id.clone()));
        }
    }
    options
}

/// The store to open for `series`: the one chosen if it lends it, else the only one that does.
fn store_for(stores: &[TestDriveStore], series: Option<&str>, chosen: Option<i64>) -> Option<i64> {
    let series = series?;
    let lending: Vec<i64> = stores
        .iter()
        .filter(|s| s.series_ids.iter().any(|i| i == series))
        .map(|s| s.store.id)
        .collect();
    match chosen {
        Some(id) if lending.contains(&id) => Some(id),
        _ => (lending.len() == 1).then(|| lending[0]),
    }
}

/// Brings the first error on screen after a submit the rules or the server refused.
fn reveal_error() {
    request_animation_frame(|| {
        if let Ok(Some(el)) =
            document().query_selector(".td-step.invalid, .field.invalid, .slot-full, .form-error")
        {
            el.scroll_into_view();
        }
    });
}

#[component]
pub fn TestDrive() -> impl IntoView {
    // The words the server painted before the app ran, in the same place.
    let shared::page::FirstPaint { heading, lede } =
        Page::TestDrive.first_paint().unwrap_or_default();
    crate::set_title(&heading);
    let dealer = use_dealer();
    let offer = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::test_drive(&slug).await }
    });
    // Names for the series chips; without them the chips show ids rather than nothing.
    let names = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::series_list(&slug).await.ok() }
    });
    // The consultant whose link brought the visitor (preloaded with the page's data).
    let consultant = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::my_consultant(&slug).await.ok().flatten() }
    });
    let content = move || match (offer.get(), names.get(), consultant.get()) {
        (Some(Err(e)), _, _) if e.is_not_found() => view! { <NotFound /> }.into_any(),
        (Some(Err(e)), _, _) => view! { <LoadError message=e.message() /> }.into_any(),
        (Some(Ok(offer)), Some(names), Some(card)) if !offer.stores.is_empty() => view! {
            {card.map(|card| view! { <CompactCard card /> })}
            <BookingForm stores=offer.stores today=offer.today names />
        }
        .into_any(),
        (Some(Ok(_)), Some(_), Some(_)) => {
            let tel = dealer.home.get().and_then(Result::ok).map(|h| {
                let href = format!("tel:{}", h.dealer.phone);
                view! { <a class="btn btn-primary" href=href>"致电 " {h.dealer.phone}</a> }
            });
            view! {
                <div class="empty" data-test="no-test-drive">
                    <p>"本店暂未开放在线预约试驾，欢迎致电预约。"</p>
                    {tel}
                </div>
            }
            .into_any()
        }
        _ => view! { <Loading count=3 /> }.into_any(),
    };
    view! {
        <main class="page test-drive">
            <h1>{heading}</h1>
            <p class="lede">{lede}</p>
            {content}
        </main>
    }
}

#[component]
fn BookingForm(
    stores: Vec<TestDriveStore>,
    today: Date,
    names: Option<SeriesList>,
) -> impl IntoView {
    let dealer = use_dealer();
    let slug = dealer.slug.get_untracked();
    let query = use_nav().query();
    let param = move |key: &str| {
        query.with_untracked(|q| {
            q.get(key)
                .filter(|v| !v.trim().is_empty())
                .map(str::to_string)
        })
    };
    let options = series_options(&stores, names.as_ref());
    let wanted = param("series");
    let unavailable = wanted
        .as_ref()
        .is_some_and(|w| !options.iter().any(|(id, _)| id == w));
    let initial = match wanted {
        Some(w) if !unavailable => Some(w),
        _ => (options.len() == 1).then(|| options[0].0.clone()),
    };
    let stores = StoredValue::new(stores);
    let store = RwSignal::new(stores.with_value(|s| store_for(s, initial.as_deref(), None)));
    let trim = RwSignal::new(param("trim").filter(|_| initial.is_some()));
    let series = RwSignal::new(initial);
    let day = RwSignal::new(None::<Date>);
    let slot = RwSignal::new(None::<i64>);
    let licence = RwSignal::new(None::<Licence>);
    let contact = Contact::for_dealer();
    let tried = RwSignal::new(false);
    let full = RwSignal::new(None::<SlotFull>);
    let failure = RwSignal::new(None::<api::Error>);
    let origin = origin(param("from").as_deref(), param("ch"));

    // A returning visitor's name and number (their own cookie): booking is one tap.
    let me = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::me(&slug).await.ok() }
    });
    Effect::new(move |_| {
        if let Some(Some(me)) = me.get() {
            contact.prefill(&me);
        }
    });

    let slots = LocalResource::new(move || {
        let (slug, store, series) = (dealer.slug.get(), store.get(), series.get());
        async move {
            match (store, series) {
                (Some(store), Some(series)) => api::slots(&slug, store, &series)
                    .await
                    .map(|l| Some(l.slots)),
                _ => Ok(None),
            }
        }
    });

    // The linked trim: its name, and its gearbox for the licence check. `Err` when the
    // catalogue says the trim is not of this series (then only the series is booked).
    let trim_detail = LocalResource::new(move || {
        let (slug, series, trim) = (dealer.slug.get(), series.get(), trim.get());
        async move {
            let (Some(series), Some(trim)) = (series, trim) else {
                return None;
            };
            let detail = api::series_detail(&slug, &series).await.ok()?;
            Some(detail.trims.into_iter().find(|t| t.id == trim).ok_or(()))
        }
    });
    Effect::new(move |_| {
        if let Some(Some(Err(()))) = trim_detail.get() {
            trim.set(None);
        }
    });
    let picked = Memo::new(move |_| match trim_detail.get() {
        Some(Some(Ok(t))) if trim.with(|id| id.as_deref() == Some(t.id.as_str())) => {
            Some((t.full_name(), gearbox(&t)))
        }
        _ => None,
    });
    let gearbox = move || picked.with(|p| p.as_ref().and_then(|(_, g)| *g));

    let series_error = {
        let server = contact.server_error("series");
        Signal::derive(move || {
            (tried.get() && series.with(Option::is_none))
                .then(|| "请选择试驾车型".to_string())
                .or_else(|| server.get())
        })
    };
    let store_error = Signal::derive(move || {
        (tried.get() && series.with(Option::is_some) && store.with(Option::is_none))
            .then(|| "请选择门店".to_string())
    });
    let slot_error = {
        let server = contact.server_error("slot");
        Signal::derive(move || {
            (tried.get()
                && store.with(Option::is_some)
                && slot.with(Option::is_none)
                && full.with(Option::is_none))
            .then(|| "请选择试驾时间".to_string())
            .or_else(|| server.get())
        })
    };
    let licence_error = {
        let server = contact.server_error("licence");
        Signal::derive(move || {
            check_licence(licence.get(), gearbox())
                .err()
                .map(|e| e.message)
                .or_else(|| server.get())
        })
    };

    let book = Action::new_unsync(move |(request, key): &(BookingRequest, String)| {
        let (request, key) = (request.clone(), key.clone());
        let slug = dealer.slug.get_untracked();
        async move { api::book(&slug, &request, &key).await }
    });
    let sending = book.pending();
    // The request and key of the last submission: a retry of the same request after a network
    // failure sends the same key, so the server answers it once.
    let attempt = StoredValue::new(None::<(BookingRequest, String)>);
    let nav = use_nav();
    let done_slug = slug.clone();
    Effect::new(move |_| {
        let Some(result) = book.value().get() else {
            return;
        };
        match result {
            Ok(booking) => {
                nav.open(&Page::Booking(booking.code).href(&done_slug), Entry::New);
                return;
            }
            Err(e @ api::Error::Network(_)) => failure.set(Some(e)),
            Err(e) => {
                attempt.set_value(None);
                match e {
                    api::Error::SlotFull(offer) => {
                        slot.set(None);
                        full.set(Some(offer));
                        slots.refetch();
                    }
                    api::Error::Api(e)
                        if e.field.as_deref().is_some_and(|f| FIELDS.contains(&f)) =>
                    {
                        contact.server.set(Some(e));
                    }
                    e => failure.set(Some(e)),
                }
            }
        }
        reveal_error();
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        failure.set(None);
        let contact_ok = contact.check();
        let chosen = licence.get_untracked();
        let licence_ok = licence_error.with_untracked(Option::is_none);
        let (Some(series_id), Some(slot_id)) = (series.get_untracked(), slot.get_untracked())
        else {
            reveal_error();
            return;
        };
        if !contact_ok || !licence_ok {
            reveal_error();
            return;
        }
        if sending.get_untracked() {
            return;
        }
        let request = BookingRequest {
            series_id,
            trim_id: trim.get_untracked(),
            slot_id,
            contact: contact.form(),
            licence: chosen,
            origin: origin.clone(),
        };
        let key = attempt
            .with_value(|a| {
                a.as_ref()
                    .filter(|(sent, _)| *sent == request)
                    .map(|(_, key)| key.clone())
            })
            .unwrap_or_else(api::idempotency_key);
        attempt.set_value(Some((request.clone(), key.clone())));
        book.dispatch((request, key));
    };

    // A link that named the car shows just that one, with a way to change it.
    let every_series = RwSignal::new(series.with_untracked(Option::is_none) || options.len() <= 4);
    let series_chips = options
        .into_iter()
        .map(|(id, name)| {
            let value = id.clone();
            let on = Memo::new(move |_| series.with(|s| s.as_deref() == Some(value.as_str())));
            let pick = id.clone();
            view! {
                <button
                    type="button"
                    class="chip"
                    class:on=on
                    aria-pressed=move || on.get().to_string()
                    hidden=move || !every_series.get() && !on.get()
                    data-test="series-option"
                    data-id=id
                    on:click=move |_| {
                        if series.with_untracked(|s| s.as_deref() != Some(pick.as_str())) {
                            trim.set(None);
                            full.set(None);
                            slot.set(None);
                            store.set(stores.with_value(|s| store_for(s, Some(&pick), store.get_untracked())));
                            series.set(Some(pick.clone()));
                            contact.edited("series");
                        }
                    }
                >
                    {name}
                </button>
            }
        })
        .collect_view();
    let trim_line = move || {
        picked.get().map(|(name, _)| {
            view! {
                <p class="td-trim" data-test="trim-picked">
                    "配置：" {name}
                    <button type="button" class="link" data-test="trim-clear" on:click=move |_| trim.set(None)>
                        "不限配置"
                    </button>
                </p>
            }
        })
    };
    let store_options = move || {
        let Some(chosen) = series.get() else {
            return view! { <p class="muted">"请先选择车型"</p> }.into_any();
        };
        stores
            .with_value(|all| {
                all.iter()
                    .filter(|s| s.series_ids.contains(&chosen))
                    .map(|s| {
                        let id = s.store.id;
                        let on = move || store.get() == Some(id);
                        view! {
                            <button
                                type="button"
                                class="option"
                                class:on=on
                                aria-pressed=move || on().to_string()
                                data-test="store-option"
                                data-id=id
                                on:click=move |_| {
                                    if store.get_untracked() != Some(id) {
                                        full.set(None);
                                        slot.set(None);
                                        store.set(Some(id));
                                    }
                                }
                            >
                                <strong>{s.store.name.clone()}</strong>
                                <span>{s.store.city.clone()} " " {s.store.address.clone()}</span>
                                <span>"营业时间 " {s.store.opening_hours.clone()}</span>
                            </button>
                        }
                    })
                    .collect_view()
            })
            .into_any()
    };
    let picked_slot = Callback::new(move |_: Slot| {
        full.set(None);
        contact.edited("slot");
    });
    let slot_view = move || match slots.get() {
        None => view! { <div class="ph-slots" aria-busy="true"></div> }.into_any(),
        Some(Ok(None)) => {
            view! { <p class="muted">"选择车型和门店后显示可预约时间"</p> }.into_any()
        }
        Some(Err(e)) => view! { <p class="notice" role="alert">{e.message()}</p> }.into_any(),
        Some(Ok(Some(list))) => view! {
            <SlotPicker slots=list today day chosen=slot on_pick=picked_slot />
        }
        .into_any(),
    };
    let free_slots = move || {
        full.get().map(|offer| {
            let pick = Callback::new(move |s: Slot| {
                day.set(Some(s.date));
                slot.set(Some(s.id));
                full.set(None);
                contact.edited("slot");
            });
            view! { <FreeSlots message=offer.error.message slots=offer.free_slots on_pick=pick /> }
        })
    };
    let licence_chip = move |value: Option<Licence>, text: &'static str, test: &'static str| {
        view! {
            <label class="chip radio" class:on=move || licence.get() == value data-test=test>
                <input
                    type="radio"
                    name="licence"
                    prop:checked=move || licence.get() == value
                    on:change=move |_| {
                        licence.set(value);
                        contact.edited("licence");
                    }
                />
                {text}
            </label>
        }
    };
    let my_bookings = dealer.link(&Page::MyBookings);
    let form_error = move || {
        failure.get().map(|e| {
            let duplicate = matches!(&e, api::Error::Api(a) if a.code == "duplicate");
            let link = duplicate.then(|| {
                view! { <a href=my_bookings.clone() data-test="to-my-bookings">"查看我的预约"</a> }
            });
            view! {
                <div class="notice form-error" role="alert" data-test="form-error">
                    <p>{e.message()}</p>
                    {link}
                </div>
            }
        })
    };
    let step = |error: Signal<Option<String>>| move || error.with(Option::is_some);

    view! {
        <form class="td-form" novalidate on:submit=submit>
            {unavailable.then(|| view! {
                <p class="notice" data-test="series-unavailable">"该车型暂不提供试驾，请选择其他车型。"</p>
            })}
            <section class="card td-step" class:invalid=step(series_error) aria-labelledby="td-series">
                <h2 id="td-series">"试驾车型"</h2>
                <div class="chips wrap" role="group" aria-labelledby="td-series">
                    {series_chips}
                    <Show when=move || !every_series.get()>
                        <button type="button" class="link" data-test="series-more" on:click=move |_| every_series.set(true)>
                            "更换车型"
                        </button>
                    </Show>
                </div>
                {trim_line}
                <FieldError message=series_error id="error-series" />
            </section>
            <section class="card td-step" class:invalid=step(store_error) aria-labelledby="td-store">
                <h2 id="td-store">"门店"</h2>
                <div class="options">{store_options}</div>
                <FieldError message=store_error id="error-store" />
            </section>
            <section class="card td-step" class:invalid=step(slot_error) aria-labelledby="td-time">
                <h2 id="td-time">"试驾时间"</h2>
                {free_slots}
                <div class="slot-area">{slot_view}</div>
                <FieldError message=slot_error id="error-slot" />
            </section>
            <section class="card td-step" class:invalid=step(licence_error) aria-labelledby="td-licence">
                <h2 id="td-licence">"驾照类型" <span class="muted">"（选填）"</span></h2>
                <div class="chips wrap" role="radiogroup" aria-labelledby="td-licence">
                    {licence_chip(Some(Licence::C1), Licence::C1.label(), "licence-C1")}
                    {licence_chip(Some(Licence::C2), Licence::C2.label(), "licence-C2")}
                    {licence_chip(None, "暂不填写", "licence-none")}
                </div>
                <FieldError message=licence_error id="error-licence" />
                <p class="muted small">"只需驾照类型，不需要驾驶证号；到店试驾时请携带驾驶证。"</p>
            </section>
            <section class="card td-step" aria-labelledby="td-contact">
                <h2 id="td-contact">"联系方式"</h2>
                <ContactFields contact form=Form::Booking privacy_href=dealer.link(&Page::Privacy) />
            </section>
            {form_error}
            <button
                type="submit"
                class="btn btn-primary btn-block"
                data-test="submit"
                disabled=move || sending.get()
            >
                {move || if sending.get() { "正在提交…" } else { "提交预约" }}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::catalog::Store;

    fn store(id: i64, series: &[&str]) -> TestDriveStore {
        TestDriveStore {
            store: Store {
                id,
                name: format!("门店{id}"),
                address: String::new(),
                city: String::new(),
                phone: String::new(),
                opening_hours: String::new(),
            },
            series_ids: series.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_origin_names_a_known_linking_page_or_this_one() {
        let o = origin(Some("compare"), Some("menu".into()));
        assert_eq!(
            (o.page.as_str(), o.button.as_str()),
            ("compare", "book-test-drive")
        );
        assert_eq!(o.channel.as_deref(), Some("menu"));
        assert!(o.validate().is_ok());
        for from in [None, Some("evil<script>"), Some("")] {
            let o = origin(from, Some("a b".into()));
            assert_eq!(o.page, "test-drive", "{from:?}");
            assert_eq!(o.channel, None);
            assert!(o.validate().is_ok());
        }
    }

    #[test]
    fn only_lent_series_are_offered_and_a_lone_store_is_chosen_for_you() {
        let stores = [store(1, &["a", "b"]), store(2, &["b", "z"])];
        let options = series_options(&stores, None);
        let ids: Vec<&str> = options.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "z"]);
        assert_eq!(store_for(&stores, Some("a"), None), Some(1));
        assert_eq!(store_for(&stores, Some("z"), Some(1)), Some(2));
        assert_eq!(store_for(&stores, Some("b"), None), None);
        assert_eq!(store_for(&stores, Some("b"), Some(2)), Some(2));
        assert_eq!(store_for(&stores, Some("nope"), Some(1)), None);
        assert_eq!(store_for(&stores, None, Some(1)), None);
    }

    #[test]
    fn the_gearbox_is_read_from_the_transmission_specs_in_the_servers_order() {
        let trim = |specs: serde_json::Value| -> Trim {
            serde_json::from_value(serde_json::json!({
                "id": "t", "series_id": "s", "series_name": "S", "name_zh": "T",
                "listings": [], "specs": specs,
            }))
            .unwrap()
        };
        for (specs, gearbox_is) in [
            (
                serde_json::json!({"transmission_type": "6挡手动"}),
                Some(Gearbox::Manual),
            ),
            (
                serde_json::json!({"transmission_type": "固定齿比变速箱", "transmission_summary": "5MT"}),
                Some(Gearbox::Automatic),
            ),
            (
                serde_json::json!({"transmission_type": "未知", "transmission_description": "手动变速箱(MT)"}),
                Some(Gearbox::Manual),
            ),
            (serde_json::json!({"transmission_type": 6}), None),
            (serde_json::json!({}), None),
        ] {
            assert_eq!(gearbox(&trim(specs.clone())), gearbox_is, "{specs}");
        }
    }
}
