//! `/console/catalog/{series}/import` (managers): 导入参数表. Choose the OEM's sheet (XLSX or
//! CSV) → a preview with counts (matched, new, conflicts, unknown rows, cell errors) and the
//! values it would write → 确认导入; below, the dealer's imports with who and when, each
//! confirmed one with 撤销.

use leptos::prelude::*;
use shared::spec_import::{ImportStatus, SpecImport as Import};
use shared::spec_sheet::{Plan, Target};
use wasm_bindgen::JsCast;

use super::format::short_time;
use super::{api, path_segment, use_session, CATALOG};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn SpecImport() -> impl IntoView {
    super::set_title("导入参数表");
    let session = use_session();
    let series = path_segment(2);
    let preview = RwSignal::new(None::<Import>);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let history = LocalResource::new(move || async move { session.check(api::imports().await) });
    let series_for_upload = series.clone();
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        let series = series_for_upload.clone();
        error.set(None);
        notice.set(None);
        preview.set(None);
        busy.set(true);
        // Sent while the page is open; an answer after it has gone is dropped.
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            match session.check(api::upload_sheet(&series, file).await) {
                Ok(p) => preview.set(Some(p)),
                Err(e) => error.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    let step = move |id: i64, what: &'static str| {
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            match session.check(api::import_step(id, what).await) {
                Ok(done) => {
                    notice.set(Some(match what {
                        "confirm" if done.plan.is_noop() => {
                            "参数表与现有参数一致，没有需要写入的内容".to_string()
                        }
                        "confirm" => format!(
                            "已导入 {} 项参数，顾客的对比页随即更新",
                            done.plan.changes.len()
                        ),
                        _ => "已撤销该次导入".to_string(),
                    }));
                    preview.set(None);
                    history.refetch();
                }
                Err(e) => error.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    let back = format!("{CATALOG}/{series}");
    view! {
        <main class="c-page">
            <a class="c-back" href=back>"‹ 车系"</a>
            <h1 class="c-title">"导入参数表"</h1>
            <p class="c-sub">
                "上传厂商参数配置表（XLSX，或 UTF-8、GBK 编码的 CSV，5MB 以内）：第一列为参数名（含单位，如 最大功率(kW)），\
                 其后每列一个车型。● 标配记为“是”，○ 记为“选配”，- 记为“无”，空白为未知。\
                 与本店自有车型同名的列更新该车型，新名称的列新建自有车型，平台车型只读、跳过。确认前不会写入。"
            </p>
            <div class="c-field">
                <input id="sheet-file" class="c-file" type="file" data-test="sheet-file"
                    accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                    on:change=on_file />
                <label for="sheet-file" class="btn btn-line btn-small c-file-pick">
                    {move || if busy.get() { "处理中…" } else { "选择参数表文件" }}
                </label>
            </div>
            <p class="c-error" role="alert" data-test="import-error">{move || error.get()}</p>
            <p class="c-ok" role="status" data-test="import-notice">{move || notice.get()}</p>
            {move || preview.get().map(|p| {
                let id = p.id;
                view! {
                    <PreviewView import=p />
                    <button class="btn btn-primary btn-block" data-test="import-confirm"
                        disabled=move || busy.get() on:click=move |_| step(id, "confirm")>"确认导入"</button>
                }
            })}
            <section class="c-section">
                <h2>"导入记录"</h2>
                {move || match history.get() {
                    None => view! { <Loading count=2 /> }.into_any(),
                    Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="c-sub">"还没有导入记录"</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="c-list" data-test="import-history">
                            {list.into_iter().map(|i| {
                                let id = i.id;
                                let undoable = i.status == ImportStatus::Confirmed
                                    && (!i.plan.changes.is_empty() || i.plan.new_trims() > 0);
                                view! {
                                    <li class="c-card" data-test="import-row">
                                        <strong>{format!("{} · {}", i.series_name, i.file_name)}</strong>
                                        <p class="c-sub">{format!("{} · {} · {} · {} 项参数，新建 {} 个车型",
                                            i.staff_name, short_time(i.created_at), i.status.label(),
                                            i.plan.changes.len(), i.plan.new_trims())}</p>
                                        {undoable.then(|| view! {
                                            <button class="btn btn-line btn-small" data-test="import-undo"
                                                disabled=move || busy.get() on:click=move |_| step(id, "undo")>"撤销"</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </section>
        </main>
    }
}

/// What an import would do, with counts first.
#[component]
fn PreviewView(import: Import) -> impl IntoView {
    let plan: Plan = import.plan;
    let new = plan.changes.iter().filter(|c| c.old.is_none()).count();
    let summary = format!(
        "匹配 {} 项（新增 {new}，冲突 {}，不变 {}）· 未识别 {} 行 · 错误 {} 格",
        plan.matched(),
        plan.conflicts(),
        plan.unchanged,
        plan.unknown_rows.len(),
        plan.errors.len()
    );
    let columns = plan.columns.clone();
    let column_name = move |i: usize| columns.get(i).map(|c| c.name.clone()).unwrap_or_default();
    view! {
        <section class="c-section" data-test="import-preview">
            <h2>"预览"</h2>
            <p class="c-card" data-test="import-summary">{summary}</p>
            <ul class="c-list">
                {plan.columns.iter().map(|c| {
                    let what = match &c.target {
                        Target::Own(_) => "更新本店自有车型",
                        Target::New | Target::Created(_) => "新建自有车型",
                        Target::Platform(_) => "平台车型，只读，跳过",
                    };
                    view! { <li class="c-sub" data-test="import-column">{format!("{}：{what}", c.name)}</li> }
                }).collect_view()}
            </ul>
            {(!plan.errors.is_empty()).then(|| view! {
                <h3>"单元格错误（不导入）"</h3>
                <ul class="c-list" data-test="import-errors">
                    {plan.errors.iter().map(|e| view! {
                        <li class="c-error">{format!("第{}行 {} · {}：{}", e.line, e.row, e.column, e.message)}</li>
                    }).collect_view()}
                </ul>
            })}
            {(!plan.unknown_rows.is_empty()).then(|| view! {
                <h3>"未识别的参数行（不导入）"</h3>
                <p class="c-sub" data-test="import-unknown">{plan.unknown_rows.join("、")}</p>
            })}
            <div class="c-table-wrap">
                <table class="c-table" data-test="import-changes">
                    <thead><tr><th>"车型"</th><th>"参数"</th><th>"原值"</th><th>"新值"</th></tr></thead>
                    <tbody>
                        {plan.changes.iter().map(|c| view! {
                            <tr class:c-conflict=c.old.is_some()>
                                <td>{column_name(c.column)}</td>
                                <td>{c.item.clone()}</td>
                                <td>{c.old.as_ref().map(|v| v.display()).unwrap_or_else(|| "—".into())}</td>
                                <td>{c.new.display()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
