//! The staff console entry point: mounts the console on `#app` (the shell's script lifts the
//! skeleton once the console has painted its `<main>`).

fn main() {
    chelink_app::mount(chelink_app::console::Console);
}
