//! `/{dealer}/compare?trims=a,b&hide_same=1&highlight=0`: 2–4 trims side by side in the
//! standard grouped layout. The URL is the whole view: trims and both toggles, so a shared
//! link reproduces exactly what the sender saw. Groups with no known value start collapsed;
//! toggling a group is a local convenience. Each column asks for its trim's best price
//! (询底价) and books its test drive.

use leptos::prelude::*;
use shared::booking::EnquiryRequest;
use shared::compare::{
    parse_trim_ids, CompareGroup, CompareRow, Comparison, TrimHead, MAX_COMPARE,
};
use shared::glossary;
use shared::money;
use shared::offer::OfferView;
use shared::page::{FirstPaint, Page};
use shared::quote::{quote, DealerTerms, QuoteRequest};

use crate::basket::Basket;
use crate::components::enquiry_sheet::{Ask, Enquire, EnquirySheet};
use crate::components::offer_list::OfferTags;
use crate::components::share_button::{Share, ShareButton};
use crate::components::status::{LoadError, Loading};
use crate::nav::{use_nav, Entry};
use crate::pages::not_found::NotFound;
use crate::pages::test_drive;
use crate::{api, use_dealer};
use shared::attribution::NewVisitorLink;
use shared::link::Channel;

/// What the URL says to show.
#[derive(Clone, Debug, PartialEq)]
struct View {
    ids: Vec<String>,
    /// More ids than fit were asked for: the first four are shown.
    truncated: bool,
    hide_same: bool,
    highlight: bool,
}

impl View {
    fn href(&self, dealer: &str) -> String {
        let mut pairs = vec![("trims", self.ids.join(","))];
        if self.hide_same {
            pairs.push(("hide_same", "1".into()));
        }
        if !self.highlight {
            pairs.push(("highlight", "0".into()));
        }
        format!(
            "{}{}",
            Page::Compare.href(dealer),
            api::query_string(&pairs)
        )
    }
}

#[component]
pub fn Compare() -> impl IntoView {
    crate::set_title("车型对比");
    let dealer = use_dealer();
    let share: Share = Action::new_unsync(move |target: &String| {
        let slug = dealer.slug.get_untracked();
        let request = NewVisitorLink {
            target: target.clone(),
            channel: Channel::Chat,
        };
        async move { api::share_link(&slug, &request).await }
    });
    let basket = expect_context::<Basket>();
    let nav = use_nav();
    let query = nav.query();
    let view_state = Memo::new(move |_| {
        query.with(|q| {
            let mut ids = parse_trim_ids(q.get("trims").unwrap_or(""));
            let truncated = ids.len() > MAX_COMPARE;
            ids.truncate(MAX_COMPARE);
            View {
                ids,
                truncated,
                hide_same: q.get("hide_same") == Some("1"),
                highlight: q.get("highlight") != Some("0"),
            }
        })
    });
    let ids = Memo::new(move |_| view_state.with(|v| v.ids.clone()));
    let go = Callback::new(move |(next, entry): (View, Entry)| {
        let href = next.href(&dealer.slug.get_untracked());
        nav.open(&href, entry);
    });

    // `/compare` with no trims opens what is in the basket.
    Effect::new(move |_| {
        if ids.with(Vec::is_empty) && basket.count() > 0 {
            let mut next = view_state.get_untracked();
            next.ids = basket.ids();
            go.run((next, Entry::Replace));
        }
    });

    let comparison = LocalResource::new(move || {
        let slug = dealer.slug.get();
        let ids = ids.get();
        async move {
            if ids.is_empty() {
                Ok(None)
            } else {
                api::compare(&slug, &ids).await.map(Some)
            }
        }
    });
    // The basket follows what is being compared (a shared link fills it too).
    Effect::new(move |_| {
        if let Some(Ok(Some(c))) = comparison.get() {
            basket.set(c.trims.iter().map(|t| t.id.clone()).collect());
        }
    });

    // The dealer's terms price the on-the-road rows; the table waits for both, so nothing
    // moves once it is shown.
    let terms = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::terms(&slug).await }
    });
    let collapsed = RwSignal::new(Vec::<String>::new());
    let content = move || match (comparison.get(), terms.get()) {
        (None, _) | (Some(Ok(Some(_))), None) => {
            view! { <Loading count=1 class="ph-table" /> }.into_any()
        }
        (Some(Err(e)), _) if e.is_not_found() => view! { <NotFound /> }.into_any(),
        (Some(Err(e)), _) | (_, Some(Err(e))) => {
            view! { <LoadError message=e.message() /> }.into_any()
        }
        (Some(Ok(None)), _) => view! {
            <div class="empty" data-test="compare-empty">
                <p>"还没有加入对比的车型"</p>
                <a class="btn btn-primary" href=dealer.link(&Page::Models)>"去挑选车型"</a>
            </div>
        }
        .into_any(),
        (Some(Ok(Some(c))), Some(Ok(terms))) => {
            view! { <Table comparison=c terms view_state go collapsed /> }.into_any()
        }
    };

    let toggle = move |which: &'static str| {
        move |_| {
            let mut next = view_state.get_untracked();
            if which == "hide_same" {
                next.hide_same = !next.hide_same;
            } else {
                next.highlight = !next.highlight;
            }
            go.run((next, Entry::Replace));
        }
    };

    view! {
        <main class="page compare">
            <div class="cmp-bar">
                <h1>"车型对比"</h1>
                <label class="switch">
                    <input
                        type="checkbox"
                        data-test="hide-same"
                        prop:checked=move || view_state.with(|v| v.hide_same)
                        on:change=toggle("hide_same")
                    />
                    <span>"隐藏相同项"</span>
                </label>
                <label class="switch">
                    <input
                        type="checkbox"
                        data-test="highlight"
                        prop:checked=move || view_state.with(|v| v.highlight)
                        on:change=toggle("highlight")
                    />
                    <span>"高亮不同项"</span>
                </label>
                <ShareButton share />
            </div>
            <Show when=move || view_state.with(|v| v.truncated)>
                <p class="notice">"最多同时对比" {MAX_COMPARE} "款车型，已显示前" {MAX_COMPARE} "款。"</p>
            </Show>
            {content}
        </main>
    }
}

#[component]
fn Table(
    comparison: Comparison,
    terms: DealerTerms,
    view_state: Memo<View>,
    go: Callback<(View, Entry)>,
    collapsed: RwSignal<Vec<String>>,
) -> impl IntoView {
    let dealer = use_dealer();
    let basket = expect_context::<Basket>();
    let slug = dealer.slug.get_untracked();
    // The spec name tapped for its explanation (`shared::glossary`), shown under its row.
    let term = RwSignal::new(None::<String>);
    let columns = comparison.trims.len();
    if columns > 0 {
        let names: Vec<&str> = comparison.trims.iter().map(|t| t.name.as_str()).collect();
        crate::set_title(&format!("{} 对比", names.join(" vs ")));
    }
    let dropped = (!comparison.dropped.is_empty()).then(|| {
        view! {
            <p class="notice" data-test="dropped-notice" role="status">
                "以下车型不存在或本店未销售，已从对比中移除：" {comparison.dropped.join("、")}
            </p>
        }
    });
    let few = (columns < 2).then(|| {
        view! {
            <p class="notice" data-test="compare-hint">
                "再添加一款车型即可对比。"
                <a href=Page::Models.href(&slug)>"去挑选车型"</a>
            </p>
        }
    });
    if columns == 0 {
        return view! { {dropped} {few} }.into_any();
    }

    let heads = comparison
        .trims
        .iter()
        .map(|t| {
            let id = t.id.clone();
            let remove = move |_| {
                basket.remove(&id);
                let mut next = view_state.get_untracked();
                next.ids.retain(|i| *i != id);
                go.run((next, Entry::New));
            };
            view! {
                <th scope="col" class="head" data-test="compare-head" data-id=t.id.clone()>
                    <a href=Page::Series(t.series_id.clone()).href(&slug)>{t.name.clone()}</a>
                    <span class="guide">
                        "指导价 " {t.guide_price.map(money::yuan).unwrap_or_else(|| "—".into())}
                    </span>
                    {t.dealer_price.map(|p| view! { <span class="deal">"本店价 " {money::yuan(p)}</span> })}
                    <button
                        type="button"
                        class="remove"
                        aria-label=format!("移除{}", t.name)
                        data-test="remove-trim"
                        on:click=remove
                    >
                        "×"
                    </button>
                </th>
            }
        })
        .collect_view();

    let loan = terms.default_loan();
    let prices = view! { <PriceRows trims=comparison.trims.clone() offers=comparison.offers.clone() terms /> };
    let ask = RwSignal::new(None::<Ask>);
    let leads = view! { <LeadRow trims=comparison.trims.clone() ask /> };
    let send: Enquire = Action::new_unsync(move |request: &EnquiryRequest| {
        let (slug, request) = (dealer.slug.get_untracked(), request.clone());
        async move { api::enquire(&slug, &request).await }
    });
    // The visitor's remembered contact, asked for only once the sheet first opens.
    let asked = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || ask.with(Option::is_some)
    });
    let me = LocalResource::new(move || {
        let (asked, slug) = (asked.get(), dealer.slug.get());
        async move {
            match asked {
                true => api::me(&slug).await.ok(),
                false => None,
            }
        }
    });
    let groups = comparison.groups;
    let drawn = RwSignal::new(0);
    draw_more(drawn, groups.iter().map(|g| g.rows.len() + 1).collect());
    let body = groups
        .into_iter()
        .enumerate()
        .map(|(i, group)| {
            let drawn = Memo::new(move |_| drawn.get() > i);
            view! { <GroupRows group columns view_state collapsed term drawn /> }
        })
        .collect_view();

    view! {
        {dropped}
        {few}
        <p class="legend muted" data-test="compare-legend">
            {FirstPaint::compare(crate::today(), &loan).lede}
        </p>
        <div class="cmp-wrap" data-test="compare-scroll">
            <table class="cmp" data-test="compare-table" data-columns=columns>
                <thead>
                    <tr>
                        <th scope="col" class="corner">"车型"</th>
                        {heads}
                    </tr>
                </thead>
                {prices}
                {leads}
                {body}
            </table>
        </div>
        <EnquirySheet ask send page="compare" me=Signal::derive(move || me.get().flatten()) />
    }
    .into_any()
}

/// Rows drawn by the first frame, and then by each frame after it: a comparison of four full
/// spec sheets (over a thousand cells) is drawn a screenful at a time, so no task is long
/// enough to hold up a tap.
const ROWS_PER_FRAME: usize = 30;

/// Draws the next groups (at least one, up to [`ROWS_PER_FRAME`] rows with their headers,
/// `sizes` each) now and the rest frame by frame, until all are drawn or the page is gone.
fn draw_more(drawn: RwSignal<usize>, sizes: Vec<usize>) {
    let Some(from) = drawn.try_get_untracked() else {
        return;
    };
    if from >= sizes.len() {
        return;
    }
    let (mut to, mut rows) = (from, 0);
    while to < sizes.len() && (to == from || rows + sizes[to] <= ROWS_PER_FRAME) {
        rows += sizes[to];
        to += 1;
    }
    drawn.set(to);
    request_animation_frame(move || draw_more(drawn, sizes));
}

/// One group of spec rows: its header, which folds it, and its rows, once `drawn`. It follows
/// only its own fold, 隐藏相同项 and 高亮不同项, so a tap redraws one group, not the table.
#[component]
fn GroupRows(
    group: CompareGroup,
    columns: usize,
    view_state: Memo<View>,
    collapsed: RwSignal<Vec<String>>,
    /// The spec name tapped for its explanation (`shared::glossary`), shown under its row.
    term: RwSignal<Option<String>>,
    drawn: Memo<bool>,
) -> impl IntoView {
    let hide_same = Memo::new(move |_| view_state.with(|v| v.hide_same));
    let highlight = Memo::new(move |_| view_state.with(|v| v.highlight));
    // `collapsed` holds the groups the user toggled; groups of nothing but "—" start
    // collapsed, so the table opens on what is known.
    let known = group.has_known_values();
    let key = group.key.clone();
    let is_collapsed = Memo::new(move |_| collapsed.with(|c| c.contains(&key)) == known);
    let all_same = group.rows.iter().all(|r| r.same);
    let group = std::sync::Arc::new(group);
    move || {
        let hidden = hide_same.get() && all_same;
        (drawn.get() && !hidden).then(|| {
            let key = group.key.clone();
            let toggle = move |_| {
                collapsed.update(|c| {
                    if let Some(i) = c.iter().position(|k| *k == key) {
                        c.remove(i);
                    } else {
                        c.push(key.clone());
                    }
                })
            };
            let folded = is_collapsed.get();
            let rows = (!folded).then(|| {
                let hide = hide_same.get();
                group
                    .rows
                    .iter()
                    .filter(|r| !(hide && r.same))
                    .map(|r| spec_row(r, columns, highlight, term))
                    .collect_view()
            });
            view! {
                <tbody data-test="compare-group" data-key=group.key.clone()>
                    <tr class="grp">
                        <th colspan=columns + 1 scope="rowgroup">
                            <button
                                type="button"
                                aria-expanded=(!folded).to_string()
                                data-test="group-toggle"
                                on:click=toggle
                            >
                                {group.name_zh.clone()}
                                {(!known).then(|| view! { <span class="muted">"（暂无数据）"</span> })}
                                <span class="chev" aria-hidden="true">
                                    {if folded { "▸" } else { "▾" }}
                                </span>
                            </button>
                        </th>
                    </tr>
                    {rows}
                </tbody>
            }
        })
    }
}

/// One spec row: its name (a button where the glossary explains it) and a cell per trim, the
/// best marked 优, with its explanation under it once tapped.
fn spec_row(
    r: &CompareRow,
    columns: usize,
    highlight: Memo<bool>,
    term: RwSignal<Option<String>>,
) -> impl IntoView {
    let cells = r
        .values
        .iter()
        .zip(&r.best)
        .map(|(v, best)| {
            let text = v
                .as_ref()
                .map(|v| v.display_in(r.unit.as_deref()))
                .unwrap_or_else(|| "—".into());
            view! {
                <td class:best=*best>
                    {text}
                    {best.then(|| view! { <span class="best-mark">"优"</span> })}
                </td>
            }
        })
        .collect_view();
    let same = r.same;
    let name = match glossary::explain(&r.key) {
        Some(_) => {
            let key = r.key.clone();
            let open = r.key.clone();
            view! {
                <button
                    type="button"
                    class="term"
                    data-test="term"
                    aria-expanded=move || term.with(|t| t.as_deref() == Some(open.as_str())).to_string()
                    on:click=move |_| term.update(|t| {
                        *t = match t.as_deref() == Some(key.as_str()) {
                            true => None,
                            false => Some(key.clone()),
                        }
                    })
                >
                    {r.name_zh.clone()}
                </button>
            }
            .into_any()
        }
        None => r.name_zh.clone().into_any(),
    };
    view! {
        <tr
            class:diff=move || highlight.get() && !same
            data-test="compare-row"
            data-key=r.key.clone()
            data-same=r.same.to_string()
        >
            <th scope="row">{name}</th>
            {cells}
        </tr>
        {glossary::explain(&r.key).map(|text| {
            let key = r.key.clone();
            view! {
                <Show when=move || term.with(|t| t.as_deref() == Some(key.as_str()))>
                    <tr class="explain">
                        <td colspan=columns + 1 data-test="term-explanation">{text}</td>
                    </tr>
                </Show>
            }
        })}
    }
}

/// 询底价 and 预约试驾 under each compared trim.
#[component]
fn LeadRow(trims: Vec<TrimHead>, ask: RwSignal<Option<Ask>>) -> impl IntoView {
    let slug = use_dealer().slug.get_untracked();
    let ch = use_nav()
        .query()
        .with_untracked(|q| q.get("ch").map(str::to_string));
    let cells = trims
        .into_iter()
        .map(|t| {
            let drive = test_drive::href(&slug, &t.series_id, Some(&t.id), "compare", ch.as_deref());
            let id = t.id.clone();
            let asking = Ask {
                series_id: Some(t.series_id),
                trim_id: Some(t.id),
                title: t.name,
            };
            view! {
                <td class="leads">
                    <button
                        type="button"
                        class="btn btn-primary btn-small"
                        data-test="ask-price"
                        data-id=id.clone()
                        on:click=move |_| ask.set(Some(asking.clone()))
                    >
                        "询底价"
                    </button>
                    <a class="btn btn-line btn-small" href=drive data-test="book-test-drive" data-id=id>
                        "预约试驾"
                    </a>
                </td>
            }
        })
        .collect_view();
    view! {
        <tbody>
            <tr>
                <th scope="row">"本店服务"</th>
                {cells}
            </tr>
        </tbody>
    }
}

/// The honest price of each compared trim: on the road paying in full, and the monthly payment
/// at the dealer's default loan, both by `shared::quote` exactly as the calculator opens (each
/// figure links there), the lowest marked.
#[component]
fn PriceRows(trims: Vec<TrimHead>, offers: Vec<OfferView>, terms: DealerTerms) -> impl IntoView {
    let slug = use_dealer().slug.get_untracked();
    let today = crate::today();
    {
        let rates = terms.vessel_tax.as_ref();
        let loan = terms.default_loan();
        let row = |key: &'static str, label: &'static str, pay: &'static str| {
            let quotes: Vec<_> = trims
                .iter()
                .map(|t| {
                    let terms = (pay == "loan").then_some(loan);
                    QuoteRequest::for_trim(t, today, terms).map(|r| quote(&r, rates))
                })
                .collect();
            let amounts: Vec<Option<i64>> = quotes
                .iter()
                .map(|q| {
                    let q = q.as_ref()?;
                    match &q.loan {
                        Some(l) => Some(l.monthly_payment),
                        None => Some(q.total),
                    }
                })
                .collect();
            let lowest = amounts.iter().flatten().min().copied();
            let known = amounts.iter().flatten().count();
            let cells = trims
                .iter()
                .zip(quotes.iter().zip(&amounts))
                .map(|(t, (q, amount))| {
                    let best = known > 1 && *amount == lowest;
                    let partial = q.as_ref().is_some_and(|q| !q.missing.is_empty());
                    let href = format!("{}?trim={}&pay={pay}", Page::Calculator.href(&slug), api::encode(&t.id));
                    let text = match amount {
                        Some(a) if pay == "loan" => format!("{}/月", money::yuan(*a)),
                        Some(a) => money::yuan(*a),
                        None => "—".into(),
                    };
                    view! {
                        <td class:best=best data-test="price-cell" data-id=t.id.clone()>
                            {match amount {
                                Some(_) => view! { <a href=href data-test="price-link">{text}</a> }.into_any(),
                                None => view! { <span>{text}</span> }.into_any(),
                            }}
                            {partial.then(|| view! { <br /> <small class="muted small">"未含车船税"</small> })}
                            {best.then(|| view! { <span class="best-mark">"优"</span> })}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr data-test="compare-row" data-key=key data-same="false">
                    <th scope="row">{label}</th>
                    {cells}
                </tr>
            }
        };
        // The offers that hold today, beside the prices: a row only when there are some.
        let offer_row = (!offers.is_empty()).then(|| {
            let cells = trims
                .iter()
                .map(|t| {
                    let offers = offers.clone();
                    view! {
                        <td data-test="offer-cell" data-id=t.id.clone()>
                            <OfferTags offers series_id=t.series_id.clone() trim_id=t.id.clone() />
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr data-test="compare-row" data-key="offers" data-same="false">
                    <th scope="row">"本店优惠"</th>
                    {cells}
                </tr>
            }
        });
        view! {
            <tbody data-test="compare-group" data-key="price">
                {row("otr_total", "落地价（全款）", "full")}
                {row("monthly_payment", "月供", "loan")}
                {offer_row}
            </tbody>
        }
    }
}
