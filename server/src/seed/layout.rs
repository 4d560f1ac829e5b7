//! The standard spec layout: `seed/spec-groups.json` with `seed/spec-extra.json`'s extra
//! groups, items and better-directions merged in.

use std::collections::{BTreeMap, HashSet};

use anyhow::{anyhow, ensure, Context};
use serde::Deserialize;
use shared::compare::{Better, SpecGroup, SpecItem};

const SPEC_GROUPS: &str = include_str!("../../seed/spec-groups.json");
const SPEC_EXTRA: &str = include_str!("../../seed/spec-extra.json");

#[derive(Deserialize)]
struct RawGroup {
    key: String,
    name_zh: String,
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
struct RawItem {
    key: String,
    name_zh: String,
    unit: Option<String>,
}

#[derive(Deserialize)]
struct SpecExtra {
    groups: Vec<ExtraGroup>,
    items: Vec<ExtraItem>,
    better: BTreeMap<String, Better>,
}

#[derive(Deserialize)]
struct ExtraGroup {
    key: String,
    name_zh: String,
    after: String,
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
struct ExtraItem {
    group: String,
    after: String,
    key: String,
    name_zh: String,
    unit: Option<String>,
}

fn item(raw: RawItem) -> SpecItem {
    SpecItem {
        key: raw.key,
        name_zh: raw.name_zh,
        unit: raw.unit,
        better: None,
    }
}

/// The standard layout: spec-groups.json plus spec-extra.json's groups, items and directions.
pub fn layout() -> anyhow::Result<Vec<SpecGroup>> {
    let raw: Vec<RawGroup> = serde_json::from_str(SPEC_GROUPS).context("spec-groups.json")?;
    let extra: SpecExtra = serde_json::from_str(SPEC_EXTRA).context("spec-extra.json")?;
    let mut groups: Vec<SpecGroup> = raw
        .into_iter()
        .map(|g| SpecGroup {
            key: g.key,
            name_zh: g.name_zh,
            items: g.items.into_iter().map(item).collect(),
        })
        .collect();
    for g in extra.groups {
        let at = groups
            .iter()
            .position(|x| x.key == g.after)
            .ok_or_else(|| anyhow!("spec-extra: no group {}", g.after))?;
        groups.insert(
            at + 1,
            SpecGroup {
                key: g.key,
                name_zh: g.name_zh,
                items: g.items.into_iter().map(item).collect(),
            },
        );
    }
    for x in extra.items {
        let group = groups
            .iter_mut()
            .find(|g| g.key == x.group)
            .ok_or_else(|| anyhow!("spec-extra: no group {}", x.group))?;
        let at = group
            .items
            .iter()
            .position(|i| i.key == x.after)
            .ok_or_else(|| anyhow!("spec-extra: no item {}", x.after))?;
        group.items.insert(
            at + 1,
            item(RawItem {
                key: x.key,
                name_zh: x.name_zh,
                unit: x.unit,
            }),
        );
    }
    let mut seen = HashSet::new();
    for i in groups.iter().flat_map(|g| g.items.iter()) {
        ensure!(seen.insert(i.key.clone()), "spec item {} twice", i.key);
    }
    for (key, better) in extra.better {
        let item = groups
            .iter_mut()
            .flat_map(|g| g.items.iter_mut())
            .find(|i| i.key == key)
            .ok_or_else(|| anyhow!("spec-extra better: no item {key}"))?;
        item.better = Some(better);
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_adds_the_engine_group_and_directions() {
        let layout = layout().unwrap();
        let keys: Vec<&str> = layout.iter().map(|g| g.key.as_str()).collect();
        let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
        assert_eq!(at("engine"), at("battery_charging") + 1);
        assert!(keys.contains(&"transmission"));
        let find = |k: &str| {
            layout
                .iter()
                .flat_map(|g| g.items.iter())
                .find(|i| i.key == k)
                .unwrap()
                .clone()
        };
        assert_eq!(find("range_cltc_km").better, Some(Better::Higher));
        assert_eq!(find("accel_0_100_s").better, Some(Better::Lower));
        assert_eq!(find("official_price_yuan").better, Some(Better::Lower));
        assert_eq!(find("seat_count").better, None);
        assert_eq!(
            find("fuel_consumption_l_100km").unit.as_deref(),
            Some("L/100km")
        );
        assert_eq!(find("highlights").name_zh, "亮点配置");
    }
}
