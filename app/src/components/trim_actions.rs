//! The 加入对比 toggle for one trim, backed by the compare basket.

use leptos::prelude::*;

use crate::basket::Basket;
use crate::use_toast;

#[component]
pub fn CompareToggle(id: String) -> impl IntoView {
    let basket = expect_context::<Basket>();
    let toast = use_toast();
    let in_basket = {
        let id = id.clone();
        Memo::new(move |_| basket.contains(&id))
    };
    let on_click = {
        let id = id.clone();
        move |_| {
            if basket.contains(&id) {
                basket.remove(&id);
                toast.show("已移出对比");
            } else {
                match basket.add(&id) {
                    Ok(()) => toast.show(format!("已加入对比（{}/4）", basket.count())),
                    Err(message) => toast.show(message),
                }
            }
        }
    };
    view! {
        <button
            type="button"
            class="btn btn-small"
            class:btn-line=in_basket
            class:btn-primary=move || !in_basket.get()
            aria-pressed=move || in_basket.get().to_string()
            data-test="add-compare"
            data-id=id
            on:click=on_click
        >
            {move || if in_basket.get() { "已加入对比" } else { "加入对比" }}
        </button>
    }
}
