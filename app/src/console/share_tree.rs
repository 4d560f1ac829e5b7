//! A lead's share tree on its page (转发链): the consultant's link at the top, then who
//! forwarded to whom and when, level by level, this lead marked, and how its consultant was
//! chosen.

use leptos::prelude::*;
use shared::attribution::ShareTree;

use super::format::short_time;
use super::{api, use_session};

#[component]
pub fn ShareTreeSection(lead_id: i64) -> impl IntoView {
    let session = use_session();
    let tree =
        LocalResource::new(move || async move { session.check(api::share_tree(lead_id).await) });
    let content = move || match tree.get() {
        None => view! { <p class="c-sub">"加载中…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="c-error" role="alert">{e.message()}</p> }.into_any(),
        Some(Ok(tree)) => view! { <TreeView tree /> }.into_any(),
    };
    view! {
        <section class="c-section" data-test="share-tree">
            <h2>"转发链"</h2>
            {content}
        </section>
    }
}

#[component]
fn TreeView(tree: ShareTree) -> impl IntoView {
    if tree.nodes.is_empty() && tree.root.is_none() {
        return view! { <p class="c-none" data-test="share-tree-empty">"没有经分享链接而来"</p> }
            .into_any();
    }
    let credit = tree
        .credit
        .map(|c| view! { <p class="c-sub" data-test="share-credit">"归属方式：" {c.label()}</p> });
    let root = tree.root.map(|root| {
        let campaign = root.campaign.map(|c| format!(" · {c}"));
        view! {
            <li class="c-tree-root" data-test="share-root">
                <strong>{root.staff_name}</strong>
                <span class="c-sub">" 的" {root.channel.label()} "链接" {campaign}</span>
            </li>
        }
    });
    let nodes = tree
        .nodes
        .into_iter()
        .map(|node| {
            let indent = ("--level", node.level.clamp(1, 6).to_string());
            let when = node.at.map(short_time).unwrap_or_default();
            let via = node.channel.map(|c| format!("经{}", c.label()));
            let name = match node.lead_id {
                Some(id) if !node.is_this_lead => view! {
                    <a href=format!("/console/leads/{id}")>{node.label}</a>
                }
                .into_any(),
                _ => view! { <span>{node.label}</span> }.into_any(),
            };
            view! {
                <li
                    class="c-tree-node"
                    class:c-tree-this=node.is_this_lead
                    style=indent
                    data-test="share-node"
                    data-level=node.level
                >
                    <span class="c-tree-level">{format!("{}级", node.level)}</span>
                    {name}
                    {node.is_this_lead.then(|| view! { <span class="c-tree-tag">"本线索"</span> })}
                    <span class="c-sub c-tree-when">{when} " " {via}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        {credit}
        <ol class="c-card c-tree">{root} {nodes}</ol>
    }
    .into_any()
}
