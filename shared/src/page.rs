//! The consumer pages, known in one place: the path of each (`parse`, `href`), the wasm chunk
//! it loads lazily and the API requests it makes first. The app's routes, links and tab bar,
//! the server's shell and preloads, and xtask's chunk map and benchmark all use this type.

/// A page's heading and lede (`<h1>` and `<p class="lede">`) as the server paints them into
/// the shell before the app runs and as the app paints them in the same place: the first
/// frame already shows the page's own words, and they are its largest text, so the page's
/// largest paint is its first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FirstPaint {
    pub heading: String,
    pub lede: String,
}

impl FirstPaint {
    /// A model's page: its name, and in one sentence what it is (brand, energy, body), whether
    /// it is on sale, how many trims, and what the page lets a buyer do. Its prices follow it
    /// on the page, large.
    pub fn series(s: &crate::catalog::SeriesSummary) -> Self {
        let energy: Vec<&str> = s.energy_types.iter().map(|e| e.label()).collect();
        let status = match s.status {
            crate::catalog::SeriesStatus::Unknown => "共",
            known => known.label(),
        };
        FirstPaint {
            heading: s.name_zh.clone(),
            lede: format!(
                "{}{}，{}{}，{}{}款车型。逐款看配置、比价格、算落地价，一键预约试驾，到店前顾问与您确认。",
                s.brand_name,
                s.name_zh,
                energy.join("、"),
                s.body_type.label(),
                status,
                s.trim_count
            ),
        }
    }

    /// The staff console's sign-in page: what the console is for and where an account comes
    /// from. The server paints it in the console's shell for a browser without a session, so
    /// the sign-in page's largest text is on screen before the console's code arrives.
    pub fn console_sign_in() -> Self {
        FirstPaint {
            heading: "销售工作台".into(),
            lede: "销售顾问、服务顾问和门店管理人员在这里跟进线索、处理预约和车主服务。账号由本店管理员开通，忘记密码请找管理员重置。".into(),
        }
    }

    /// A comparison: how its on-the-road prices and monthly payments are reckoned (the day,
    /// the dealer's loan) and how to read the table.
    pub fn compare(today: crate::date::Date, loan: &crate::quote::LoanTerms) -> Self {
        FirstPaint {
            heading: "车型对比".into(),
            lede: format!(
                "落地价按 {today} 购车、本店价计算，含税费保险；月供为首付{}%、{}期、年利率{}%，点金额看明细。“优”为该项最优值；“—”为官方未公布；●有 -无",
                loan.down_payment_pct,
                loan.term_months,
                crate::quote::percent_text(loan.annual_rate_bp)
            ),
        }
    }
}

/// A page of a dealer's H5, under `/{dealer}/`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    /// `/{dealer}/`: the dealer's home (in the main module).
    Home,
    /// `/{dealer}/models`: the catalogue.
    Models,
    /// `/{dealer}/models/{series}`: one model.
    Series(String),
    /// `/{dealer}/compare?trims=...`
    Compare,
    /// `/{dealer}/select`: the guided selection.
    Select,
    /// `/{dealer}/calculator?trim=...`: the on-the-road price.
    Calculator,
    /// `/{dealer}/test-drive?series=...&trim=...`: book a test drive.
    TestDrive,
    /// `/{dealer}/test-drive/{code}`: a booking's confirmation.
    Booking(String),
    /// `/{dealer}/me/bookings`: my bookings, to cancel or move.
    MyBookings,
    /// `/{dealer}/me`: my data, to see and delete.
    Me,
    /// `/{dealer}/privacy`: the privacy notice (个人信息保护说明).
    Privacy,
    /// `/{dealer}/c/{handle}`: a consultant's showcase (顾问名片): their card and the
    /// dealer's models.
    Consultant(String),
    /// `/{dealer}/owner`: the owner centre (车主服务): my cars and what is due.
    Owner,
    /// `/{dealer}/owner/bind/{code}`: the link a delivery prints, binding the car.
    OwnerBind(String),
    /// `/{dealer}/offers?series=...&group=...`: the dealer's offers that hold today.
    Offers,
    /// `/{dealer}/activities`: the dealer's activities to come (试驾会, 车主讲堂, 新车上市).
    Activities,
    /// `/{dealer}/activities/{id}`: one activity and its sign-up form.
    Activity(String),
}

impl Page {
    /// The first path segment of each page after the dealer (the series page adds its id).
    pub const MODELS: &'static str = "models";
    pub const COMPARE: &'static str = "compare";
    pub const SELECT: &'static str = "select";
    pub const CALCULATOR: &'static str = "calculator";
    pub const TEST_DRIVE: &'static str = "test-drive";
    pub const ME: &'static str = "me";
    pub const BOOKINGS: &'static str = "bookings";
    pub const PRIVACY: &'static str = "privacy";
    pub const CONSULTANT: &'static str = "c";
    pub const OWNER: &'static str = "owner";
    pub const BIND: &'static str = "bind";
    pub const OFFERS: &'static str = "offers";
    pub const ACTIVITIES: &'static str = "activities";

    /// Every lazily loaded chunk, as the app's `#[lazy(name)]` entries name them
    /// (`app/src/pages.rs`) and `cargo xtask build` finds them.
    pub const CHUNKS: [&'static str; 6] = [
        "models",
        "series",
        "compare",
        "select",
        "calculator",
        "bookings",
    ];

    /// The dealer and page a path opens (`/demo/models/byd-qin-plus`), ignoring one trailing
    /// slash; `None` for a path that is no page (`/`, `/demo/nope`, `/demo/models/a/b`).
    pub fn parse(path: &str) -> Option<(&str, Page)> {
        let path = path.strip_prefix('/')?;
        let path = path.strip_suffix('/').unwrap_or(path);
        let mut segments = path.split('/');
        let dealer = segments.next().filter(|d| !d.is_empty())?;
        let rest: Vec<&str> = segments.collect();
        let page = match rest.as_slice() {
            [] => Page::Home,
            [Self::MODELS] => Page::Models,
            [Self::MODELS, series] if !series.is_empty() => Page::Series((*series).to_string()),
            [Self::COMPARE] => Page::Compare,
            [Self::SELECT] => Page::Select,
            [Self::CALCULATOR] => Page::Calculator,
            [Self::TEST_DRIVE] => Page::TestDrive,
            [Self::TEST_DRIVE, code] if !code.is_empty() => Page::Booking((*code).to_string()),
            [Self::ME, Self::BOOKINGS] => Page::MyBookings,
            [Self::ME] => Page::Me,
            [Self::PRIVACY] => Page::Privacy,
            [Self::CONSULTANT, handle] if !handle.is_empty() => {
                Page::Consultant((*handle).to_string())
            }
            [Self::OWNER] => Page::Owner,
            [Self::OFFERS] => Page::Offers,
            [Self::ACTIVITIES] => Page::Activities,
            [Self::ACTIVITIES, id] if !id.is_empty() => Page::Activity((*id).to_string()),
            [Self::OWNER, Self::BIND, code] if !code.is_empty() => {
                Page::OwnerBind((*code).to_string())
            }
            _ => return None,
        };
        Some((dealer, page))
    }

    /// The page's path under `dealer` (no query).
    pub fn href(&self, dealer: &str) -> String {
        match self {
            Page::Home => format!("/{dealer}/"),
            Page::Models => format!("/{dealer}/{}", Self::MODELS),
            Page::Series(series) => format!("/{dealer}/{}/{series}", Self::MODELS),
            Page::Compare => format!("/{dealer}/{}", Self::COMPARE),
            Page::Select => format!("/{dealer}/{}", Self::SELECT),
            Page::Calculator => format!("/{dealer}/{}", Self::CALCULATOR),
            Page::TestDrive => format!("/{dealer}/{}", Self::TEST_DRIVE),
            Page::Booking(code) => format!("/{dealer}/{}/{code}", Self::TEST_DRIVE),
            Page::MyBookings => format!("/{dealer}/{}/{}", Self::ME, Self::BOOKINGS),
            Page::Me => format!("/{dealer}/{}", Self::ME),
            Page::Privacy => format!("/{dealer}/{}", Self::PRIVACY),
            Page::Consultant(handle) => format!("/{dealer}/{}/{handle}", Self::CONSULTANT),
            Page::Owner => format!("/{dealer}/{}", Self::OWNER),
            Page::OwnerBind(code) => format!("/{dealer}/{}/{}/{code}", Self::OWNER, Self::BIND),
            Page::Offers => format!("/{dealer}/{}", Self::OFFERS),
            Page::Activities => format!("/{dealer}/{}", Self::ACTIVITIES),
            Page::Activity(id) => format!("/{dealer}/{}/{id}", Self::ACTIVITIES),
        }
    }

    /// The page's name as staff read it, in a link's target or a lead's source.
    pub fn name(&self) -> &'static str {
        match self {
            Page::Home => "首页",
            Page::Models => "车型库",
            Page::Series(_) => "车型页",
            Page::Compare => "车型对比",
            Page::Select => "智能选车",
            Page::Calculator => "购车计算器",
            Page::TestDrive => "预约试驾",
            Page::Booking(_) => "预约详情",
            Page::MyBookings => "我的预约",
            Page::Me => "我的信息",
            Page::Privacy => "隐私说明",
            Page::Consultant(_) => "顾问名片",
            Page::Owner => "车主服务",
            Page::OwnerBind(_) => "车辆绑定",
            Page::Offers => "本店优惠",
            Page::Activities => "本店活动",
            Page::Activity(_) => "活动报名",
        }
    }

    /// The page a lead's origin names (`shared::booking::Origin::page`: `model`, `compare`,
    /// `test-drive`…), as the pages that book or enquire write it.
    pub fn of_origin(page: &str) -> Option<Page> {
        Some(match page {
            "home" => Page::Home,
            Self::MODELS => Page::Models,
            "model" => Page::Series(String::new()),
            Self::COMPARE => Page::Compare,
            Self::SELECT => Page::Select,
            Self::CALCULATOR => Page::Calculator,
            Self::TEST_DRIVE => Page::TestDrive,
            "showcase" => Page::Consultant(String::new()),
            Self::OWNER => Page::Owner,
            Self::OFFERS => Page::Offers,
            "activity" => Page::Activity(String::new()),
            _ => return None,
        })
    }

    /// The lazily loaded wasm chunk the page needs; the home page is in the main module.
    pub fn chunk(&self) -> Option<&'static str> {
        match self {
            Page::Home => None,
            // The offers are read beside the catalogue: they share its chunk.
            Page::Models | Page::Offers => Some("models"),
            // A showcase is opened to go on to its models: it shares their chunk.
            Page::Series(_) | Page::Consultant(_) => Some("series"),
            Page::Compare => Some("compare"),
            Page::Select => Some("select"),
            Page::Calculator => Some("calculator"),
            // The test drive and the visitor's own pages share one chunk.
            Page::TestDrive
            | Page::Booking(_)
            | Page::MyBookings
            | Page::Me
            | Page::Privacy
            | Page::Owner
            | Page::OwnerBind(_)
            // An activity is signed up for as a test drive is booked: the same kind of form.
            | Page::Activities
            | Page::Activity(_) => Some("bookings"),
        }
    }

    /// The heading and lede the server paints for a page whose words need no data, before the
    /// app runs; the app shows them in the same place. Pages whose words come from their data
    /// (a model, a comparison) have theirs from [`FirstPaint::series`] and
    /// [`FirstPaint::compare`]. `None`: the page starts from the dealer's skeleton.
    pub fn first_paint(&self) -> Option<FirstPaint> {
        let (heading, lede) = match self {
            Page::TestDrive => (
                "预约试驾",
                "选好车型、门店和时间，一分钟约好试驾。顾问会在到店前一天与您确认，试驾当天请带上驾驶证。",
            ),
            Page::Calculator => (
                "购车计算器",
                "车价、购置税、上牌费、交强险与商业险、车船税逐项算清，全款落地价和贷款月供一目了然；新能源车按当期减免政策计算购置税。",
            ),
            Page::Owner | Page::OwnerBind(_) => (
                "车主服务",
                "保养、年检、保险和质保何时到期一目了然，里程随手更新，有事直接找您的服务顾问。提车时扫描顾问给的二维码，即可绑定爱车。",
            ),
            Page::Me => (
                "我的信息",
                "本店为您保存的个人信息：姓名、手机号和试驾预约。您可以随时查看，也可以一键全部删除，删除后本店不再保留。",
            ),
            Page::Privacy => (
                "个人信息保护说明",
                "简而言之：本店只收集为您安排试驾、告诉您价格所需的姓名和手机号，不用于其他目的；完整手机号只有为您服务的顾问和门店管理人员能看到；您可以随时在「我的信息」查看，并一键删除。",
            ),
            Page::Offers => (
                "本店优惠",
                "本店正在进行的购车优惠和用车权益，按车型和类型筛选；每项都写明适用车型、门店和截止日期，过期自动下线。到店前可先询底价或预约试驾。",
            ),
            Page::Activities => (
                "本店活动",
                "试驾会、车主讲堂、新车上市：写明时间、地点和剩余名额，在线报名，顾问会与您确认。",
            ),
            Page::MyBookings => (
                "我的预约",
                "您在本店的试驾预约都在这里，可以改期，也可以取消；到店前一天，顾问会与您确认时间。",
            ),
            _ => return None,
        };
        Some(FirstPaint {
            heading: heading.into(),
            lede: lede.into(),
        })
    }

    /// The API requests the page makes as soon as it runs, exactly as the app writes them:
    /// the dealer (every page), the catalogue or the model it shows, the trims it compares or
    /// prices (from `query`, the page's decoded query pairs) and the dealer's quoting terms
    /// where it shows a price on the road.
    pub fn first_requests(&self, dealer: &str, query: &[(String, String)]) -> Vec<String> {
        let base = format!("/api/v1/dealers/{dealer}");
        let terms = format!("{base}/terms");
        let param = |key: &str| {
            query
                .iter()
                .find(|(k, _)| k == key)
                .map_or("", |(_, v)| v.as_str())
        };
        let page = match self {
            // The hot searches too: the page shows once both are in, so nothing moves.
            Page::Models => vec![format!("{base}/series"), format!("{base}/hot-searches")],
            // The consultant's card of a visitor who came through one's link is shown with
            // the page, so it is fetched with the page's own data.
            Page::Series(series) => vec![
                format!("{base}/series/{series}"),
                terms,
                format!("{base}/my-consultant"),
            ],
            Page::Compare => {
                let mut ids = crate::compare::parse_trim_ids(param("trims"));
                ids.truncate(crate::compare::MAX_COMPARE);
                let compare = (!ids.is_empty()).then(|| compare_request(dealer, &ids));
                compare.into_iter().chain([terms]).collect()
            }
            Page::Calculator => {
                let trim = param("trim").trim();
                let compare = (!trim.is_empty()).then(|| compare_request(dealer, &[trim]));
                compare.into_iter().chain([terms]).collect()
            }
            Page::TestDrive => vec![
                format!("{base}/test-drive"),
                format!("{base}/my-consultant"),
            ],
            Page::Booking(code) => vec![format!("{base}/bookings/{code}")],
            Page::MyBookings | Page::Me => vec![format!("{base}/me")],
            Page::Consultant(handle) => {
                vec![
                    format!("{base}/consultants/{handle}"),
                    format!("{base}/series"),
                ]
            }
            Page::Owner => vec![format!("{base}/owner")],
            Page::Offers => vec![format!("{base}/offers")],
            Page::Activities => vec![format!("{base}/activities")],
            Page::Activity(id) => vec![format!("{base}/activities/{id}")],
            // Binding is a write: the page makes it, never a preload.
            Page::Home | Page::Select | Page::Privacy | Page::OwnerBind(_) => Vec::new(),
        };
        std::iter::once(base).chain(page).collect()
    }
}

/// `GET /api/v1/dealers/{dealer}/compare?trims=a,b`, as the app asks it and the shell
/// preloads it: one writing, so the preloaded answer is the one the page reads.
pub fn compare_request(dealer: &str, ids: &[impl AsRef<str>]) -> String {
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    format!(
        "/api/v1/dealers/{}/compare?trims={}",
        encode_uri_component(dealer),
        encode_uri_component(&ids.join(","))
    )
}

/// JavaScript's `encodeURIComponent`: every byte but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` as `%XX`.
pub fn encode_uri_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_paint_says_what_a_model_is_and_how_a_comparison_is_reckoned() {
        use crate::catalog::{BodyType, EnergyType, SeriesStatus, SeriesSummary};
        let qin = SeriesSummary {
            id: "byd-qin-plus".into(),
            brand_id: "byd".into(),
            brand_name: "比亚迪".into(),
            name_zh: "秦PLUS".into(),
            name_en: "Qin PLUS".into(),
            search_keys: String::new(),
            body_type: BodyType::Sedan,
            energy_types: vec![EnergyType::Phev, EnergyType::Bev],
            status: SeriesStatus::OnSale,
            guide_min: Some(79_800),
            guide_max: Some(129_800),
            dealer_min: Some(75_800),
            seats: vec![5],
            max_range_km: None,
            trim_count: 12,
            featured: false,
            cover: None,
        };
        let painted = FirstPaint::series(&qin);
        assert_eq!(painted.heading, "秦PLUS");
        assert!(
            painted
                .lede
                .starts_with("比亚迪秦PLUS，插混、纯电轿车，在售12款车型。"),
            "{}",
            painted.lede
        );
        let unknown = SeriesSummary {
            energy_types: Vec::new(),
            status: SeriesStatus::ComingSoon,
            ..qin
        };
        assert!(FirstPaint::series(&unknown)
            .lede
            .starts_with("比亚迪秦PLUS，轿车，即将上市12款车型。"));
        let loan = crate::quote::LoanTerms {
            down_payment_pct: 30,
            term_months: 36,
            annual_rate_bp: 350,
        };
        let day = crate::date::Date::parse("2026-12-05").unwrap();
        let legend = FirstPaint::compare(day, &loan);
        assert_eq!(legend.heading, "车型对比");
        assert!(legend.lede.starts_with(
            "落地价按 2026-12-05 购车、本店价计算，含税费保险；月供为首付30%、36期、年利率3.5%，"
        ));
        assert!(Page::Calculator.first_paint().is_some() && Page::Home.first_paint().is_none());
    }

    #[test]
    fn paths_and_pages_round_trip() {
        let pages = [
            Page::Home,
            Page::Models,
            Page::Series("byd-qin-plus".into()),
            Page::Compare,
            Page::Select,
            Page::Calculator,
            Page::TestDrive,
            Page::Booking("K7P2Q9XM".into()),
            Page::MyBookings,
            Page::Me,
            Page::Privacy,
            Page::Consultant("wang".into()),
            Page::Owner,
            Page::OwnerBind("Ab3dEf7hJk".into()),
        ];
        for page in pages {
            let href = page.href("demo");
            assert_eq!(Page::parse(&href), Some(("demo", page.clone())), "{href}");
            if let Some(chunk) = page.chunk() {
                assert!(Page::CHUNKS.contains(&chunk), "{chunk}");
            }
        }
        assert_eq!(Page::parse("/demo"), Some(("demo", Page::Home)));
        assert_eq!(Page::parse("/demo/models/"), Some(("demo", Page::Models)));
        for none in [
            "/",
            "",
            "demo",
            "/demo/nope",
            "/demo/models/a/b",
            "//models",
            "/demo/c",
            "/demo/c/wang/x",
            "/demo/owner/bind",
            "/demo/owner/x",
        ] {
            assert_eq!(Page::parse(none), None, "{none}");
        }
    }

    #[test]
    fn pages_name_the_requests_they_make_first() {
        let dealer = "/api/v1/dealers/demo";
        let cases: [(Page, &[&str]); 9] = [
            (Page::Owner, &[dealer, "/api/v1/dealers/demo/owner"]),
            (Page::OwnerBind("Ab3dEf7hJk".into()), &[dealer]),
            (Page::Home, &[dealer]),
            (
                Page::Models,
                &[
                    dealer,
                    "/api/v1/dealers/demo/series",
                    "/api/v1/dealers/demo/hot-searches",
                ],
            ),
            (
                Page::Series("xiaomi-su7".into()),
                &[
                    dealer,
                    "/api/v1/dealers/demo/series/xiaomi-su7",
                    "/api/v1/dealers/demo/terms",
                    "/api/v1/dealers/demo/my-consultant",
                ],
            ),
            (Page::Compare, &[dealer, "/api/v1/dealers/demo/terms"]),
            (Page::Calculator, &[dealer, "/api/v1/dealers/demo/terms"]),
            (Page::Select, &[dealer]),
            (
                Page::Consultant("wang".into()),
                &[
                    dealer,
                    "/api/v1/dealers/demo/consultants/wang",
                    "/api/v1/dealers/demo/series",
                ],
            ),
        ];
        for (page, urls) in cases {
            assert_eq!(page.first_requests("demo", &[]), urls, "{page:?}");
        }
        let query = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert_eq!(
            Page::Compare.first_requests("demo", &query("trims", "a, b,a,c,d,e")),
            [
                dealer,
                "/api/v1/dealers/demo/compare?trims=a%2Cb%2Cc%2Cd",
                "/api/v1/dealers/demo/terms"
            ]
        );
        assert_eq!(
            Page::Calculator.first_requests("demo", &query("trim", "xiaomi-su7-std")),
            [
                dealer,
                "/api/v1/dealers/demo/compare?trims=xiaomi-su7-std",
                "/api/v1/dealers/demo/terms"
            ]
        );
        assert_eq!(
            encode_uri_component("秦 a,b-c_d.e!~*'()"),
            "%E7%A7%A6%20a%2Cb-c_d.e!~*'()"
        );
    }
}
