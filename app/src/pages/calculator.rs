//! `/{dealer}/calculator?trim=ID`: the purchase calculator (购车计算器). The trim's price,
//! seats and energy type preload the form; every keystroke is validated with
//! `QuoteRequest::validate` and quoted locally with `shared::quote::quote` for today's date.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::catalog::Trim;
use shared::money;
use shared::quote::{parse_percent_bp, quote, LoanTerms, Quote, QuoteRequest, DEFAULT_PLATE_FEE};

use crate::components::field_error::FieldError;
use crate::components::price_tag::PriceTag;
use crate::pages::not_found::NotFound;
use crate::{api, use_dealer};

/// The trim behind `?trim=ID`: its series comes from the comparison head, the full trim
/// (seats, energy type) from the series detail.
async fn load_trim(dealer: &str, id: &str) -> Result<Trim, api::Error> {
    let not_found = || {
        api::Error::Api(shared::ApiError {
            code: "not_found".into(),
            message: "车型不存在".into(),
            field: Some("trim".into()),
        })
    };
    let comparison = api::compare(dealer, &[id.to_string()]).await?;
    let head = comparison.trims.into_iter().next().ok_or_else(not_found)?;
    let detail = api::series_detail(dealer, &head.series_id).await?;
    detail
        .trims
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(not_found)
}

/// A whole number of yuan typed by a person: spaces and thousands separators allowed.
fn parse_yuan(text: &str) -> Option<i64> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    digits.parse().ok()
}

type Outcome = Result<Quote, (String, String)>;

#[component]
pub fn Calculator() -> impl IntoView {
    crate::set_title("购车计算器");
    let dealer = use_dealer();
    let query = use_query_map();
    let trim_id =
        Memo::new(move |_| query.with(|q| q.get("trim").filter(|t| !t.trim().is_empty())));
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

    let price = RwSignal::new(String::new());
    let seats = RwSignal::new("5".to_string());
    let new_energy = RwSignal::new(true);
    let commercial = RwSignal::new(String::new());
    let plate = RwSignal::new(DEFAULT_PLATE_FEE.to_string());
    let loan = RwSignal::new(false);
    let down_pct = RwSignal::new("30".to_string());
    let term = RwSignal::new("36".to_string());
    let rate = RwSignal::new("3.5".to_string());

    Effect::new(move |_| {
        if let Some(Ok(Some(t))) = trim.get() {
            if let Some(p) = t.price() {
                price.set(p.to_string());
            }
            seats.set(t.seats.unwrap_or(5).to_string());
            new_energy.set(t.energy_type.is_some_and(|e| e.is_new_energy()));
        }
    });

    let today = crate::today();
    let outcome = Memo::new(move |_| -> Outcome {
        let bad = |field: &str, message: &str| Err((field.to_string(), message.to_string()));
        if price.with(|p| p.trim().is_empty()) {
            // Nothing typed yet is no mistake: the result area asks for a price instead.
            return bad("", "输入车价后即可看到落地价。");
        }
        let Some(price) = price.with(|p| parse_yuan(p)) else {
            return bad("price", "请输入车价（元），如 189800");
        };
        let Some(seats) = seats.with(|s| s.trim().parse().ok()) else {
            return bad("seats", "请输入座位数");
        };
        let commercial_insurance = match commercial.with(|c| c.trim().is_empty()) {
            true => None,
            false => match commercial.with(|c| parse_yuan(c)) {
                Some(v) => Some(v),
                None => {
                    return bad(
                        "commercial_insurance",
                        "请输入商业险金额（元），或留空按估算",
                    )
                }
            },
        };
        let Some(plate_fee) = plate.with(|p| parse_yuan(p)) else {
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
            new_energy: new_energy.get(),
            purchase_date: today,
            commercial_insurance,
            plate_fee,
            loan,
        };
        request
            .validate()
            .map_err(|e| (e.field.unwrap_or_default(), e.message))?;
        Ok(quote(&request))
    });
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            outcome.with(|o| match o {
                Err((f, m)) if f == field => Some(m.clone()),
                _ => None,
            })
        })
    };

    let field = move |id: &'static str,
                      label: &'static str,
                      value: RwSignal<String>,
                      hint: &'static str| {
        let err_id = match id {
            "price" => "err-price",
            "seats" => "err-seats",
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
                let href = dealer.href(&format!("/models/{}", t.series_id));
                view! {
                    <div class="card calc-trim" data-test="calc-trim">
                        <h2>{t.full_name()}</h2>
                        <PriceTag guide=t.guide_price dealer=t.dealer_price />
                        <a href=href>"查看车型详情"</a>
                    </div>
                }
                .into_any()
            }
            Ok(None) => view! {
                <p class="muted calc-trim">
                    "输入车价即可计算，或 "
                    <a href=dealer.href("/models")>"先选一款车型"</a>
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
                <h1>"购车计算器"</h1>
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
                    <label class="check">
                        <input
                            type="checkbox"
                            data-test="new_energy"
                            prop:checked=new_energy
                            on:change=move |ev| new_energy.set(event_target_checked(&ev))
                        />
                        "新能源车型（插混、增程、纯电，享购置税减免）"
                    </label>
                    {field("commercial_insurance", "商业险（元，留空按估算）", commercial, "留空自动估算")}
                    {field("plate_fee", "上牌费（元）", plate, "500")}
                    <Show when=move || loan.get()>
                        {field("down_payment_pct", "首付比例（%）", down_pct, "30")}
                        {field("term_months", "贷款期限（月，12-60）", term, "36")}
                        {field("annual_rate_bp", "年利率（%）", rate, "3.5")}
                    </Show>
                </form>
                <p class="muted small">"按 " {today.to_string()} " 购车计算，费用以实际为准。"</p>
                <section class="card quote" aria-live="polite" data-test="quote">
                    {result}
                </section>
            </Show>
        </main>
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
                        {l.note.clone().map(|n| view! { <small>{n}</small> })}
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
    view! {
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
