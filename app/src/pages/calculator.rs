//! `/{dealer}/calculator?trim=ID&pay=loan`: the purchase calculator (购车计算器). The trim's
//! price and tax facts preload the form through `QuoteRequest::for_trim` (the comparison's
//! on-the-road row uses the same), every keystroke is validated with `QuoteRequest::validate`
//! and quoted locally with `shared::quote::quote` for today's date and the dealer's terms.
//! Where the trim's catalogue listing is unknown the page says which assumption it shows and
//! lets the buyer switch it.

use leptos::prelude::*;
use shared::catalog::EnergyType;
use shared::compare::TrimHead;
use shared::money;
use shared::page::{FirstPaint, Page};
use shared::quote::{
    parse_percent_bp, percent_text, quote, LoanTerms, Quote, QuoteRequest,
    DEFAULT_DOWN_PAYMENT_PCT, DEFAULT_PLATE_FEE, DEFAULT_SEATS, DEFAULT_TERM_MONTHS,
};
use shared::tax::{litres, parse_displacement_ml, ruled_out, Listing, ReliefPeriod};

use crate::components::field_error::FieldError;
use crate::components::price_tag::PriceTag;
use crate::components::share_button::{Share, ShareButton};
use crate::components::status::Loading;
use crate::nav::use_nav;
use crate::pages::not_found::NotFound;
use crate::pages::test_drive;
use crate::{api, use_dealer};
use shared::attribution::NewVisitorLink;
use shared::link::Channel;

/// The trim behind `?trim=ID`, as the comparison heads it: prices and tax facts.
async fn load_trim(dealer: &str, id: &str) -> Result<TrimHead, api::Error> {
    let comparison = api::compare(dealer, &[id.to_string()]).await?;
    comparison.trims.into_iter().next().ok_or_else(|| {
        api::Error::Api(shared::ApiError {
            code: "not_found".into(),
            message: "车型不存在".into(),
            field: Some("trim".into()),
        })
    })
}

type Outcome = Result<Quote, (String, String)>;

#[component]
pub fn Calculator() -> impl IntoView {
    // The words the server painted before the app ran, in the same place.
    let FirstPaint { heading, lede } = Page::Calculator.first_paint().unwrap_or_default();
    crate::set_title(&heading);
    let dealer = use_dealer();
    let share: Share = Action::new_unsync(move |target: &String| {
        let slug = dealer.slug.get_untracked();
        let request = NewVisitorLink {
            target: target.clone(),
            channel: Channel::Chat,
        };
        async move { api::share_link(&slug, &request).await }
    });
    let query = use_nav().query();
    let trim_id = Memo::new(move |_| {
        query.with(|q| {
            q.get("trim")
                .filter(|t| !t.trim().is_empty())
                .map(str::to_string)
        })
    });
    let trim = LocalResource::new(move || {
        let slug = dealer.slug.get();
        let id = trim_id.get();
        async move {
            match id {
                Some(id) => load_trim(&slug, &id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let loaded_terms = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::terms(&slug).await.ok() }
    });
    let terms = Memo::new(move |_| loaded_terms.get().flatten());
    // The form opens once the trim and the terms are in, so nothing moves under the finger.
    let ready = move || trim.get().is_some() && loaded_terms.get().is_some();

    let today = crate::today();
    let period = ReliefPeriod::of(today);
    let price = RwSignal::new(String::new());
    let seats = RwSignal::new(DEFAULT_SEATS.to_string());
    // Unknown until the trim or the buyer says: no price is guessed from a default.
    let energy = RwSignal::new(None::<EnergyType>);
    let displacement = RwSignal::new(String::new());
    // The listing for today's period as the trim's data states it (with its source), and
    // what the buyer has chosen to assume.
    let known = RwSignal::new(None::<Listing>);
    let listed = RwSignal::new(false);
    // The trim's equivalent all-electric range: a short-range plug-in cannot be assumed listed.
    let eaer = RwSignal::new(None::<i64>);
    let excluded = Memo::new(move |_| {
        let energy = energy.get()?;
        ruled_out(energy, eaer.get(), period?)
    });
    // An assumption the rules rule out is never offered, nor kept when the energy type changes.
    Effect::new(move |_| {
        if excluded.with(Option::is_some) && listed.get_untracked() {
            listed.set(false);
        }
    });
    let commercial = RwSignal::new(String::new());
    let plate = RwSignal::new(DEFAULT_PLATE_FEE.to_string());
    let loan = RwSignal::new(query.with_untracked(|q| q.get("pay") == Some("loan")));
    let down_pct = RwSignal::new(DEFAULT_DOWN_PAYMENT_PCT.to_string());
    let term = RwSignal::new(DEFAULT_TERM_MONTHS.to_string());
    let rate = RwSignal::new(String::new());

    Effect::new(move |_| {
        if let Some(t) = terms.get() {
            rate.set(percent_text(t.loan_rate_bp));
            down_pct.set(t.down_payment_pct.to_string());
            term.set(t.loan_term_months.to_string());
        }
    });
    // The form opens on exactly the request the comparison priced.
    Effect::new(move |_| {
        let Some(Ok(Some(head))) = trim.get() else {
            return;
        };
        let Some(request) = QuoteRequest::for_trim(&head, today, None) else {
            if let Some(p) = head.dealer_price.or(head.guide_price) {
                price.set(p.to_string());
            }
            energy.set(head.energy_type);
            eaer.set(head.eaer_km);
            return;
        };
        eaer.set(request.eaer_km);
        price.set(request.price.to_string());
        seats.set(request.seats.to_string());
        energy.set(Some(request.energy_type));
        displacement.set(request.displacement_ml.map(litres).unwrap_or_default());
        let stated = request.listing().cloned();
        listed.set(stated.as_ref().is_some_and(|l| l.listed));
        known.set(stated);
    });

    let outcome = Memo::new(move |_| -> Outcome {
        let bad = |field: &str, message: &str| Err((field.to_string(), message.to_string()));
        if price.with(|p| p.trim().is_empty()) {
            // Nothing typed yet is no mistake: the result area asks for a price instead.
            return bad("", "输入车价后即可看到落地价。");
        }
        let Some(price) = price.with(|p| money::parse_yuan(p)) else {
            return bad("price", "请输入车价（元），如 189800");
        };
        let Some(seats) = seats.with(|s| s.trim().parse().ok()) else {
            return bad("seats", "请输入座位数");
        };
        let Some(energy_type) = energy.get() else {
            return bad("energy_type", "请选择能源类型");
        };
        let displacement_ml =
            if !energy_type.has_engine() || displacement.with(|d| d.trim().is_empty()) {
                None
            } else {
                match displacement.with(|d| parse_displacement_ml(d)) {
                    Some(ml) => Some(ml),
                    None => return bad("displacement_ml", "请输入排量，如 1.5 或 1498"),
                }
            };
        // A stated listing keeps its source; a switched one is the buyer's assumption; an
        // unknown one left as it opened stays unknown (full tax, and the note says so).
        let listings = period
            .and_then(|period| {
                let chosen = listed.get();
                known.with(|k| match k {
                    Some(k) if k.listed == chosen => Some(k.clone()),
                    None if !chosen => None,
                    _ => Some(Listing {
                        period,
                        listed: chosen,
                        source: None,
                    }),
                })
            })
            .into_iter()
            .collect();
        let commercial_insurance = match commercial.with(|c| c.trim().is_empty()) {
            true => None,
            false => match commercial.with(|c| money::parse_yuan(c)) {
                Some(v) => Some(v),
                None => {
                    return bad(
                        "commercial_insurance",
                        "请输入商业险金额（元），或留空按估算",
                    )
                }
            },
        };
        let Some(plate_fee) = plate.with(|p| money::parse_yuan(p)) else {
            return bad("plate_fee", "请输入上牌费（元）");
        };
        let loan = if loan.get() {
            let Some(down_payment_pct) =
                down_pct.with(|d| d.trim().trim_end_matches('%').parse().ok())
            else {
                return bad("down_payment_pct", "请输入首付比例，如 30");
            };
            let Some(term_months) = term.with(|t| t.trim().parse().ok()) else {
                return bad("term_months", "请输入贷款期限（月），12到60");
            };
            let Some(annual_rate_bp) = rate.with(|r| parse_percent_bp(r)) else {
                return bad("annual_rate_bp", "请输入年利率，如 3.5");
            };
            Some(LoanTerms {
                down_payment_pct,
                term_months,
                annual_rate_bp,
            })
        } else {
            None
        };
        let request = QuoteRequest {
            price,
            seats,
            energy_type,
            displacement_ml,
            eaer_km: eaer.get(),
            listings,
            purchase_date: today,
            commercial_insurance,
            plate_fee,
            vessel_tax_rates: None,
            loan,
        };
        request
            .validate()
            .map_err(|e| (e.field.unwrap_or_default(), e.message))?;
        let rates = terms.with(|t| t.as_ref().and_then(|t| t.vessel_tax.clone()));
        Ok(quote(&request, rates.as_ref()))
    });
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            outcome.with(|o| match o {
                Err((f, m)) if f == field => Some(m.clone()),
                _ => None,
            })
        })
    };

    let energy_error = error_for("energy_type");

    let field = move |id: &'static str,
                      label: &'static str,
                      value: RwSignal<String>,
                      hint: &'static str| {
        let err_id = match id {
            "price" => "err-price",
            "seats" => "err-seats",
            "displacement_ml" => "err-displacement_ml",
            "commercial_insurance" => "err-commercial_insurance",
            "plate_fee" => "err-plate_fee",
            "down_payment_pct" => "err-down_payment_pct",
            "term_months" => "err-term_months",
            _ => "err-annual_rate_bp",
        };
        let error = error_for(id);
        view! {
            <div class="field" class:invalid=move || error.with(Option::is_some)>
                <label for=id>{label}</label>
                <input
                    id=id
                    type="text"
                    inputmode=if id == "annual_rate_bp" { "decimal" } else { "numeric" }
                    autocomplete="off"
                    placeholder=hint
                    data-test=id
                    aria-describedby=err_id
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <FieldError message=error id=err_id />
            </div>
        }
    };

    let trim_head = move || {
        trim.get().map(|r| match r {
            Ok(Some(t)) => {
                let href = dealer.link(&Page::Series(t.series_id.clone()));
                let ch = query.with_untracked(|q| q.get("ch").map(str::to_string));
                let drive = test_drive::href(
                    &dealer.slug.get_untracked(),
                    &t.series_id,
                    Some(&t.id),
                    "calculator",
                    ch.as_deref(),
                );
                view! {
                    <div class="card calc-trim" data-test="calc-trim">
                        <h2>{t.name}</h2>
                        <PriceTag guide=t.guide_price dealer=t.dealer_price />
                        <p class="calc-links">
                            <a href=href>"查看车型详情"</a>
                            <a href=drive data-test="book-test-drive">"预约试驾"</a>
                        </p>
                    </div>
                }
                .into_any()
            }
            Ok(None) => view! {
                <p class="muted calc-trim">
                    "输入车价即可计算，或 "
                    <a href=dealer.link(&Page::Models)>"先选一款车型"</a>
                </p>
            }
            .into_any(),
            Err(e) => view! { <p class="notice" role="alert">{e.message()}</p> }.into_any(),
        })
    };
    let missing = move || {
        trim.get()
            .is_some_and(|r| r.is_err_and(|e| e.is_not_found()))
    };

    let result = move || match outcome.get() {
        Err((field, message)) => {
            let text = if field.is_empty() {
                message
            } else {
                "请先修正上面标红的输入。".into()
            };
            view! { <p class="notice" data-test="quote-invalid">{text}</p> }.into_any()
        }
        Ok(q) => view! { <QuoteView quote=q /> }.into_any(),
    };

    view! {
        <main class="page calculator">
            <Show
                when=move || !missing()
                fallback=|| view! { <NotFound /> }
            >
                <h1>{heading.clone()}</h1>
                <p class="lede">{lede.clone()}</p>
                <Show when=ready fallback=|| view! { <Loading count=2 /> }>
                {trim_head}
                <div class="tabs" role="tablist" aria-label="付款方式">
                    <button
                        type="button"
                        role="tab"
                        class:on=move || !loan.get()
                        aria-selected=move || (!loan.get()).to_string()
                        data-test="pay-full"
                        on:click=move |_| loan.set(false)
                    >
                        "全款"
                    </button>
                    <button
                        type="button"
                        role="tab"
                        class:on=move || loan.get()
                        aria-selected=move || loan.get().to_string()
                        data-test="pay-loan"
                        on:click=move |_| loan.set(true)
                    >
                        "贷款"
                    </button>
                </div>
                <form class="card calc-form" on:submit=|ev| ev.prevent_default()>
                    {field("price", "车价（元）", price, "如 189800")}
                    {field("seats", "座位数", seats, "5")}
                    <div class="field" class:invalid=move || energy_error.with(Option::is_some)>
                        <label for="energy_type">"能源类型"</label>
                        <select
                            id="energy_type"
                            data-test="energy_type"
                            aria-describedby="err-energy_type"
                            prop:value=move || energy.get().map_or("", EnergyType::key)
                            on:change=move |ev| energy.set(EnergyType::from_key(&event_target_value(&ev)))
                        >
                            <option value="">"请选择"</option>
                            {EnergyType::ALL
                                .into_iter()
                                .map(|e| view! { <option value=e.key()>{e.label()}</option> })
                                .collect_view()}
                        </select>
                        <FieldError message=energy_error id="err-energy_type" />
                    </div>
                    <Show when=move || energy.get().is_none_or(EnergyType::has_engine)>
                        {field("displacement_ml", "发动机排量（升，车船税按排量）", displacement, "如 1.5")}
                    </Show>
                    {move || period.map(|p| view! { <Listed period=p energy known listed excluded /> })}
                    {field("commercial_insurance", "商业险（元，留空按估算）", commercial, "留空自动估算")}
                    {field("plate_fee", "上牌费（元）", plate, "500")}
                    <Show when=move || loan.get()>
                        {field("down_payment_pct", "首付比例（%）", down_pct, "30")}
                        {field("term_months", "贷款期限（月，12-60）", term, "36")}
                        {field("annual_rate_bp", "年利率（%）", rate, "3.5")}
                    </Show>
                </form>
                <p class="muted small">"按 " {today.to_string()} " 购车计算，费用以实际为准。"</p>
                <section class="card quote" data-test="quote">
                    // Only the figures are announced as they change, not the share sheet.
                    <div aria-live="polite">{result}</div>
                    // What the card worked out is what a friend is sent: the button closes it.
                    <div class="quote-share">
                        <ShareButton share />
                    </div>
                </section>
                </Show>
            </Show>
        </main>
    }
}

/// Whether the car is in the MIIT catalogue for today's period: what its data says, with the
/// source, or that nobody knows yet; and the choice of what the quote assumes — none where the
/// rules rule a listing out (`excluded`, the reason), which the page says instead.
#[component]
fn Listed(
    period: ReliefPeriod,
    energy: RwSignal<Option<EnergyType>>,
    known: RwSignal<Option<Listing>>,
    listed: RwSignal<bool>,
    excluded: Memo<Option<String>>,
) -> impl IntoView {
    let catalogue = move || match energy.get() {
        Some(e) if e.is_new_energy() => "减免车辆购置税的新能源汽车车型目录",
        Some(_) => "节能车型目录（车船税减半）",
        None => "工信部减免目录",
    };
    let said = move || {
        let label = period.label();
        // The legend names the period already; the rules, not the catalogue, decide here.
        if let Some(why) = excluded.get() {
            return format!("不符合减免条件（{why}），按未列入计算。");
        }
        known.with(|k| match k {
            Some(l) => format!(
                "{}{label}目录（{}）。",
                if l.listed { "已列入" } else { "未列入" },
                l.source.as_deref().unwrap_or("")
            ),
            None => format!("未确认是否列入{label}目录，默认按未列入计算，可切换。"),
        })
    };
    let choice = move |yes: bool, text: &'static str, test: &'static str| {
        view! {
            <button
                type="button"
                role="radio"
                class:on=move || listed.get() == yes
                aria-checked=move || (listed.get() == yes).to_string()
                data-test=test
                on:click=move |_| listed.set(yes)
            >
                {text}
            </button>
        }
    };
    view! {
        <fieldset class="question field" data-test="listed">
            <legend>{period.label()} {catalogue}</legend>
            <Show when=move || excluded.with(Option::is_none)>
                <div class="tabs" role="radiogroup" aria-label="目录情况">
                    {choice(true, "按已列入计算", "listed-yes")}
                    {choice(false, "按未列入计算", "listed-no")}
                </div>
            </Show>
            <p class="muted small" data-test="listed-said">
                {said}
                {move || excluded.with(Option::is_none).then_some("以工信部目录为准。")}
            </p>
        </fieldset>
    }
}

#[component]
fn QuoteView(quote: Quote) -> impl IntoView {
    let lines = quote
        .lines
        .iter()
        .map(|l| {
            view! {
                <tr data-test="quote-line" data-key=l.key.clone()>
                    <th scope="row">
                        {l.label.clone()}
                        <small data-test="quote-note">{l.note.clone()}</small>
                    </th>
                    <td>{money::yuan(l.amount)}</td>
                </tr>
            }
        })
        .collect_view();
    let loan = quote.loan.map(|loan| {
        view! {
            <dl class="loan" data-test="loan">
                <div>
                    <dt>"月供（" {loan.term_months} "期）"</dt>
                    <dd class="big" data-test="quote-monthly">{money::yuan(loan.monthly_payment)}</dd>
                </div>
                <div>
                    <dt>"首付"</dt>
                    <dd data-test="quote-down-payment">{money::yuan(loan.down_payment)}</dd>
                </div>
                <div>
                    <dt>"贷款金额"</dt>
                    <dd data-test="quote-principal">{money::yuan(loan.principal)}</dd>
                </div>
                <div>
                    <dt>"总利息"</dt>
                    <dd data-test="quote-interest">{money::yuan(loan.total_interest)}</dd>
                </div>
                <div>
                    <dt>"首次支付（首付+税费保险）"</dt>
                    <dd data-test="quote-first-payment">{money::yuan(loan.first_payment)}</dd>
                </div>
            </dl>
        }
    });
    let missing = (!quote.missing.is_empty()).then(|| {
        view! {
            <p class="notice" data-test="quote-missing">
                "合计未含车船税：请在上方填写发动机排量。"
            </p>
        }
    });
    view! {
        {missing}
        <table class="lines">
            <caption class="sr-only">"落地价明细"</caption>
            <tbody>{lines}</tbody>
            <tfoot>
                <tr>
                    <th scope="row">"落地价合计"</th>
                    <td class="total" data-test="quote-total">{money::yuan(quote.total)}</td>
                </tr>
            </tfoot>
        </table>
        {loan}
    }
}
