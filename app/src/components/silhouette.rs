//! A drawn side view per body type, standing in for car photos (the data has none and
//! nothing may come from external hosts).

use leptos::prelude::*;
use shared::catalog::BodyType;

/// Body outline and window outline in a 120×48 box, front to the left (also drawn on the
/// console's posters).
pub fn paths(body: BodyType) -> (&'static str, &'static str) {
    match body {
        BodyType::Sedan => (
            "M4 37V31Q4 27 10 26L30 23L44 14Q48 12 56 12H78Q86 12 92 17L100 23Q114 24 116 30V37Z",
            "M34 23L46 15H62V23ZM66 23V15H78Q84 15 88 19L92 23Z",
        ),
        BodyType::Suv => (
            "M4 37V25Q4 21 10 20L24 18L34 8Q36 6 42 6H96Q102 6 105 11L112 20Q116 22 116 28V37Z",
            "M28 19L37 10H62V19ZM66 19V10H94Q98 10 100 13L104 19Z",
        ),
        BodyType::Mpv => (
            "M4 37V23Q4 17 12 15L24 12L32 6Q34 5 40 5H104Q110 5 112 10L116 20V37Z",
            "M26 14L35 8H58V16ZM62 16V8H84V16ZM88 16V8H104Q107 8 108 11L110 16Z",
        ),
        BodyType::Hatchback => (
            "M8 37V31Q8 27 14 26L30 23L42 13Q46 11 54 11H84Q92 11 96 16L104 26V37Z",
            "M34 23L45 14H62V23ZM66 23V14H84Q89 14 92 18L96 23Z",
        ),
    }
}

/// The wheels' centres on the x axis (at y 37, radius 8).
pub fn wheels(body: BodyType) -> [u8; 2] {
    match body {
        BodyType::Hatchback => [28, 88],
        _ => [28, 94],
    }
}

#[component]
pub fn Silhouette(body: BodyType) -> impl IntoView {
    let (outline, windows) = paths(body);
    let wheels_x = wheels(body);
    view! {
        <svg class="silhouette" viewBox="0 0 120 48" aria-hidden="true" focusable="false">
            <path d=outline fill="currentColor" />
            <path d=windows fill="#fff" opacity=".7" />
            {wheels_x
                .into_iter()
                .map(|x| {
                    view! {
                        <circle cx=x cy="37" r="8" fill="#2b2b2b" />
                        <circle cx=x cy="37" r="3.5" fill="#d9d9d9" />
                    }
                })
                .collect_view()}
        </svg>
    }
}
