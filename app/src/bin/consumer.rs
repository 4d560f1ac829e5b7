//! The consumer entry point: mounts the app on `#app` (the shell's script lifts the skeleton
//! once the page has painted its `<main>`).

fn main() {
    chelink_app::mount(chelink_app::App);
}
