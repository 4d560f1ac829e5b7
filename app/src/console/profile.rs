//! 我的名片 under 我的: a staff member edits the card customers see on their showcase
//! (name, title, work phone, WeChat id, the showcase's URL name). Each field is checked
//! with `shared::profile`'s rules as it is typed and its Chinese message shown under it; a
//! field the server refuses (a handle a colleague has) is shown under that field too.

use leptos::prelude::*;
use shared::page::Page;
use shared::profile::{self, Profile};

use super::{api, use_session};

/// One field of the form: its value and the message under it.
#[derive(Clone, Copy)]
struct Field {
    value: RwSignal<String>,
    error: RwSignal<Option<String>>,
}

impl Field {
    fn new() -> Self {
        Self {
            value: RwSignal::new(String::new()),
            error: RwSignal::new(None),
        }
    }
}

/// The rule each field is checked with as it is typed; the handle's tie to the sign-in name
/// is the server's to check (the console does not hold the login).
fn check(name: &str, value: &str) -> Option<String> {
    let result = match name {
        "name" => shared::contact::validate_name(value).map(drop),
        "title" => profile::validate_title(value).map(drop),
        "phone" => profile::validate_work_phone(value).map(drop),
        "wechat" => profile::validate_wechat(value).map(drop),
        _ => profile::validate_handle(value, "").map(drop),
    };
    result.err().map(|e| e.message)
}

#[component]
pub fn ProfileForm() -> impl IntoView {
    let session = use_session();
    let dealer = session.me().map(|me| me.dealer_slug).unwrap_or_default();
    let fields = [
        ("name", "姓名", Field::new(), "text", "name"),
        ("title", "职位", Field::new(), "text", "organization-title"),
        ("phone", "工作电话", Field::new(), "tel", "tel"),
        ("wechat", "微信号（选填）", Field::new(), "text", "off"),
        ("handle", "名片网址", Field::new(), "text", "off"),
    ];
    let get = move |name: &str| {
        fields
            .iter()
            .find(|f| f.0 == name)
            .map(|f| f.2)
            .unwrap_or_else(Field::new)
    };
    let saved_handle = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let fill = move |p: Profile| {
        get("name").value.set(p.name);
        get("title").value.set(p.title);
        get("phone").value.set(p.phone);
        get("wechat").value.set(p.wechat.unwrap_or_default());
        get("handle").value.set(p.handle.clone());
        saved_handle.set((!p.handle.is_empty()).then_some(p.handle));
    };
    let loaded = LocalResource::new(move || async move { session.check(api::profile().await) });
    Effect::new(move |_| {
        if let Some(Ok(p)) = loaded.get() {
            fill(p);
        }
    });
    let save = Action::new_unsync(move |p: &Profile| {
        let p = p.clone();
        async move { session.check(api::save_profile(&p).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(p)) => {
            fill(p);
            status.set(Some("已保存".into()));
        }
        Some(Err(e)) => match e.field() {
            Some(name) => get(name).error.set(Some(e.message())),
            None => status.set(Some(e.message())),
        },
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.set(None);
        let mut ok = true;
        for (name, _, field, _, _) in fields {
            let error = check(name, &field.value.get_untracked());
            ok &= error.is_none();
            field.error.set(error);
        }
        if !ok || save.pending().get_untracked() {
            return;
        }
        let wechat = get("wechat").value.get_untracked();
        save.dispatch(Profile {
            name: get("name").value.get_untracked(),
            title: get("title").value.get_untracked(),
            phone: get("phone").value.get_untracked(),
            wechat: (!wechat.trim().is_empty()).then_some(wechat),
            handle: get("handle").value.get_untracked(),
        });
    };
    let inputs = fields
        .into_iter()
        .map(|(name, label, field, kind, autocomplete)| {
            let id = format!("c-profile-{name}");
            let error_id = format!("{id}-error");
            let hint = (name == "handle").then(|| {
                view! {
                    <p class="c-sub">
                        {format!("顾客看到的名片地址：/{dealer}/c/…，2-20位小写字母、数字或减号")}
                    </p>
                }
            });
            view! {
                <div class="c-field">
                    <label for=id.clone()>{label}</label>
                    <input
                        id=id
                        type=kind
                        autocomplete=autocomplete
                        data-test=format!("profile-{name}")
                        aria-invalid=move || field.error.with(Option::is_some).to_string()
                        aria-describedby=error_id.clone()
                        prop:value=field.value
                        on:input=move |ev| {
                            field.value.set(event_target_value(&ev));
                            status.set(None);
                            if field.error.with_untracked(Option::is_some) {
                                field.error.set(check(name, &field.value.get_untracked()));
                            }
                        }
                        on:blur=move |_| field.error.set(check(name, &field.value.get_untracked()))
                    />
                    {hint}
                    <p class="c-error" id=error_id role="alert" data-test=format!("profile-{name}-error")>
                        {move || field.error.get()}
                    </p>
                </div>
            }
        })
        .collect_view();
    let showcase = move || {
        saved_handle.get().map(|handle| {
            let href = Page::Consultant(handle)
                .href(&session.me().map(|m| m.dealer_slug).unwrap_or_default());
            let shown = href.clone();
            view! {
                <p class="c-sub" data-test="profile-showcase">
                    "我的名片：" <a href=href target="_blank">{shown}</a>
                </p>
            }
        })
    };
    view! {
        <section class="c-section">
            <h2>"我的名片"</h2>
            <form class="c-card c-form" on:submit=on_submit novalidate data-test="profile-form">
                {inputs}
                {showcase}
                <p class="c-sub" role="status" data-test="profile-status">{move || status.get()}</p>
                <button
                    type="submit"
                    class="btn btn-primary btn-block"
                    data-test="save-profile"
                    disabled=move || save.pending().get()
                >
                    "保存名片"
                </button>
            </form>
        </section>
    }
}
