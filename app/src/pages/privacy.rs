//! `/{dealer}/privacy`: the privacy notice (个人信息保护说明) a person agrees to before a test
//! drive or a price enquiry stores their number, at the dealer's version (`shared::contact::
//! privacy_version`: a new one each time the dealer changes the notice's contact).
//! Plain and short: what is collected, why, who sees it, how long, how to see and delete it.

use leptos::prelude::*;
use shared::page::{FirstPaint, Page};

use crate::use_dealer;

#[component]
pub fn Privacy() -> impl IntoView {
    // The words the server painted before the app ran, in the same place.
    let FirstPaint { heading, lede } = Page::Privacy.first_paint().unwrap_or_default();
    crate::set_title(&heading);
    let dealer = use_dealer();
    let name = move || {
        dealer
            .home
            .get()
            .and_then(Result::ok)
            .map(|h| h.dealer.name)
            .unwrap_or_else(|| "本店".into())
    };
    let contact = move || {
        dealer.home.get().and_then(Result::ok).map(|h| {
            if h.dealer.privacy_contact.is_empty() {
                format!("，或致电 {}", h.dealer.phone)
            } else {
                format!("，或联系 {}", h.dealer.privacy_contact)
            }
        })
    };
    let version = move || dealer.notice_version();
    view! {
        <main class="page privacy">
            <h1>{heading}</h1>
            <p class="lede">{lede}</p>
            <p class="muted" data-test="privacy-version">"版本 " {version}</p>
            <div class="card prose">
                <p>{name} "（下称“本店”）依照《个人信息保护法》处理您在本页面留下的信息。"</p>
                <h2>"我们收集什么"</h2>
                <ul>
                    <li>"您的姓名和手机号；"</li>
                    <li>"您选择的车型、门店和试驾时间；"</li>
                    <li>"驾照类型（C1/C2），仅在您选择填写时。"</li>
                </ul>
                <p>"我们不收集身份证号、驾驶证号，也不收集任何证件照片。"</p>
                <h2>"为什么收集"</h2>
                <p>"为您安排试驾并确认到店时间；在您询底价时致电告诉您价格。不用于其他目的。"</p>
                <h2>"谁能看到"</h2>
                <p>
                    "本店为您分配的销售顾问和门店管理人员可以看到您的完整手机号；"
                    "其他工作人员只能看到打码后的号码（如 138****5678）。"
                </p>
                <h2>"保存多久"</h2>
                <p>
                    "在您删除之前保存，用于跟进您的试驾和购车服务。"
                    "删除后，姓名和手机号立即清除，只保留不含个人信息的统计数字。"
                </p>
                <h2>"如何查看和删除"</h2>
                <p>
                    "在" <a href=dealer.link(&Page::Me) data-test="to-me">"「我的信息」"</a>
                    "页面可以随时查看本店保存的您的信息，并一键删除；删除会同时取消您未来的预约。"
                    "本页面用一个仅用于识别您本人的 Cookie 找到您的信息。"
                </p>
                <h2>"您的同意"</h2>
                <p>
                    "提交预约或询价前，您需要勾选同意本说明。我们记录您同意的版本和时间；"
                    "本说明更新后，会请您重新阅读并同意。"
                </p>
                <p class="muted" data-test="privacy-contact">"有疑问请联系本店销售顾问" {contact} "。"</p>
            </div>
        </main>
    }
}
