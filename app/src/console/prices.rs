//! `/console/prices` 价格 (managers): every trim on sale by series with its guide price and the
//! dealer's price and the days it holds; 改价 opens a form checked by the rule the server
//! applies; the change log below says who changed what, when, from what to what.

use leptos::prelude::*;
use shared::date::Date;
use shared::money;
use shared::offer::{price_text, DealerPrice, PriceBook, PriceWindow, TrimPrice};

use super::format::short_time;
use super::loaded_page::loaded_page;
use super::{api, use_session};

#[component]
pub fn Prices() -> impl IntoView {
    loaded_page(
        "价格",
        "本店价在有效期内显示在首页、车型页和对比中；不在有效期内时，顾客看到厂商指导价，无需手动撤下。",
        4,
        api::prices,
        |book, reload| view! { <Book book reload /> },
    )
}

#[component]
fn Book(book: PriceBook, reload: RwSignal<u32>) -> impl IntoView {
    let today = book.today;
    let mut series: Vec<(String, Vec<TrimPrice>)> = Vec::new();
    for t in book.trims {
        match series.last_mut() {
            Some((name, trims)) if *name == t.series_name => trims.push(t),
            _ => series.push((t.series_name.clone(), vec![t])),
        }
    }
    let empty = series.is_empty();
    let changes = book.changes;
    view! {
        <Show when=move || empty>
            <p class="empty" data-test="prices-empty">"本店还没有在售车型，请先在「车型」中上架。"</p>
        </Show>
        {series
            .into_iter()
            .map(|(name, trims)| view! {
                <section class="c-section">
                    <h2>{name}</h2>
                    <ul class="c-list">
                        {trims.into_iter().map(|t| view! { <PriceRow trim=t today reload /> }).collect_view()}
                    </ul>
                </section>
            })
            .collect_view()}
        <section class="c-section" data-test="price-changes">
            <h2>"改价记录"</h2>
            {if changes.is_empty() {
                view! { <p class="c-sub">"还没有改过价格。"</p> }.into_any()
            } else {
                view! {
                    <ul class="c-list">
                        {changes
                            .into_iter()
                            .map(|c| view! {
                                <li class="c-card" data-test="price-change">
                                    <div class="c-sub">
                                        {format!("{} · {}", short_time(c.at), c.staff_name.unwrap_or_else(|| "已删除的员工".into()))}
                                    </div>
                                    <strong>{c.trim_name}</strong>
                                    <div>
                                        {format!(
                                            "{} → {}",
                                            price_text(c.old_price, &c.old_window),
                                            price_text(c.new_price, &c.new_window)
                                        )}
                                    </div>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// What the form holds: the typed texts, read into a [`DealerPrice`] on saving.
#[derive(Clone, Debug, Default, PartialEq)]
struct Draft {
    price: String,
    from: String,
    until: String,
}

impl Draft {
    fn of(trim: &TrimPrice) -> Self {
        let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        Draft {
            price: trim.dealer_price.map(|p| p.to_string()).unwrap_or_default(),
            from: day(trim.window.from),
            until: day(trim.window.until),
        }
    }

    /// The price the form says, or the field and message for what it cannot read.
    fn read(&self) -> Result<DealerPrice, (String, String)> {
        let day = |text: &str, field: &str| match text.trim() {
            "" => Ok(None),
            t => Date::parse(t)
                .map(Some)
                .ok_or_else(|| (field.to_string(), "请选择日期".to_string())),
        };
        let price = money::parse_yuan(&self.price).ok_or_else(|| {
            (
                "dealer_price".to_string(),
                "请输入本店价（元），如 129800".to_string(),
            )
        })?;
        let price = DealerPrice {
            dealer_price: Some(price),
            window: PriceWindow {
                from: day(&self.from, "from")?,
                until: day(&self.until, "until")?,
            },
        };
        price
            .validate()
            .map_err(|e| (e.field.unwrap_or_default(), e.message))?;
        Ok(price)
    }
}

/// One trim: its prices, and 改价 opening its form.
#[component]
fn PriceRow(trim: TrimPrice, today: Date, reload: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let shown = RwSignal::new(trim);
    let open = RwSignal::new(false);
    let draft = RwSignal::new(Draft::default());
    let error = RwSignal::new(None::<(String, String)>);
    let save = Action::new_unsync(move |price: &DealerPrice| {
        let (id, price) = (shown.get_untracked().trim_id, price.clone());
        async move { session.check(api::set_price(&id, &price).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            shown.set(saved);
            open.set(false);
            error.set(None);
            // The change log below gains a line.
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some((
            e.field().unwrap_or_default().to_string(),
            e.message(),
        ))),
        None => {}
    });
    let submit = move |price: DealerPrice| {
        if !save.pending().get_untracked() {
            error.set(None);
            save.dispatch(price);
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.get_untracked().read() {
            Ok(price) => submit(price),
            Err(e) => error.set(Some(e)),
        }
    };
    let invalid = move |field: &'static str| {
        move || {
            error
                .with(|e| e.as_ref().is_some_and(|(f, _)| f == field))
                .to_string()
        }
    };
    let input = move |field: &'static str, kind: &'static str, label: &'static str| {
        let id = format!("c-price-{field}-{}", shown.get_untracked().trim_id);
        let get = move || {
            draft.with(|d| match field {
                "dealer_price" => d.price.clone(),
                "from" => d.from.clone(),
                _ => d.until.clone(),
            })
        };
        view! {
            <div class="c-field">
                <label for=id.clone()>{label}</label>
                <input
                    id=id
                    type=kind
                    inputmode=if kind == "text" { "numeric" } else { "" }
                    data-test=format!("price-{field}")
                    aria-invalid=invalid(field)
                    prop:value=get
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|d| match field {
                            "dealer_price" => d.price = value,
                            "from" => d.from = value,
                            _ => d.until = value,
                        })
                    }
                />
            </div>
        }
    };
    let summary = move || {
        let t = shown.get();
        let guide = t.guide_price.map_or("指导价 未公布".to_string(), |p| {
            format!("指导价 {}", money::yuan(p))
        });
        let dealer = match t.dealer_price {
            None => "按指导价销售".to_string(),
            Some(p) => {
                let state = if t.window.holds_on(today) {
                    ""
                } else {
                    "（不在有效期，顾客看到指导价）"
                };
                format!("本店价 {}，{}{state}", money::yuan(p), t.window.text())
            }
        };
        (guide, dealer)
    };
    view! {
        <li class="c-card" data-test="trim-price" data-id=move || shown.get().trim_id>
            <strong>{move || shown.get().trim_name}</strong>
            <div class="c-sub">{move || summary().0}</div>
            <div data-test="dealer-price">{move || summary().1}</div>
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button
                        type="button"
                        class="btn btn-line btn-small"
                        data-test="edit-price"
                        on:click=move |_| {
                            draft.set(Draft::of(&shown.get_untracked()));
                            error.set(None);
                            open.set(true);
                        }
                    >
                        "改价"
                    </button>
                }
            >
                <form class="c-form" on:submit=on_submit novalidate data-test="price-form">
                    {input("dealer_price", "text", "本店价（元）")}
                    {input("from", "date", "开始日期（可不填，即日起）")}
                    {input("until", "date", "截止日期（可不填，长期有效）")}
                    <p class="c-error" role="alert" data-test="price-error">{move || error.get().map(|(_, m)| m)}</p>
                    <button type="submit" class="btn btn-primary btn-block" data-test="save-price" disabled=move || save.pending().get()>
                        "保存"
                    </button>
                    <Show when=move || shown.get().dealer_price.is_some()>
                        <button
                            type="button"
                            class="btn btn-line btn-block"
                            data-test="guide-price"
                            on:click=move |_| submit(DealerPrice { dealer_price: None, window: PriceWindow::default() })
                        >
                            "恢复指导价"
                        </button>
                    </Show>
                    <button type="button" class="btn btn-line btn-block" on:click=move |_| open.set(false)>"取消"</button>
                </form>
            </Show>
            <Show when=move || !open.get()>
                <p class="c-error" role="alert">{move || error.get().map(|(_, m)| m)}</p>
            </Show>
        </li>
    }
}
