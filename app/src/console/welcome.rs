//! `/console/welcome/{token}`: a one-time sign-in link, opened signed in or not. While the
//! link is open it greets the person by name and lets them set their own password (checked
//! here with the server's rule), then signs them in and opens 今日 in place of the link; a
//! used or expired link (served with HTTP 410) says what happened and whom to ask.

use leptos::prelude::*;
use shared::console::PASSWORD_MIN_CHARS;
use shared::staff::{Invitation, SetPassword};

use super::{api, use_session, TODAY};
use crate::components::status::Loading;
use crate::nav::{use_nav, Entry};

/// The token of a welcome path (`/console/welcome/{token}`), if it is one.
pub fn token_of(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/console/welcome/")?;
    let token = rest.trim_end_matches('/');
    (!token.is_empty() && !token.contains('/')).then(|| token.to_string())
}

#[component]
pub fn Welcome(token: String) -> impl IntoView {
    super::set_title("设置密码");
    let invitation = LocalResource::new({
        let token = token.clone();
        move || {
            let token = token.clone();
            async move { api::invitation(&token).await }
        }
    });
    view! {
        <main class="c-page c-sign-in">
            <h1>"销售工作台"</h1>
            {move || match invitation.get() {
                None => view! { <Loading count=1 /> }.into_any(),
                Some(Ok(invitation)) => {
                    view! { <SetPasswordForm token=token.clone() invitation /> }.into_any()
                }
                Some(Err(e)) => view! { <LinkClosed error=e /> }.into_any(),
            }}
        </main>
    }
}

/// The page of a link that no longer opens (410), or never did (404), or could not be read.
#[component]
fn LinkClosed(error: api::Error) -> impl IntoView {
    let (title, text) = match &error {
        api::Error::Api(e) if e.code == "link_gone" => (
            "链接已失效",
            "这个一次性登录链接已经用过或已超过24小时。为了账号安全，每个链接只能使用一次。请联系本店管理员，在“员工”页为您重新发送登录链接。",
        ),
        api::Error::Api(e) if e.code == "not_found" => (
            "链接无效",
            "没有找到这个登录链接，请核对链接是否完整，或请本店管理员重新发送。",
        ),
        _ => ("暂时无法打开", "网络不太好，请检查网络后刷新重试。"),
    };
    view! {
        <section class="c-card c-closed" data-test="link-closed" role="alert">
            <h2>{title}</h2>
            <p>{text}</p>
            <p class="c-sub">"已设置过密码？可直接登录。"</p>
            <a class="btn btn-line btn-block" href=TODAY data-test="to-sign-in">"去登录"</a>
        </section>
    }
}

#[component]
fn SetPasswordForm(token: String, invitation: Invitation) -> impl IntoView {
    let session = use_session();
    let nav = use_nav();
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = Action::new_unsync(move |form: &SetPassword| {
        let (token, form) = (token.clone(), form.clone());
        async move { api::redeem(&token, &form).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(me)) => {
            session.sign_in(me);
            // The used link is replaced in the history: back never opens it again.
            nav.open(TODAY, Entry::Replace);
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = SetPassword {
            password: password.get_untracked(),
        };
        if let Err(e) = form.validate() {
            error.set(Some(e.message));
            return;
        }
        if form.password != again.get_untracked() {
            error.set(Some("两次输入的密码不一致".into()));
            return;
        }
        if !submit.pending().get_untracked() {
            error.set(None);
            submit.dispatch(form);
        }
    };
    view! {
        <section class="c-card c-welcome" data-test="welcome">
            <h2>{format!("{}，欢迎加入", invitation.name)}</h2>
            <p class="c-sub">{invitation.dealer_name}</p>
            <p>"请为您的账号设置密码。此链接只能使用一次，设置后即自动登录。"</p>
            <dl class="c-facts">
                <dt>"登录账号"</dt>
                <dd data-test="welcome-login">{invitation.login}</dd>
            </dl>
        </section>
        <form class="c-card c-form" on:submit=on_submit novalidate>
            <div class="c-field">
                <label for="c-set-password">"新密码"</label>
                <input
                    id="c-set-password"
                    type="password"
                    autocomplete="new-password"
                    minlength=PASSWORD_MIN_CHARS.to_string()
                    aria-describedby="c-set-hint"
                    data-test="set-password"
                    prop:value=password
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
                <p class="c-sub" id="c-set-hint">{format!("至少{PASSWORD_MIN_CHARS}个字符")}</p>
            </div>
            <div class="c-field">
                <label for="c-set-again">"再输入一次"</label>
                <input
                    id="c-set-again"
                    type="password"
                    autocomplete="new-password"
                    data-test="set-password-again"
                    prop:value=again
                    on:input=move |ev| again.set(event_target_value(&ev))
                />
            </div>
            <p class="c-error" role="alert" data-test="set-password-error">{move || error.get()}</p>
            <button
                type="submit"
                class="btn btn-primary btn-block"
                data-test="save-password"
                disabled=move || submit.pending().get()
            >
                {move || if submit.pending().get() { "保存中…" } else { "设置密码并登录" }}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::token_of;

    #[test]
    fn only_a_welcome_path_carries_a_token() {
        assert_eq!(token_of("/console/welcome/abc_-1"), Some("abc_-1".into()));
        assert_eq!(token_of("/console/welcome/abc/"), Some("abc".into()));
        for other in [
            "/console/welcome/",
            "/console/welcome/a/b",
            "/console/",
            "/demo/",
        ] {
            assert_eq!(token_of(other), None, "{other}");
        }
    }
}
