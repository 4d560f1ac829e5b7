//! WeChat: the JS-SDK `wx.config` signature (SHA-1 of ticket, nonce, timestamp and URL), the
//! wire types of the signing endpoint and of a dealer's WeChat settings, the rules those
//! settings pass (AppID, AppSecret, JS-SDK domain, the `MP_verify_*.txt` file), and the
//! official-account menu links with their channel tags.

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::error::ApiError;
use crate::link::Channel;
use crate::page::Page;

/// The JS-SDK script WeChat serves (a server setting, so tests can serve a recording fake).
pub const JS_SDK_URL: &str = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js";

/// `wx.config`'s signature: SHA-1 hex of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`, keys in
/// that (ASCII) order, values raw (not URL-encoded), the URL without its `#` fragment.
pub fn js_sdk_signature(ticket: &str, nonce: &str, timestamp: i64, url: &str) -> String {
    let plain = format!(
        "jsapi_ticket={ticket}&noncestr={nonce}&timestamp={timestamp}&url={}",
        without_fragment(url)
    );
    Sha1::digest(plain.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The URL WeChat checks a signature against: everything before the first `#`.
pub fn without_fragment(url: &str) -> &str {
    url.split_once('#').map_or(url, |(before, _)| before)
}

/// A nonce is 16 letters and digits.
pub const NONCE_LEN: usize = 16;
const NONCE_ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A nonce from random bytes (each reduced to the alphabet without bias); `None` when the bytes
/// run out first.
pub fn nonce_from(random: impl IntoIterator<Item = u8>) -> Option<String> {
    // 248 = 62 × 4: bytes from it up are skipped, so every letter is equally likely.
    let nonce: String = random
        .into_iter()
        .filter(|b| *b < 248)
        .map(|b| NONCE_ALPHABET[usize::from(b) % NONCE_ALPHABET.len()] as char)
        .take(NONCE_LEN)
        .collect();
    (nonce.len() == NONCE_LEN).then_some(nonce)
}

/// Whether `text` has a nonce's shape.
pub fn is_nonce(text: &str) -> bool {
    text.len() == NONCE_LEN && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// What `wx.config` needs for one page URL, and the card the page shares
/// (`GET /api/v1/dealers/{dealer}/wechat/js-config?url=…&page=…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JsConfig {
    /// The official account's AppID.
    pub app_id: String,
    /// Unix seconds.
    pub timestamp: i64,
    pub nonce_str: String,
    pub signature: String,
    /// The URL signed (without its fragment).
    pub url: String,
    /// The JS-SDK script to load (`jweixin-1.6.0.js` unless the server is told otherwise).
    pub script: String,
    /// The page's share card.
    pub share: ShareCard,
}

/// A page's share card: what the chat or moments post shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareCard {
    pub title: String,
    pub description: String,
    /// An absolute image URL.
    pub image: String,
}

/// A dealer's WeChat settings as the console sees them: the AppSecret never leaves the server,
/// only whether one is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeChatSettings {
    /// Empty until an admin sets it.
    pub app_id: String,
    pub secret_set: bool,
    /// The JS-SDK security domain (JS接口安全域名), a bare host name.
    pub domain: String,
    /// The `MP_verify_*.txt` file served at the root, by name.
    pub verify_file: Option<String>,
    /// The subscription-message template (订阅通知模板 ID) reminders go out with; empty: none.
    #[serde(default)]
    pub reminder_template: String,
}

/// `PUT /api/v1/console/wechat` (admins): the settings to keep. An empty secret keeps the
/// stored one; no verification file keeps the stored one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveWeChat {
    #[cfg_attr(feature = "openapi", schema(min_length = 18, max_length = 18))]
    pub app_id: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub app_secret: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 253))]
    pub domain: String,
    #[serde(default)]
    pub verify_file: Option<VerifyFile>,
    /// Empty: reminders stay on the owner page and in the advisor's tasks.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub reminder_template: String,
}

/// The domain-verification file WeChat's admin console hands out (`MP_verify_<random>.txt`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyFile {
    /// `MP_verify_` and at most 64 letters or digits, then `.txt`.
    #[cfg_attr(feature = "openapi", schema(min_length = 15, max_length = 78))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub content: String,
}

/// The WeChat settings' lengths, in characters: an AppID, an AppSecret, the longest domain,
/// template ID, verification file's random part and its content.
pub const APP_ID_LEN: usize = 18;
pub const SECRET_LEN: usize = 32;
pub const DOMAIN_MAX: usize = 253;
pub const TEMPLATE_MAX: usize = 64;
pub const VERIFY_RANDOM_MAX: usize = 64;
pub const VERIFY_CONTENT_MAX: usize = 128;

impl SaveWeChat {
    /// The settings as stored: each field trimmed, the domain lower-cased, checked with
    /// Chinese messages. `secret_stored`: whether the dealer already has a secret to keep.
    pub fn validate(&self, secret_stored: bool) -> Result<SaveWeChat, ApiError> {
        let app_id = check_app_id(&self.app_id)?;
        let secret = self.app_secret.trim();
        if secret.is_empty() {
            if !secret_stored {
                return Err(ApiError::invalid("app_secret", "请填写 AppSecret"));
            }
        } else {
            check_secret(secret)?;
        }
        let domain = check_domain(&self.domain)?;
        let verify_file = self
            .verify_file
            .as_ref()
            .map(check_verify_file)
            .transpose()?;
        let reminder_template = check_template(&self.reminder_template)?;
        Ok(SaveWeChat {
            app_id,
            app_secret: secret.to_string(),
            domain,
            verify_file,
            reminder_template,
        })
    }
}

/// A subscription-message template ID: empty, or up to 64 letters, digits, `_` and `-` (as
/// the official account's 订阅通知 page shows it).
pub fn check_template(text: &str) -> Result<String, ApiError> {
    let id = text.trim();
    let ok = id.len() <= TEMPLATE_MAX
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(id.to_string())
    } else {
        Err(ApiError::invalid(
            "reminder_template",
            "模板 ID 只能包含字母、数字、下划线和连字符（最多64位）",
        ))
    }
}

/// An AppID: `wx` and 16 letters or digits (WeChat's are lower-case hex).
pub fn check_app_id(text: &str) -> Result<String, ApiError> {
    let id = text.trim();
    let ok = id.len() == APP_ID_LEN
        && id.starts_with("wx")
        && id[2..].bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(id.to_string())
    } else {
        Err(ApiError::invalid(
            "app_id",
            "AppID 应为 wx 开头的18位字母数字，请在公众号后台“设置与开发 → 基本配置”复制",
        ))
    }
}

/// An AppSecret: 32 letters or digits.
pub fn check_secret(text: &str) -> Result<(), ApiError> {
    let secret = text.trim();
    if secret.len() == SECRET_LEN && secret.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "app_secret",
            "AppSecret 应为32位字母数字，请在公众号后台“基本配置”重置并复制",
        ))
    }
}

/// The JS-SDK domain: a bare host name (`www.example.com`), no scheme, port or path, as the
/// official account lists it under JS接口安全域名.
pub fn check_domain(text: &str) -> Result<String, ApiError> {
    let domain = text.trim().to_ascii_lowercase();
    let refuse = |message: &str| Err(ApiError::invalid("domain", message));
    if domain.is_empty() {
        return refuse("请填写 JS 接口安全域名");
    }
    if domain.contains("://") || domain.contains(['/', ':', '?', '#', '@']) {
        return refuse("只填域名（如 www.example.com），不要带 http://、端口或路径");
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if domain.len() > DOMAIN_MAX || !domain.split('.').all(label_ok) {
        return refuse("域名格式不正确，只能包含字母、数字、连字符和点");
    }
    Ok(domain)
}

/// The verification file: named `MP_verify_<letters and digits>.txt`, holding a short line of
/// letters and digits (its content is kept trimmed).
pub fn check_verify_file(file: &VerifyFile) -> Result<VerifyFile, ApiError> {
    let name = file.name.trim();
    let random = name
        .strip_prefix("MP_verify_")
        .and_then(|rest| rest.strip_suffix(".txt"))
        .unwrap_or_default();
    if random.is_empty()
        || random.len() > VERIFY_RANDOM_MAX
        || !random.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(ApiError::invalid(
            "verify_file",
            "请上传公众号后台给出的 MP_verify_开头的 .txt 校验文件",
        ));
    }
    let content = file.content.trim();
    if content.is_empty()
        || content.len() > VERIFY_CONTENT_MAX
        || !content.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(ApiError::invalid(
            "verify_file",
            "校验文件内容不正确，请上传公众号后台下载的原文件",
        ));
    }
    Ok(VerifyFile {
        name: name.to_string(),
        content: content.to_string(),
    })
}

/// Whether a request path names a verification file (`/MP_verify_<random>.txt`).
pub fn verify_file_name(path: &str) -> Option<&str> {
    let name = path.strip_prefix('/')?;
    let file = VerifyFile {
        name: name.to_string(),
        content: "x".into(),
    };
    check_verify_file(&file).ok().map(|_| name)
}

/// The pages an official-account menu links to, with their names.
pub const MENU_PAGES: [(Page, &str); 5] = [
    (Page::Home, "首页"),
    (Page::Models, "车型库"),
    (Page::Select, "智能选车"),
    (Page::Calculator, "购车计算器"),
    (Page::TestDrive, "预约试驾"),
];

/// One page's links to paste: into the menu (`?ch=menu`) and into an article (`?ch=article`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MenuLink {
    pub label: &'static str,
    pub menu: String,
    pub article: String,
}

/// The menu links of a dealer's main pages on `origin` (`https://www.example.com`).
pub fn menu_links(origin: &str, dealer: &str) -> Vec<MenuLink> {
    let origin = origin.trim_end_matches('/');
    let url = |page: &Page, channel: Channel| {
        format!("{origin}{}?ch={}", page.href(dealer), channel.as_str())
    };
    MENU_PAGES
        .iter()
        .map(|(page, label)| MenuLink {
            label,
            menu: url(page, Channel::Menu),
            article: url(page, Channel::Article),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_wechats_worked_example() {
        // WeChat JS-SDK documentation, 附录1 (JS-SDK使用权限签名算法).
        let signature = js_sdk_signature(
            "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
            "Wm3WZYTPz0wzccnW",
            1414587457,
            "http://mp.weixin.qq.com?params=value",
        );
        assert_eq!(signature, "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
    }

    #[test]
    fn the_fragment_is_not_signed() {
        let ticket = "t";
        let plain = js_sdk_signature(ticket, "n", 1, "https://a.cn/demo/models?x=1");
        for url in [
            "https://a.cn/demo/models?x=1#top",
            "https://a.cn/demo/models?x=1#",
            "https://a.cn/demo/models?x=1#a#b",
        ] {
            assert_eq!(js_sdk_signature(ticket, "n", 1, url), plain, "{url}");
        }
        assert_ne!(
            js_sdk_signature(ticket, "n", 1, "https://a.cn/demo/models"),
            plain
        );
        assert_eq!(without_fragment("https://a.cn/x#y"), "https://a.cn/x");
        assert_eq!(without_fragment("https://a.cn/x"), "https://a.cn/x");
    }

    #[test]
    fn nonces_have_their_shape() {
        let nonce = nonce_from((0u8..=255).cycle().skip(7)).unwrap();
        assert!(is_nonce(&nonce), "{nonce}");
        assert_eq!(nonce.len(), NONCE_LEN);
        assert_eq!(nonce_from([1u8, 2, 3]), None);
        // Bytes past the unbiased range are skipped, never folded in.
        assert_eq!(nonce_from([255u8; 64]), None);
        assert_eq!(nonce_from([0u8; 16]).unwrap(), "0".repeat(16));
        for bad in ["", "abc", "Wm3WZYTPz0wzccn!", "Wm3WZYTPz0wzccnWx"] {
            assert!(!is_nonce(bad), "{bad}");
        }
        assert!(is_nonce("Wm3WZYTPz0wzccnW"));
    }

    #[test]
    fn settings_are_checked_with_chinese_messages() {
        let good = SaveWeChat {
            app_id: " wx1234567890abcdef ".into(),
            app_secret: "0123456789abcdef0123456789ABCDEF".into(),
            domain: " Che.Example.COM ".into(),
            verify_file: Some(VerifyFile {
                name: "MP_verify_Ab12Cd34.txt".into(),
                content: "Ab12Cd34\n".into(),
            }),
            reminder_template: " Xm3-kJ_9aQ ".into(),
        };
        let saved = good.validate(false).unwrap();
        assert_eq!(saved.reminder_template, "Xm3-kJ_9aQ");
        assert_eq!(saved.app_id, "wx1234567890abcdef");
        assert_eq!(saved.domain, "che.example.com");
        assert_eq!(saved.verify_file.unwrap().content, "Ab12Cd34");
        // An empty secret keeps the stored one, and is refused when there is none.
        let keep = SaveWeChat {
            app_secret: "  ".into(),
            ..good.clone()
        };
        assert_eq!(keep.validate(true).unwrap().app_secret, "");
        assert_eq!(
            keep.validate(false).unwrap_err().field.as_deref(),
            Some("app_secret")
        );

        let cases: [(&str, SaveWeChat); 14] = [
            (
                "reminder_template",
                SaveWeChat {
                    reminder_template: "模板".into(),
                    ..good.clone()
                },
            ),
            (
                "reminder_template",
                SaveWeChat {
                    reminder_template: "a".repeat(65),
                    ..good.clone()
                },
            ),
            (
                "app_id",
                SaveWeChat {
                    app_id: "wx123".into(),
                    ..good.clone()
                },
            ),
            (
                "app_id",
                SaveWeChat {
                    app_id: "ab1234567890abcdef".into(),
                    ..good.clone()
                },
            ),
            (
                "app_id",
                SaveWeChat {
                    app_id: "wx1234567890abcde!".into(),
                    ..good.clone()
                },
            ),
            (
                "app_secret",
                SaveWeChat {
                    app_secret: "short".into(),
                    ..good.clone()
                },
            ),
            (
                "app_secret",
                SaveWeChat {
                    app_secret: "0123456789abcdef0123456789abcde-".into(),
                    ..good.clone()
                },
            ),
            (
                "domain",
                SaveWeChat {
                    domain: "https://che.example.com".into(),
                    ..good.clone()
                },
            ),
            (
                "domain",
                SaveWeChat {
                    domain: "che.example.com/demo".into(),
                    ..good.clone()
                },
            ),
            (
                "domain",
                SaveWeChat {
                    domain: "che.example.com:8080".into(),
                    ..good.clone()
                },
            ),
            (
                "domain",
                SaveWeChat {
                    domain: "che..com".into(),
                    ..good.clone()
                },
            ),
            (
                "domain",
                SaveWeChat {
                    domain: "".into(),
                    ..good.clone()
                },
            ),
            (
                "verify_file",
                SaveWeChat {
                    verify_file: Some(VerifyFile {
                        name: "verify.txt".into(),
                        content: "x".into(),
                    }),
                    ..good.clone()
                },
            ),
            (
                "verify_file",
                SaveWeChat {
                    verify_file: Some(VerifyFile {
                        name: "MP_verify_ab.txt".into(),
                        content: "<script>".into(),
                    }),
                    ..good.clone()
                },
            ),
        ];
        for (field, bad) in cases {
            let e = bad.validate(true).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{bad:?}");
            assert!(e
                .message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        }
    }

    #[test]
    fn verification_files_are_told_by_their_path() {
        assert_eq!(
            verify_file_name("/MP_verify_Ab12Cd34.txt"),
            Some("MP_verify_Ab12Cd34.txt")
        );
        for none in [
            "/MP_verify_.txt",
            "/MP_verify_a/b.txt",
            "/demo/MP_verify_a.txt",
            "/robots.txt",
        ] {
            assert_eq!(verify_file_name(none), None, "{none}");
        }
    }

    #[test]
    fn menu_links_carry_their_channel() {
        let links = menu_links("https://che.example.com/", "demo");
        assert_eq!(links.len(), 5);
        assert_eq!(links[0].label, "首页");
        assert_eq!(links[0].menu, "https://che.example.com/demo/?ch=menu");
        assert_eq!(links[0].article, "https://che.example.com/demo/?ch=article");
        assert_eq!(
            links[4].menu,
            "https://che.example.com/demo/test-drive?ch=menu"
        );
        for link in &links {
            let path = link.menu.trim_start_matches("https://che.example.com");
            let (path, query) = path.split_once('?').unwrap();
            assert!(Page::parse(path).is_some(), "{path}");
            assert_eq!(
                Channel::parse(query.trim_start_matches("ch=")),
                Some(Channel::Menu)
            );
        }
    }
}
