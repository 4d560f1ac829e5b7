//! `/console/staff` (员工; managers and admins): every staff member with role, stores and
//! state; adding someone, which shows their one-time sign-in link to copy (and its QR);
//! changing a role and stores; a password reset (a new link); disabling, after a confirm; and
//! for admins the audit log of every change. Roles a manager may not grant are not offered,
//! and the server refuses them too.

use leptos::prelude::*;
use shared::catalog::Store;
use shared::console::Role;
use shared::staff::{AuditEntry, NewStaff, SignInLink, StaffChange, StaffMember, StaffSnapshot};

use super::format::short_time;
use super::{api, use_session, STAFF};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn Staff() -> impl IntoView {
    super::set_title("员工");
    let session = use_session();
    let Some(me) = session.me() else {
        return ().into_any();
    };
    let stores = StoredValue::new(me.stores.clone());
    let my_role = me.staff.role;
    let my_id = me.staff.id;
    // Bumped after every change: the list and the log read again.
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.track();
        async move { session.check(api::staff_list().await) }
    });
    let issued = RwSignal::new(None::<(String, SignInLink)>);
    view! {
        <main class="c-page">
            <h1 class="c-title">"员工"</h1>
            <AddForm my_role stores version issued />
            {move || issued.get().map(|(whom, link)| view! { <LinkCard whom link /> })}
            <section class="c-section">
                <h2>"全部员工"</h2>
                {move || match list.get() {
                    None => view! { <Loading count=3 /> }.into_any(),
                    Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
                    Some(Ok(members)) => view! {
                        <div class="c-list" data-test="staff-list">
                            {members
                                .into_iter()
                                .map(|member| view! {
                                    <MemberCard member my_role my_id stores version issued />
                                })
                                .collect_view()}
                        </div>
                    }
                    .into_any(),
                }}
            </section>
            <Show when=move || my_role == Role::Admin>
                <AuditLog version />
            </Show>
        </main>
    }
    .into_any()
}

/// The roles `by` may give, most common first.
fn grantable(by: Role) -> Vec<Role> {
    Role::ALL.into_iter().filter(|r| by.may_grant(*r)).collect()
}

fn store_names(stores: &[Store], ids: &[i64]) -> String {
    let names: Vec<&str> = ids
        .iter()
        .filter_map(|id| stores.iter().find(|s| s.id == *id).map(|s| s.name.as_str()))
        .collect();
    if names.is_empty() {
        "未分配门店".into()
    } else {
        names.join("、")
    }
}

/// A role picker and the store check boxes, shared by the add form and a member's editor.
#[component]
fn RoleAndStores(
    my_role: Role,
    stores: StoredValue<Vec<Store>>,
    role: RwSignal<Role>,
    picked: RwSignal<Vec<i64>>,
    test: &'static str,
) -> impl IntoView {
    let options = grantable(my_role)
        .into_iter()
        .map(|r| {
            view! {
                <option value=r.as_str() selected=move || role.get() == r>{r.label()}</option>
            }
        })
        .collect_view();
    let boxes = stores
        .get_value()
        .into_iter()
        .map(|store| {
            let id = store.id;
            view! {
                <label class="c-check">
                    <input
                        type="checkbox"
                        data-test="staff-store"
                        prop:checked=move || picked.with(|p| p.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            picked.update(|p| {
                                p.retain(|x| *x != id);
                                if on {
                                    p.push(id);
                                }
                            });
                        }
                    />
                    <span>{store.name}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="c-field">
            <label for=format!("c-{test}-role")>"角色"</label>
            <select
                id=format!("c-{test}-role")
                data-test=format!("{test}-role")
                on:change=move |ev| {
                    if let Some(r) = Role::parse(&event_target_value(&ev)) {
                        role.set(r);
                    }
                }
            >
                {options}
            </select>
        </div>
        <fieldset class="c-field c-stores">
            <legend>"所在门店"</legend>
            {boxes}
            {stores.with_value(Vec::is_empty).then(|| view! {
                <p class="c-sub">"还没有门店：先在“门店”中添加，再为员工分配。"</p>
            })}
        </fieldset>
    }
}

#[component]
fn AddForm(
    my_role: Role,
    stores: StoredValue<Vec<Store>>,
    version: RwSignal<u32>,
    issued: RwSignal<Option<(String, SignInLink)>>,
) -> impl IntoView {
    let session = use_session();
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let wechat = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Consultant);
    let picked = RwSignal::new(Vec::<i64>::new());
    let error = RwSignal::new(None::<(Option<String>, String)>);
    let add = Action::new_unsync(move |new: &NewStaff| {
        let new = new.clone();
        async move { session.check(api::add_staff(&new).await) }
    });
    Effect::new(move |_| match add.value().get() {
        Some(Ok(added)) => {
            issued.set(Some((added.member.name.clone(), added.link)));
            for field in [name, login, phone, wechat] {
                field.set(String::new());
            }
            picked.set(Vec::new());
            open.set(false);
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => error.set(Some((e.field().map(str::to_string), e.message()))),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = NewStaff {
            name: name.get_untracked(),
            login: login.get_untracked(),
            role: role.get_untracked(),
            store_ids: picked.get_untracked(),
            phone: phone.get_untracked(),
            wechat: Some(wechat.get_untracked()),
        };
        match form.validate() {
            Err(e) => error.set(Some((e.field.clone(), e.message))),
            Ok(clean) if !add.pending().get_untracked() => {
                error.set(None);
                add.dispatch(clean);
            }
            Ok(_) => {}
        }
    };
    // A field's error shows under it; any other (a role or store the server refused) below
    // the form. Typing again clears it.
    let message_of = move |field: &'static str| {
        move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|(f, _)| f.as_deref() == Some(field))
                    .map(|(_, m)| m.clone())
            })
        }
    };
    let elsewhere = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|(f, _)| {
                    !matches!(f.as_deref(), Some("name" | "login" | "phone" | "wechat"))
                })
                .map(|(_, m)| m.clone())
        })
    };
    let input = move |id: &'static str,
                      label: &'static str,
                      field: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str| {
        view! {
            <div class="c-field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type=kind
                    autocapitalize="off"
                    data-test=format!("new-{field}")
                    aria-invalid=move || message_of(field)().is_some().to_string()
                    prop:value=value
                    on:input=move |ev| {
                        error.set(None);
                        value.set(event_target_value(&ev));
                    }
                />
                <p class="c-error" role="alert" data-test=format!("new-{field}-error")>
                    {message_of(field)}
                </p>
            </div>
        }
    };
    view! {
        <Show
            when=move || open.get()
            fallback=move || view! {
                <button type="button" class="btn btn-primary btn-block" data-test="add-staff"
                    on:click=move |_| { issued.set(None); open.set(true); }>
                    "添加员工"
                </button>
            }
        >
            <form class="c-card c-form" on:submit=on_submit novalidate data-test="add-staff-form">
                <h2>"添加员工"</h2>
                {input("c-new-name", "姓名", "name", name, "text")}
                {input("c-new-login", "登录账号（小写字母、数字或 - _ .）", "login", login, "text")}
                <RoleAndStores my_role stores role picked test="new" />
                {input("c-new-phone", "工作电话", "phone", phone, "tel")}
                {input("c-new-wechat", "微信号（选填）", "wechat", wechat, "text")}
                <p class="c-error" role="alert" data-test="add-staff-error">{elsewhere}</p>
                <div class="c-actions">
                    <button type="submit" class="btn btn-primary" data-test="save-staff"
                        disabled=move || add.pending().get()>
                        "添加并生成登录链接"
                    </button>
                    <button type="button" class="btn btn-line" on:click=move |_| open.set(false)>
                        "取消"
                    </button>
                </div>
            </form>
        </Show>
    }
}

/// A one-time link just issued: to copy (or scan) and send to the person.
#[component]
fn LinkCard(whom: String, link: SignInLink) -> impl IntoView {
    view! {
        <section class="c-card c-link-issued" data-test="issued-link" role="status">
            <h2>{format!("{whom}的一次性登录链接")}</h2>
            <p class="c-sub">
                {format!(
                    "发给{whom}本人：打开后设置密码即可登录。{} 前有效，只能使用一次。",
                    short_time(link.expires_at)
                )}
            </p>
            <super::wechat::CopyRow label="登录链接" url=link.url test="issued-url" rows=3 />
            <div class="c-qr" inner_html=link.qr_svg aria-label="登录链接二维码"></div>
        </section>
    }
}

#[component]
fn MemberCard(
    member: StaffMember,
    my_role: Role,
    my_id: i64,
    stores: StoredValue<Vec<Store>>,
    version: RwSignal<u32>,
    issued: RwSignal<Option<(String, SignInLink)>>,
) -> impl IntoView {
    let session = use_session();
    let manageable = my_role.may_grant(member.role) && member.active;
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let role = RwSignal::new(member.role);
    let picked = RwSignal::new(member.store_ids.clone());
    let id = member.id;
    let name = member.name.clone();
    let save = Action::new_unsync(move |change: &StaffChange| {
        let change = change.clone();
        async move { session.check(api::change_staff(id, &change).await) }
    });
    let reset =
        Action::new_unsync(move |_: &()| async move { session.check(api::reset_staff(id).await) });
    let disable =
        Action::new_unsync(
            move |_: &()| async move { session.check(api::disable_staff(id).await) },
        );
    let done = move |result: Option<Result<(), api::Error>>| match result {
        Some(Ok(())) => {
            editing.set(false);
            confirming.set(false);
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    };
    Effect::new(move |_| done(save.value().get().map(|r| r.map(drop))));
    Effect::new(move |_| done(disable.value().get().map(|r| r.map(drop))));
    Effect::new({
        let name = name.clone();
        move |_| {
            let result = reset.value().get();
            if let Some(Ok(link)) = &result {
                issued.set(Some((name.clone(), link.clone())));
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
            done(result.map(|r| r.map(drop)));
        }
    });
    let busy = move || save.pending().get() || reset.pending().get() || disable.pending().get();
    let state = if !member.active {
        Some(("已停用", "c-status c-off"))
    } else if !member.has_password {
        Some(("待设置密码", "c-badge"))
    } else {
        None
    };
    let stores_text = stores.with_value(|s| store_names(s, &member.store_ids));
    let contact = match &member.wechat {
        Some(w) => format!("{} · 微信 {w}", member.phone),
        None => member.phone.clone(),
    };
    view! {
        <article class="c-card c-member" class:c-disabled=!member.active data-test="staff-member"
            data-login=member.login.clone()>
            <div class="c-row-head">
                <span class="c-name">{member.name.clone()}</span>
                <span class="c-kind">{member.role.label()}</span>
                {state.map(|(text, class)| view! { <span class=class data-test="member-state">{text}</span> })}
            </div>
            <p class="c-sub">{format!("账号 {} · {stores_text}", member.login)}</p>
            <p class="c-sub c-phone">{contact}</p>
            {member.disabled_at.map(|at| view! {
                <p class="c-sub">{format!("{} 停用", short_time(at))}</p>
            })}
            {(!member.active && my_role == Role::Admin).then(|| view! {
                <a class="btn btn-line btn-small" href=format!("{STAFF}/{id}/hand-over") data-test="hand-over-member">
                    "离职继承：把客户交给同事"
                </a>
            })}
            <Show when=move || editing.get()>
                <form class="c-form c-edit" on:submit=move |ev| {
                    ev.prevent_default();
                    let change = StaffChange { role: role.get_untracked(), store_ids: picked.get_untracked() };
                    if !busy() { error.set(None); save.dispatch(change); }
                }>
                    <RoleAndStores my_role stores role picked test="edit" />
                    <div class="c-actions">
                        <button type="submit" class="btn btn-primary btn-small" data-test="save-member" disabled=busy>"保存"</button>
                        <button type="button" class="btn btn-line btn-small" on:click=move |_| editing.set(false)>"取消"</button>
                    </div>
                </form>
            </Show>
            <Show when=move || confirming.get()>
                <div class="c-confirm" role="alertdialog" aria-label="确认停用">
                    <p>{format!("停用后{name}立即退出所有设备、不能再登录；其名片和分享链接仍然有效，可在离职继承中交给同事。")}</p>
                    <div class="c-actions">
                        <button type="button" class="btn btn-line btn-small c-danger" data-test="confirm-disable"
                            disabled=busy on:click=move |_| { error.set(None); disable.dispatch(()); }>
                            "确认停用"
                        </button>
                        <button type="button" class="btn btn-line btn-small" on:click=move |_| confirming.set(false)>"取消"</button>
                    </div>
                </div>
            </Show>
            {(manageable).then(|| view! {
                <Show when=move || !editing.get() && !confirming.get()>
                    <div class="c-actions">
                        <button type="button" class="btn btn-line btn-small" data-test="edit-member"
                            on:click=move |_| editing.set(true)>"修改角色/门店"</button>
                        <button type="button" class="btn btn-line btn-small" data-test="reset-member"
                            disabled=busy on:click=move |_| { error.set(None); reset.dispatch(()); }>"重置密码"</button>
                        {(id != my_id).then(|| view! {
                            <button type="button" class="btn btn-line btn-small c-danger" data-test="disable-member"
                                on:click=move |_| confirming.set(true)>"停用"</button>
                        })}
                    </div>
                </Show>
            })}
            <p class="c-error" role="alert" data-test="member-error">{move || error.get()}</p>
        </article>
    }
}

/// What changed between two snapshots, in words: `角色：销售顾问 → 销售经理`.
fn difference(before: Option<&StaffSnapshot>, after: Option<&StaffSnapshot>) -> String {
    match (before, after) {
        (None, Some(a)) => format!("{}，账号 {}", a.role.label(), a.login),
        (Some(b), Some(a)) => {
            let mut parts = Vec::new();
            if b.role != a.role {
                parts.push(format!("角色：{} → {}", b.role.label(), a.role.label()));
            }
            if b.store_ids != a.store_ids {
                parts.push(format!(
                    "门店：{} 家 → {} 家",
                    b.store_ids.len(),
                    a.store_ids.len()
                ));
            }
            if b.active != a.active {
                parts.push(format!(
                    "状态：{} → {}",
                    if b.active { "在职" } else { "停用" },
                    if a.active { "在职" } else { "停用" }
                ));
            }
            parts.join("；")
        }
        _ => String::new(),
    }
}

#[component]
fn AuditLog(version: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let log = LocalResource::new(move || {
        version.track();
        async move { session.check(api::staff_audit().await) }
    });
    let row = |entry: AuditEntry| {
        let change = difference(entry.before.as_ref(), entry.after.as_ref());
        view! {
            <li class="c-audit-row" data-test="audit-entry" data-action=entry.action.as_str()>
                <span class="c-time">{short_time(entry.at)}</span>
                <span>
                    {format!(
                        "{} · {}：{}",
                        entry.actor.unwrap_or_else(|| "运维（命令行）".into()),
                        entry.action.label(),
                        entry.staff_name
                    )}
                </span>
                {(!change.is_empty()).then(|| view! { <span class="c-sub">{change}</span> })}
            </li>
        }
    };
    view! {
        <section class="c-section" data-test="audit-log">
            <h2>"变更记录"</h2>
            {move || match log.get() {
                None => view! { <Loading count=2 /> }.into_any(),
                Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
                Some(Ok(entries)) if entries.is_empty() => {
                    view! { <p class="c-none">"暂无变更"</p> }.into_any()
                }
                Some(Ok(entries)) => view! {
                    <ul class="c-card c-audit">{entries.into_iter().map(row).collect_view()}</ul>
                }
                .into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(role: Role, stores: Vec<i64>, active: bool) -> StaffSnapshot {
        StaffSnapshot {
            name: "王磊".into(),
            login: "wang".into(),
            role,
            store_ids: stores,
            active,
        }
    }

    #[test]
    fn an_audit_line_names_what_changed() {
        let before = snap(Role::Consultant, vec![1], true);
        assert_eq!(
            difference(Some(&before), Some(&snap(Role::Manager, vec![1, 2], true))),
            "角色：销售顾问 → 销售经理；门店：1 家 → 2 家"
        );
        assert_eq!(
            difference(Some(&before), Some(&snap(Role::Consultant, vec![1], false))),
            "状态：在职 → 停用"
        );
        assert_eq!(difference(None, Some(&before)), "销售顾问，账号 wang");
        assert_eq!(difference(None, None), "");
    }

    #[test]
    fn a_manager_is_offered_only_the_roles_below_them() {
        assert_eq!(
            grantable(Role::Manager),
            vec![Role::ServiceAdvisor, Role::Consultant]
        );
        assert_eq!(grantable(Role::Admin).len(), 4);
    }
}
