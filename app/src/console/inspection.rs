//! A car's annual inspection on its console page: the next one (what, by when) and, when the
//! car follows Art. 16 rather than the 2022 exemption, why; the manufacture date; and the two
//! marks staff set later (an accident with casualties, a penalty for illegal modification).

use leptos::prelude::*;
use shared::inspection::{InspectionDue, InspectionFacts};
use shared::owner::InspectionMarks;

use super::{api, use_session};

/// What the inspection line says: kind, due day and, for an Art. 16 car, the reason.
pub fn due_text(due: &InspectionDue) -> String {
    let why = due.exception.map_or(String::new(), |e| {
        format!("（{}，不适用6年免检，按《实施条例》第16条）", e.label())
    });
    format!("{} · {}前{why}", due.kind.label(), due.due)
}

#[component]
pub fn InspectionCard(
    car: i64,
    facts: InspectionFacts,
    due: Option<InspectionDue>,
    /// Bumped after a save, so the page reads the car again.
    version: RwSignal<u32>,
) -> impl IntoView {
    let session = use_session();
    let casualty = RwSignal::new(facts.casualty_accident);
    let modification = RwSignal::new(facts.modification_penalty);
    let save = Action::new_unsync(move |marks: &InspectionMarks| {
        let marks = *marks;
        async move { session.check(api::mark_inspection(car, &marks).await) }
    });
    Effect::new(move || {
        if let Some(Ok(_)) = save.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let check = move |flag: RwSignal<bool>, test: &'static str, label: &'static str| {
        view! {
            <label class="c-check">
                <input type="checkbox" data-test=test prop:checked=flag
                    on:change=move |ev| flag.set(event_target_checked(&ev)) />
                {label}
            </label>
        }
    };
    let made = facts
        .manufactured_on
        .map_or("未登记".to_string(), |d| d.to_string());
    view! {
        <section class="c-card" data-test="car-inspection">
            <h2>"年检"</h2>
            <p class="c-sub" data-test="inspection-due">{due.as_ref().map(due_text)}</p>
            <p class="c-sub">{format!("出厂日期：{made}")}</p>
            {check(casualty, "mark-casualty", "发生过造成人员伤亡的交通事故")}
            {check(modification, "mark-modification", "因非法改装被依法处罚")}
            <button type="button" class="btn btn-line" data-test="save-marks"
                disabled=move || save.pending().get()
                on:click=move |_| {
                    save.dispatch(InspectionMarks {
                        casualty_accident: casualty.get_untracked(),
                        modification_penalty: modification.get_untracked(),
                    });
                }>"保存年检情况"</button>
            <p class="c-error" role="alert">{move || save.value().get().and_then(Result::err).map(|e| e.message())}</p>
        </section>
    }
}
