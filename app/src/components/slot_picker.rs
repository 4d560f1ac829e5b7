//! Choosing a test-drive time: chips for the days that have slots (今天 / 明天 / 12月3日 周四),
//! then that day's slots with the seats left (full ones disabled), and the free slots a
//! `409 slot_full` offers instead.

use leptos::prelude::*;
use shared::booking::Slot;
use shared::date::Date;

/// `今天`, `明天`, else `12月3日 周四`.
fn day_label(date: Date, today: Date) -> String {
    match date.unix_days() - today.unix_days() {
        0 => "今天".into(),
        1 => "明天".into(),
        _ => format!("{}月{}日 {}", date.month, date.day, date.weekday_zh()),
    }
}

/// The days that have slots, in date order, each with whether a seat is left that day that
/// the booking does not already hold (`current`).
fn days(slots: &[Slot], current: Option<i64>) -> Vec<(Date, bool)> {
    let mut days: Vec<(Date, bool)> = Vec::new();
    for slot in slots {
        let free = slot.seats_left > 0 && Some(slot.id) != current;
        match days.iter_mut().find(|(d, _)| *d == slot.date) {
            Some((_, any)) => *any |= free,
            None => days.push((slot.date, free)),
        }
    }
    days.sort_by_key(|(d, _)| *d);
    days
}

/// `剩2席` or `已约满`.
fn seats(slot: &Slot) -> String {
    match slot.seats_left {
        0 => "已约满".into(),
        n => format!("剩{n}席"),
    }
}

/// Day chips, then the chosen day's slot chips. A chosen day or slot that is gone (or full)
/// from a fresh list is dropped, and the first day with a seat left is opened. `current`
/// is the slot a booking already holds (shown, not pickable); `on_pick` runs after `chosen`
/// is set.
#[component]
pub fn SlotPicker(
    slots: Vec<Slot>,
    today: Date,
    day: RwSignal<Option<Date>>,
    chosen: RwSignal<Option<i64>>,
    #[prop(optional)] current: Option<i64>,
    #[prop(optional)] on_pick: Option<Callback<Slot>>,
) -> impl IntoView {
    let list = days(&slots, current);
    if chosen.get_untracked().is_some_and(|id| {
        !slots
            .iter()
            .any(|s| s.id == id && s.seats_left > 0 && Some(id) != current)
    }) {
        chosen.set(None);
    }
    if !day
        .get_untracked()
        .is_some_and(|d| list.iter().any(|(x, _)| *x == d))
    {
        let open = list.iter().find(|(_, free)| *free).or(list.first());
        day.set(open.map(|(d, _)| *d));
    }
    if list.is_empty() {
        return view! {
            <p class="notice" data-test="no-slots">"近14天暂无可预约的时段，请致电门店预约。"</p>
        }
        .into_any();
    }
    let day_chips = list
        .into_iter()
        .map(|(date, free)| {
            let on = move || day.get() == Some(date);
            view! {
                <button
                    type="button"
                    class="chip"
                    class:on=on
                    aria-pressed=move || on().to_string()
                    disabled=!free
                    data-test="day-option"
                    data-date=date.to_string()
                    on:click=move |_| day.set(Some(date))
                >
                    {day_label(date, today)}
                    {(!free).then(|| view! { <small>" 约满"</small> })}
                </button>
            }
        })
        .collect_view();
    let slot_chips = move || {
        let shown = day.get();
        slots
            .iter()
            .filter(|s| Some(s.date) == shown)
            .map(|s| {
                let id = s.id;
                let held = Some(id) == current;
                let on = move || chosen.get() == Some(id);
                let picked = s.clone();
                view! {
                    <button
                        type="button"
                        class="chip slot"
                        class:on=on
                        aria-pressed=move || on().to_string()
                        disabled=held || s.seats_left == 0
                        data-test="slot-option"
                        data-id=id
                        on:click=move |_| {
                            chosen.set(Some(id));
                            if let Some(pick) = on_pick {
                                pick.run(picked.clone());
                            }
                        }
                    >
                        <span>{s.start.to_string()} "-" {s.end.to_string()}</span>
                        <small data-test="seats-left">
                            {if held { "当前时段".into() } else { seats(s) }}
                        </small>
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <div class="chips days" role="group" aria-label="日期">{day_chips}</div>
        <div class="slots" role="group" aria-label="时段">{slot_chips}</div>
    }
    .into_any()
}

/// `该时段已约满` and the nearest free slots of the same store, to pick one instead.
#[component]
pub fn FreeSlots(message: String, slots: Vec<Slot>, on_pick: Callback<Slot>) -> impl IntoView {
    let offer = if slots.is_empty() {
        view! { <p>"附近的时段也已约满，请换一天或换一家门店。"</p> }.into_any()
    } else {
        view! {
            <p>"这些时段还有空位，点选即可："</p>
            <div class="chips wrap">
                {slots
                    .into_iter()
                    .map(|s| {
                        let label = format!("{} {}", s.label(), seats(&s));
                        view! {
                            <button
                                type="button"
                                class="chip"
                                data-test="free-slot"
                                data-id=s.id
                                on:click=move |_| on_pick.run(s.clone())
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        }
        .into_any()
    };
    view! {
        <div class="notice slot-full" role="alert" data-test="slot-full">
            <p><strong>{message}</strong></p>
            {offer}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::slots::TimeOfDay;

    fn slot(id: i64, date: Date, start: &str, seats_left: u16) -> Slot {
        Slot {
            id,
            store_id: 1,
            date,
            start: TimeOfDay::parse(start).unwrap(),
            end: TimeOfDay::parse("23:00").unwrap(),
            seats_left,
        }
    }

    #[test]
    fn days_read_as_today_tomorrow_or_a_dated_weekday() {
        let today = Date::new(2026, 12, 1);
        for (date, label) in [
            (today, "今天"),
            (Date::new(2026, 12, 2), "明天"),
            (Date::new(2026, 12, 3), "12月3日 周四"),
            (Date::new(2027, 1, 1), "1月1日 周五"),
        ] {
            assert_eq!(day_label(date, today), label, "{date}");
        }
        // Across a month end, tomorrow is still 明天.
        assert_eq!(
            day_label(Date::new(2026, 12, 1), Date::new(2026, 11, 30)),
            "明天"
        );
    }

    #[test]
    fn days_are_listed_once_in_order_with_whether_a_seat_is_left() {
        let (d1, d2, d3) = (
            Date::new(2026, 12, 1),
            Date::new(2026, 12, 2),
            Date::new(2026, 12, 3),
        );
        let slots = [
            slot(5, d3, "10:00", 0),
            slot(1, d1, "10:00", 0),
            slot(2, d1, "11:00", 2),
            slot(3, d2, "10:00", 0),
            slot(4, d2, "11:00", 0),
        ];
        assert_eq!(days(&slots, None), [(d1, true), (d2, false), (d3, false)]);
        assert_eq!(days(&[], None), []);
        // A day whose only seat is the one the booking holds has nothing to move to.
        assert_eq!(
            days(&slots, Some(2)),
            [(d1, false), (d2, false), (d3, false)]
        );
        assert_eq!(seats(&slots[1]), "已约满");
        assert_eq!(seats(&slots[2]), "剩2席");
    }
}
