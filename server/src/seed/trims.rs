//! `seed/trims.json` read and applied: current trims for the series the older files have none
//! for, engine and electric-range facts for trims already there, and the dated catalogue
//! listings (购置税 for new-energy trims, 车船税 energy-saving for the others), each with
//! its source. A fact without a source, or a listing that does not fit its trim, stops the seed.

use anyhow::{anyhow, bail, ensure};
use serde::Deserialize;
use shared::catalog::{EnergyType, SpecValue};
use shared::tax::{Listing, ReliefPeriod};

use super::catalog_cn::energy_label;
use super::TrimSeed;

#[derive(Deserialize)]
struct RawFile {
    trims: Vec<RawTrim>,
    #[serde(default)]
    facts: Vec<RawFacts>,
    #[serde(default)]
    listings: Vec<RawListing>,
}

#[derive(Deserialize)]
struct RawTrim {
    series_id: String,
    id: String,
    name_zh: String,
    model_year: Option<i64>,
    guide_price_yuan: Option<i64>,
    energy_type: EnergyType,
    seats: Option<i64>,
    drive_type: Option<String>,
    #[serde(flatten)]
    range: RawRange,
    range_cltc_km: Option<f64>,
    source: String,
}

#[derive(Deserialize)]
struct RawFacts {
    trim_id: String,
    #[serde(flatten)]
    range: RawRange,
    source: String,
}

/// The engine and electric-range facts both kinds of record carry.
#[derive(Deserialize)]
struct RawRange {
    engine_displacement_ml: Option<i64>,
    eaer_km: Option<i64>,
    /// How `eaer_km` was measured when it is not the equivalent all-electric range itself
    /// (`CLTC 纯电续航`): then it is shown as that range and decides nothing.
    range_note: Option<String>,
}

#[derive(Deserialize)]
struct RawListing {
    trim_id: String,
    /// `purchase_tax` (new-energy trims) or `vessel_tax` (energy-saving petrol and hybrid trims).
    catalogue: String,
    period: ReliefPeriod,
    status: String,
    source: String,
}

impl RawRange {
    /// Sets the displacement and the range on a trim, as facts and as spec cells.
    fn apply(&self, trim: &mut TrimSeed) {
        if let Some(ml) = self.engine_displacement_ml {
            trim.displacement_ml = Some(ml);
            let litres = (ml as f64 / 100.0).round() / 10.0;
            trim.specs
                .insert("displacement_l".into(), SpecValue::Number(litres));
        }
        let Some(km) = self.eaer_km else {
            return;
        };
        let note = self.range_note.as_deref().unwrap_or("等效全电里程");
        let key = if note.contains("等效") {
            trim.eaer_km = Some(km);
            "eaer_km"
        } else if note.contains("CLTC") {
            "range_cltc_km"
        } else {
            "range_miit_km"
        };
        trim.specs.insert(key.into(), SpecValue::Number(km as f64));
    }
}

/// Adds the file's trims, facts and listings to `trims`.
pub(super) fn add(trims: &mut Vec<TrimSeed>, json: &str) -> anyhow::Result<()> {
    let file: RawFile = serde_json::from_str(json)?;
    for raw in file.trims {
        ensure!(
            !raw.source.trim().is_empty(),
            "trim {} has no source",
            raw.id
        );
        let mut specs = std::collections::BTreeMap::new();
        specs.insert(
            "energy_type".into(),
            SpecValue::Text(energy_label(raw.energy_type).into()),
        );
        if let Some(price) = raw.guide_price_yuan {
            specs.insert(
                "official_price_yuan".into(),
                SpecValue::Number(price as f64),
            );
        }
        if let Some(seats) = raw.seats {
            specs.insert("seat_count".into(), SpecValue::Number(seats as f64));
        }
        if let Some(km) = raw.range_cltc_km {
            specs.insert("range_cltc_km".into(), SpecValue::Number(km));
        }
        if let Some(drive) = &raw.drive_type {
            let label = match drive.as_str() {
                "fwd" => "前驱",
                "rwd" => "后驱",
                "awd" => "四驱",
                other => bail!("trim {}: drive_type {other}", raw.id),
            };
            specs.insert("drive_type".into(), SpecValue::Text(label.into()));
        }
        let mut trim = TrimSeed {
            id: raw.id,
            series_id: raw.series_id,
            name_zh: match raw.model_year {
                Some(year) if !raw.name_zh.contains('款') => format!("{year}款 {}", raw.name_zh),
                _ => raw.name_zh,
            },
            model_year: raw.model_year,
            guide_price: raw.guide_price_yuan,
            energy_type: Some(raw.energy_type),
            seats: raw.seats,
            displacement_ml: None,
            eaer_km: None,
            listings: Vec::new(),
            specs,
        };
        raw.range.apply(&mut trim);
        trims.push(trim);
    }
    let find = |trims: &mut Vec<TrimSeed>, id: &str| -> anyhow::Result<usize> {
        trims
            .iter()
            .position(|t| t.id == id)
            .ok_or_else(|| anyhow!("unknown trim {id}"))
    };
    for facts in file.facts {
        ensure!(
            !facts.source.trim().is_empty(),
            "facts of {} have no source",
            facts.trim_id
        );
        let i = find(trims, &facts.trim_id)?;
        facts.range.apply(&mut trims[i]);
    }
    for raw in file.listings {
        ensure!(
            !raw.source.trim().is_empty(),
            "listing of {} has no source",
            raw.trim_id
        );
        let i = find(trims, &raw.trim_id)?;
        let trim = &mut trims[i];
        let energy = trim
            .energy_type
            .ok_or_else(|| anyhow!("listing of {}: energy type unknown", trim.id))?;
        let fits = match raw.catalogue.as_str() {
            "purchase_tax" => energy.is_new_energy(),
            "vessel_tax" => matches!(energy, EnergyType::Petrol | EnergyType::Hybrid),
            other => bail!("listing of {}: catalogue {other}", trim.id),
        };
        ensure!(
            fits,
            "listing of {}: {} does not fit {energy:?}",
            trim.id,
            raw.catalogue
        );
        let listed = match raw.status.as_str() {
            "listed" => true,
            "not_listed" => false,
            other => bail!("listing of {}: status {other}", trim.id),
        };
        ensure!(
            !trim.listings.iter().any(|l| l.period == raw.period),
            "listing of {}: {} twice",
            trim.id,
            raw.period.key()
        );
        trim.listings.push(Listing {
            period: raw.period,
            listed,
            source: Some(raw.source),
        });
    }
    Ok(())
}
