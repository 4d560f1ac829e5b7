//! The consumer pages, known in one place: the path of each (`parse`, `href`), the wasm chunk
//! it loads lazily and the API requests it makes first. The app's routes, links and tab bar,
//! the server's shell and preloads, and xtask's chunk map and benchmark all use this type.

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

    /// Every lazily loaded chunk, as `cargo xtask build` names them from the app's
    /// `{Name}Route` types (`ModelsRoute` → `models`).
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
        }
    }

    /// The lazily loaded wasm chunk the page needs; the home page is in the main module.
    pub fn chunk(&self) -> Option<&'static str> {
        match self {
            Page::Home => None,
            Page::Models => Some("models"),
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
            | Page::OwnerBind(_) => Some("bookings"),
        }
    }

    /// The heading and lede the server paints for the page before the app runs, and the app
    /// shows in the same place, so the first paint already shows the page's own words (and
    /// is its largest text). `None`: the page starts from the dealer's skeleton.
    pub fn first_paint(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Page::TestDrive => Some((
                "预约试驾",
                "选好车型、门店和时间，一分钟约好试驾。顾问会在到店前一天与您确认，试驾当天请带上驾驶证。",
            )),
            _ => None,
        }
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
            Page::Models => vec![format!("{base}/series")],
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
            (Page::Models, &[dealer, "/api/v1/dealers/demo/series"]),
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
