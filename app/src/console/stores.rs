//! `/console/stores` (managers and admins): every store of the dealer with its test-drive
//! setup, each edited and saved on its own card; admins add stores here.

use leptos::prelude::*;

use super::new_store::NewStoreForm;
use super::store_card::StoreCard;
use super::{api, use_session};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn Stores() -> impl IntoView {
    super::set_title("门店");
    let session = use_session();
    // Read once: the page is rebuilt whenever someone else signs in.
    let (manages, dealer) = untrack(|| {
        let dealer = session.me().map(|me| me.dealer_slug).unwrap_or_default();
        (session.manages(), dealer)
    });
    let admin = untrack(|| session.is_admin());
    let stores = LocalResource::new(move || async move {
        if manages {
            session.check(api::stores().await)
        } else {
            Ok(Vec::new())
        }
    });
    // The dealer's series, to choose which ones each store has a test-drive car of.
    let series = LocalResource::new(move || {
        let dealer = dealer.clone();
        async move {
            if !manages {
                return Ok(Vec::new());
            }
            let list = session.check(api::series(&dealer).await)?;
            Ok(list.items.into_iter().map(|s| (s.id, s.name_zh)).collect())
        }
    });
    let catalogue = Signal::derive(move || {
        series
            .get()
            .map(|r: Result<Vec<(String, String)>, api::Error>| r.map_err(|e| e.message()))
    });
    let content = move || {
        if !manages {
            return view! {
                <p class="notice" data-test="stores-forbidden">"仅销售经理和管理员可以设置门店"</p>
            }
            .into_any();
        }
        match stores.get() {
            None => view! { <Loading count=2 /> }.into_any(),
            Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
            Some(Ok(list)) if list.is_empty() => {
                view! { <p class="c-none" data-test="no-stores">"还没有门店：先新增一家，再设置它的营业时间和试驾时段"</p> }.into_any()
            }
            Some(Ok(list)) => list
                .into_iter()
                .map(|view| view! { <StoreCard view catalogue /> })
                .collect_view()
                .into_any(),
        }
    };
    view! {
        <main class="c-page">
            <h1 class="c-title">"门店"</h1>
            <p class="c-sub">"营业时间、休息日和试驾时段决定客户能约的时间"</p>
            {admin.then(|| view! { <NewStoreForm on_added=Callback::new(move |()| stores.refetch()) /> })}
            {content}
        </main>
    }
}
