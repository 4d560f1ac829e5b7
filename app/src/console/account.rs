//! `/console/account`: who I am (name, role, dealer), my card (`profile.rs`), changing my
//! password (which ends every session, so the sign-in page follows) and signing out;
//! managers and admins reach 员工 and 车型; admins also reach 设置 (the dealer's profile and
//! quoting terms, the attribution window among them), 离职继承 and the official account's
//! settings, and set the points rules.

use leptos::prelude::*;
use shared::console::{PasswordChange, PASSWORD_MIN_CHARS};

use crate::nav::{use_nav, Entry};

use super::{
    api, use_session, ACTIVITIES, CATALOG, HAND_OVER, OFFERS, PRICES, SETTINGS, STAFF, TODAY,
    WECHAT,
};

#[component]
pub fn Account() -> impl IntoView {
    super::set_title("我的");
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let change = Action::new_unsync(move |change: &PasswordChange| {
        let change = change.clone();
        async move { session.check(api::change_password(&change).await) }
    });
    // Whoever signs in next starts from 今日, not from this page.
    let nav = use_nav();
    let leave = move |notice: Option<&str>| {
        nav.open(TODAY, Entry::New);
        session.sign_out(notice.map(Into::into));
    };
    let leave_changed = leave;
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => leave_changed(Some("密码已修改，请重新登录")),
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    let on_change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = PasswordChange {
            current: current.get_untracked(),
            new: new.get_untracked(),
        };
        if form.current.is_empty() {
            error.set(Some("请输入当前密码".into()));
            return;
        }
        if let Err(e) = form.validate() {
            error.set(Some(e.message));
            return;
        }
        if !change.pending().get_untracked() {
            error.set(None);
            change.dispatch(form);
        }
    };
    let sign_out = Action::new_unsync(|_: &()| api::sign_out());
    Effect::new(move |_| {
        // Signed out either way: a session the server already forgot is just as gone.
        if sign_out.value().get().is_some() {
            leave(None);
        }
    });

    let who = move || {
        session.me().map(|me| {
            view! {
                <dl class="c-card c-facts">
                    <dt>"姓名"</dt>
                    <dd data-test="account-name">{me.staff.name}</dd>
                    <dt>"角色"</dt>
                    <dd data-test="account-role">{me.staff.role.label()}</dd>
                    <dt>"经销商"</dt>
                    <dd data-test="account-dealer">{me.dealer_name}</dd>
                </dl>
            }
        })
    };
    view! {
        <main class="c-page">
            <h1 class="c-title">"我的"</h1>
            {who}
            <super::profile::ProfileForm />
            <a class="c-card c-entry" href=ACTIVITIES data-test="activities-entry">
                <strong>"活动"</strong>
                <span class="c-sub">"试驾会、车主讲堂、新车上市：名额、报名名单、分享"</span>
            </a>
            <Show when=move || session.manages()>
                <a class="c-card c-entry" href=STAFF data-test="staff-entry">
                    <strong>"员工"</strong>
                    <span class="c-sub">"添加员工、角色与门店、重置密码、停用"</span>
                </a>
                <a class="c-card c-entry" href=CATALOG data-test="catalog-entry">
                    <strong>"车型"</strong>
                    <span class="c-sub">"从平台车型库选择在售车系和主推车系"</span>
                </a>
                <a class="c-card c-entry" href=PRICES data-test="prices-entry">
                    <strong>"价格"</strong>
                    <span class="c-sub">"本店价与有效期、改价记录"</span>
                </a>
                <a class="c-card c-entry" href=OFFERS data-test="offers-entry">
                    <strong>"优惠"</strong>
                    <span class="c-sub">"购车优惠与用车权益，到期自动下线"</span>
                </a>
            </Show>
            <Show when=move || session.is_admin()>
                <a class="c-card c-entry" href=SETTINGS data-test="settings-entry">
                    <strong>"设置"</strong>
                    <span class="c-sub">"门店资料、标志、车船税与贷款等报价设置"</span>
                </a>
                <a class="c-card c-entry" href=WECHAT data-test="wechat-entry">
                    <strong>"微信公众号"</strong>
                    <span class="c-sub">"分享卡片设置、菜单链接"</span>
                </a>
                <a class="c-card c-entry" href=HAND_OVER data-test="hand-over-entry">
                    <strong>"离职继承"</strong>
                    <span class="c-sub">"把离职员工的客户、预约和链接交给同事"</span>
                </a>
                <super::loyalty::LoyaltyForm />
            </Show>
            <section class="c-section">
                <h2>"修改密码"</h2>
                <form class="c-card c-form" on:submit=on_change novalidate>
                    <div class="c-field">
                        <label for="c-current">"当前密码"</label>
                        <input
                            id="c-current"
                            type="password"
                            autocomplete="current-password"
                            data-test="current-password"
                            prop:value=current
                            on:input=move |ev| current.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="c-field">
                        <label for="c-new">"新密码"</label>
                        <input
                            id="c-new"
                            type="password"
                            autocomplete="new-password"
                            minlength=PASSWORD_MIN_CHARS.to_string()
                            aria-describedby="c-new-hint"
                            data-test="new-password"
                            prop:value=new
                            on:input=move |ev| new.set(event_target_value(&ev))
                        />
                        <p class="c-sub" id="c-new-hint">
                            {format!("至少{PASSWORD_MIN_CHARS}个字符；修改后所有设备需重新登录")}
                        </p>
                    </div>
                    <p class="c-error" role="alert" data-test="password-error">{move || error.get()}</p>
                    <button
                        type="submit"
                        class="btn btn-primary btn-block"
                        data-test="change-password"
                        disabled=move || change.pending().get()
                    >
                        "修改密码"
                    </button>
                </form>
            </section>
            <section class="c-section">
                <button
                    type="button"
                    class="btn btn-line btn-block c-danger"
                    data-test="sign-out"
                    disabled=move || sign_out.pending().get()
                    on:click=move |_| {
                        sign_out.dispatch(());
                    }
                >
                    "退出登录"
                </button>
            </section>
        </main>
    }
}
