//! The staff console entry point: removes the shell's skeleton and mounts the console on
//! `#app`.

use wasm_bindgen::JsCast;

fn main() {
    let document = leptos::prelude::document();
    if let Some(skeleton) = document.get_element_by_id("skeleton") {
        skeleton.remove();
    }
    let root = document
        .get_element_by_id("app")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => leptos::mount::mount_to(root, chelink_app::console::Console).forget(),
        None => leptos::mount::mount_to_body(chelink_app::console::Console),
    }
}
