//! The consumer entry point: mounts the app on `#app` (the shell's script lifts the skeleton
//! once the page has painted its `<main>`).

use wasm_bindgen::JsCast;

fn main() {
    let document = leptos::prelude::document();
    let root = document
        .get_element_by_id("app")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => leptos::mount::mount_to(root, chelink_app::App).forget(),
        None => leptos::mount::mount_to_body(chelink_app::App),
    }
}
