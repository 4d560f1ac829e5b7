//! The sign-in page, shown at whatever console route was opened while there is no session:
//! its heading and lede (`FirstPaint::console_sign_in`, which the server's shell paints first
//! in the same markup), account and password; the server's message (wrong password, locked
//! for a while) below.

use leptos::prelude::*;
use shared::console::SignIn as Credentials;
use shared::page::FirstPaint;

use super::{api, use_session};

#[component]
pub fn SignIn(notice: Option<String>) -> impl IntoView {
    super::set_title("登录");
    let words = FirstPaint::console_sign_in();
    let session = use_session();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = Action::new_unsync(move |form: &Credentials| {
        let form = form.clone();
        async move { api::sign_in(&form).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(me)) => session.sign_in(me),
        Some(Err(e)) => {
            password.set(String::new());
            error.set(Some(e.message()));
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = Credentials {
            login: login.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        if form.login.is_empty() || form.password.is_empty() {
            error.set(Some("请输入账号和密码".into()));
            return;
        }
        if !submit.pending().get_untracked() {
            error.set(None);
            submit.dispatch(form);
        }
    };
    view! {
        <main class="c-page c-sign-in">
            <h1>{words.heading}</h1>
            <p class="lede">{words.lede}</p>
            {notice.map(|n| view! { <p class="notice" role="status" data-test="sign-in-notice">{n}</p> })}
            <form class="c-card c-form" on:submit=on_submit novalidate>
                <div class="c-field">
                    <label for="c-login">"账号"</label>
                    <input
                        id="c-login"
                        type="text"
                        name="username"
                        autocomplete="username"
                        autocapitalize="off"
                        spellcheck="false"
                        data-test="login"
                        prop:value=login
                        on:input=move |ev| login.set(event_target_value(&ev))
                    />
                </div>
                <div class="c-field">
                    <label for="c-password">"密码"</label>
                    <input
                        id="c-password"
                        type="password"
                        name="password"
                        autocomplete="current-password"
                        data-test="password"
                        prop:value=password
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                <button
                    type="submit"
                    class="btn btn-primary btn-block"
                    data-test="sign-in"
                    disabled=move || submit.pending().get()
                >
                    {move || if submit.pending().get() { "登录中…" } else { "登录" }}
                </button>
                <p class="c-error" role="alert" data-test="sign-in-error">
                    {move || error.get()}
                </p>
            </form>
        </main>
    }
}
