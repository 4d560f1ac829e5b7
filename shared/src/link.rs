//! Share links: the channels a link is made for, its code, the pages it may point at (its own
//! dealer's, never elsewhere), and who fetched it (a person, or a preview card being built).

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::ApiError;
use crate::page::Page;

/// Where a link is shared; the channel is kept with every click, lead and booking it brings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 朋友圈
    Moments,
    /// 聊天（私聊、群聊）
    Chat,
    /// 海报
    Poster,
    /// 公众号菜单
    Menu,
    /// 公众号文章
    Article,
    /// 直播
    Live,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Moments,
        Channel::Chat,
        Channel::Poster,
        Channel::Menu,
        Channel::Article,
        Channel::Live,
    ];

    /// The name stored and sent (`moments`, `chat`, ...), also the `?ch=` of a page URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Moments => "moments",
            Channel::Chat => "chat",
            Channel::Poster => "poster",
            Channel::Menu => "menu",
            Channel::Article => "article",
            Channel::Live => "live",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Moments => "朋友圈",
            Channel::Chat => "聊天",
            Channel::Poster => "海报",
            Channel::Menu => "公众号菜单",
            Channel::Article => "文章",
            Channel::Live => "直播",
        }
    }
}

/// A link's code: 10 characters of a 56-letter alphabet without look-alikes (0/O, 1/l/I),
/// about 58 bits drawn from the operating system's random source, so codes cannot be guessed
/// or counted through.
pub const CODE_LEN: usize = 10;
pub const CODE_ALPHABET: &[u8; 56] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz";

/// A code made of `CODE_LEN` random bytes (each reduced to the alphabet without bias).
pub fn code_from(random: impl IntoIterator<Item = u8>) -> Option<String> {
    // 224 = 56 × 4: bytes from it up are skipped, so every letter is equally likely.
    let code: String = random
        .into_iter()
        .filter(|b| *b < 224)
        .map(|b| CODE_ALPHABET[usize::from(b) % CODE_ALPHABET.len()] as char)
        .take(CODE_LEN)
        .collect();
    (code.len() == CODE_LEN).then_some(code)
}

/// Whether `text` could be a code at all: anything else is answered without a database read.
pub fn is_code(text: &str) -> bool {
    text.len() == CODE_LEN && text.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

/// The longest target path and campaign a link keeps.
pub const MAX_TARGET: usize = 300;
pub const MAX_CAMPAIGN: usize = 40;

/// A link's target as its dealer's own page: a path (`/demo/models/byd-qin-plus`) with an
/// optional query. An absolute URL, `//host`, a backslash, a fragment, a path that is no page
/// or another dealer's page is refused, so a link can never send anyone elsewhere.
pub fn check_target(dealer: &str, target: &str) -> Result<String, ApiError> {
    let refuse = |message: &str| Err(ApiError::invalid("target", message));
    let target = target.trim();
    if target.is_empty() {
        return refuse("请选择链接打开的页面");
    }
    if target.len() > MAX_TARGET {
        return refuse("页面地址太长");
    }
    let unsafe_char = |c: char| c.is_control() || c.is_whitespace() || c == '\\' || c == '#';
    if !target.starts_with('/') || target.starts_with("//") || target.chars().any(unsafe_char) {
        return refuse("只能链接到本店的页面");
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match Page::parse(path) {
        Some((own, _)) if own == dealer => {}
        Some(_) => return refuse("只能链接到本店的页面"),
        None => return refuse("该页面不存在"),
    }
    let query_char = |c: char| c.is_ascii_alphanumeric() || "-_.,=&%~".contains(c);
    if !query.chars().all(query_char) {
        return refuse("页面地址含有不支持的字符");
    }
    Ok(target.to_string())
}

/// A link a staff member or a visitor asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLink {
    /// The page it opens, a path of the dealer's own (`/demo/models/byd-qin-plus`).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub target: String,
    pub channel: Channel,
    /// 活动名称 (optional, at most 40 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub campaign: Option<String>,
    /// The last day the link works (Beijing time); none: it never expires.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-12-31"))]
    pub expires_on: Option<Date>,
}

impl NewLink {
    /// The link as stored: its target checked, its campaign trimmed (empty is none), its
    /// expiry not in the past.
    pub fn validate(&self, dealer: &str, today: Date) -> Result<NewLink, ApiError> {
        let target = check_target(dealer, &self.target)?;
        let campaign = self
            .campaign
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if let Some(campaign) = campaign {
            if campaign.chars().count() > MAX_CAMPAIGN || campaign.chars().any(char::is_control) {
                return Err(ApiError::invalid("campaign", "活动名称最多40个字"));
            }
        }
        if self.expires_on.is_some_and(|d| d < today) {
            return Err(ApiError::invalid("expires_on", "有效期不能早于今天"));
        }
        Ok(NewLink {
            target,
            channel: self.channel,
            campaign: campaign.map(str::to_string),
            expires_on: self.expires_on,
        })
    }
}

/// A link as its owner sees it, with what it brought so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Link {
    pub code: String,
    /// Where it is shared: `/s/{code}` on the dealer's domain.
    pub path: String,
    pub target: String,
    pub channel: Channel,
    pub campaign: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-12-31"))]
    pub expires_on: Option<Date>,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Opened by a person (staff members' own visits left out).
    pub clicks: i64,
    /// Fetched to build a preview card (chat apps, crawlers): never credited.
    pub previews: i64,
    /// Distinct visitors among the clicks.
    pub visitors: i64,
}

/// The path a link is shared as.
pub fn link_path(code: &str) -> String {
    format!("/s/{code}")
}

/// Who fetched a link, from the request's method and user agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agent {
    /// A chat app, a search engine or a script building a preview card: counted as a
    /// preview, never as a click.
    Preview,
    /// WeChat's in-app browser (`MicroMessenger`).
    WeChat,
    /// WeCom's (企业微信, `wxwork`).
    WeCom,
    /// Another phone browser.
    Mobile,
    /// Anything else.
    Desktop,
}

/// User-agent words of link-preview fetchers and crawlers (matched case-insensitively).
const PREVIEW_AGENTS: [&str; 22] = [
    "bot",
    "spider",
    "crawl",
    "slurp",
    "preview",
    "facebookexternalhit",
    "meta-externalagent",
    "whatsapp",
    "telegram",
    "skypeuripreview",
    "embedly",
    "quora link",
    "vkshare",
    "bitlybot",
    "curl/",
    "wget/",
    "python-requests",
    "go-http-client",
    "okhttp",
    "headlesschrome",
    "lighthouse",
    "mpcrawler",
];

impl Agent {
    /// `head`: the request was a HEAD, which only preview fetchers and scripts send.
    pub fn of(head: bool, user_agent: &str) -> Self {
        let ua = user_agent.to_ascii_lowercase();
        if head || ua.is_empty() || PREVIEW_AGENTS.iter().any(|word| ua.contains(word)) {
            Agent::Preview
        } else if ua.contains("wxwork") {
            Agent::WeCom
        } else if ua.contains("micromessenger") {
            Agent::WeChat
        } else if ua.contains("mobile") || ua.contains("android") || ua.contains("iphone") {
            Agent::Mobile
        } else {
            Agent::Desktop
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Agent::Preview => "preview",
            Agent::WeChat => "wechat",
            Agent::WeCom => "wecom",
            Agent::Mobile => "mobile",
            Agent::Desktop => "desktop",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ten_letters_of_the_alphabet_and_forged_ones_are_told_apart() {
        let code = code_from((0..=255u8).cycle().skip(7).step_by(13)).unwrap();
        assert_eq!(code.len(), CODE_LEN);
        assert!(is_code(&code));
        // Bytes past the last whole round of the alphabet are skipped, not folded in.
        assert_eq!(code_from([230; 40]), None);
        assert_eq!(code_from([0, 55, 56]).map(|c| c.len()), None);
        for forged in [
            "",
            "abc",
            "0000000000",
            "AAAAAAAAA1",
            "AAAAAAAAAAA",
            "AAAAA/AAAA",
            "ＡAAAAAAAAA",
        ] {
            assert!(!is_code(forged), "{forged}");
        }
        assert!(is_code("AbCdEf2345"));
    }

    #[test]
    fn targets_are_the_dealers_own_pages_only() {
        for ok in [
            "/demo/",
            "/demo",
            "/demo/models/byd-qin-plus",
            "/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro",
            "/demo/calculator?trim=xiaomi-su7-std",
            "/demo/test-drive?series=byd-qin-plus&trim=x",
        ] {
            assert_eq!(check_target("demo", ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/demo/",
            "/\\evil.example",
            "javascript:alert(1)",
            "/leap/models",
            "/demo/nope",
            "/demo/models/a/b",
            "/demo/#x",
            "/demo/?a=<script>",
            "/demo/ x",
            "demo/models",
            "",
        ] {
            let error = check_target("demo", bad).unwrap_err();
            assert_eq!(error.field.as_deref(), Some("target"), "{bad}");
        }
        assert_eq!(
            check_target("demo", &format!("/demo/?{}", "a".repeat(MAX_TARGET)))
                .unwrap_err()
                .message,
            "页面地址太长"
        );
    }

    #[test]
    fn a_new_link_keeps_a_trimmed_campaign_and_refuses_a_past_expiry() {
        let today = Date::parse("2026-12-02").unwrap();
        let link = NewLink {
            target: " /demo/models ".into(),
            channel: Channel::Moments,
            campaign: Some("  双十二  ".into()),
            expires_on: Some(today),
        };
        let valid = link.validate("demo", today).unwrap();
        assert_eq!(valid.target, "/demo/models");
        assert_eq!(valid.campaign.as_deref(), Some("双十二"));
        let blank = NewLink {
            campaign: Some("   ".into()),
            ..link.clone()
        };
        assert_eq!(blank.validate("demo", today).unwrap().campaign, None);
        let long = NewLink {
            campaign: Some("活".repeat(41)),
            ..link.clone()
        };
        assert_eq!(
            long.validate("demo", today).unwrap_err().field.as_deref(),
            Some("campaign")
        );
        let past = NewLink {
            expires_on: Some(today.add_days(-1)),
            ..link
        };
        assert_eq!(
            past.validate("demo", today).unwrap_err().field.as_deref(),
            Some("expires_on")
        );
    }

    #[test]
    fn channels_round_trip_and_previews_are_told_from_people() {
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.as_str()), Some(channel));
            assert_eq!(
                serde_json::to_string(&channel).unwrap(),
                format!("\"{}\"", channel.as_str())
            );
        }
        let wechat = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/4G";
        assert_eq!(Agent::of(false, wechat), Agent::WeChat);
        assert_eq!(Agent::of(true, wechat), Agent::Preview);
        assert_eq!(
            Agent::of(false, &format!("{wechat} wxwork/4.1")),
            Agent::WeCom
        );
        assert_eq!(Agent::of(false, "WhatsApp/2.19.81 A"), Agent::Preview);
        assert_eq!(
            Agent::of(false, "TelegramBot (like TwitterBot)"),
            Agent::Preview
        );
        assert_eq!(
            Agent::of(false, "Mozilla/5.0 (compatible; Baiduspider/2.0)"),
            Agent::Preview
        );
        assert_eq!(Agent::of(false, "facebookexternalhit/1.1"), Agent::Preview);
        assert_eq!(Agent::of(false, "curl/8.5.0"), Agent::Preview);
        assert_eq!(Agent::of(false, ""), Agent::Preview);
        assert_eq!(
            Agent::of(false, "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"),
            Agent::Mobile
        );
        assert_eq!(
            Agent::of(
                false,
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"
            ),
            Agent::Desktop
        );
    }
}
