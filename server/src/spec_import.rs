//! Spec-sheet imports (参数配置表): reading an uploaded XLSX (`calamine`) or CSV (`csv`) into a
//! grid, planning it against a series' trims (`shared::spec_sheet`), keeping the plan until a
//! manager confirms it, writing it (new own trims for unmatched columns) and undoing it while
//! nothing changed since. Each write marks the dealer's catalogue changed in its transaction.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader};
use shared::catalog::{EnergyType, SpecValue};
use shared::catalog_edit::TrimForm;
use shared::spec_import::{ImportStatus, SpecImport};
use shared::spec_sheet::{self, Change, KnownTrim, Plan, Target};
use sqlx::error::ErrorKind;

use crate::catalog::{self, VISIBLE_SERIES, VISIBLE_TRIMS};
use crate::db::Db;
use crate::own_catalog::{self, Refused};
use crate::staff::Staff;

/// Why an import step was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportRefused {
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// The file is no sheet we can read (422, the message says why).
    #[error("bad sheet: {0}")]
    BadSheet(String),
    /// The step does not fit the import's state, or what it would change changed (409).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<Refused> for ImportRefused {
    fn from(r: Refused) -> Self {
        match r {
            Refused::NotFound(what) => Self::NotFound(what),
            Refused::ReadOnly => Self::Conflict("平台车型为只读，不能导入".into()),
            Refused::Invalid(e) => Self::BadSheet(e.message),
            Refused::Database(e) => Self::Database(e),
        }
    }
}

/// A file as a grid of cells: an XLSX workbook's first sheet (a ZIP by its first bytes) or
/// CSV in UTF-8 (a BOM is allowed) or, as Excel on a Chinese Windows saves it, GBK (read as
/// GB 18030, which holds it).
pub fn read_file(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    if bytes.starts_with(b"PK\x03\x04") {
        let mut book = calamine::Xlsx::new(Cursor::new(bytes))
            .map_err(|_| "无法读取该 XLSX 文件，请用 Excel 另存后再试".to_string())?;
        let range = book
            .worksheet_range_at(0)
            .ok_or("XLSX 文件里没有工作表")?
            .map_err(|_| "无法读取该 XLSX 文件的第一个工作表".to_string())?;
        return Ok(range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect());
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or("不是 XLSX 参数表，也不是 UTF-8 或 GBK 编码的 CSV 参数表")?,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.contains('\0') {
        return Err("不是 XLSX 或 CSV 参数表".into());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_string).collect())
                .map_err(|e| format!("CSV 格式有误：{e}"))
        })
        .collect()
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => shared::catalog::format_number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.into(),
        other => other.to_string(),
    }
}

/// The series' trims the dealer may see, for planning.
async fn known_trims(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    series_id: &str,
) -> sqlx::Result<Vec<KnownTrim>> {
    let sql = format!(
        "SELECT t.id, t.name_zh, t.dealer_id, t.specs FROM trims t \
         WHERE {VISIBLE_TRIMS} AND t.series_id = $2 ORDER BY t.position, t.id"
    );
    let rows: Vec<(String, String, Option<i64>, String)> = sqlx::query_as(&sql)
        .bind(dealer_id)
        .bind(series_id)
        .fetch_all(conn)
        .await?;
    rows.into_iter()
        .map(|(id, name_zh, owner, specs)| {
            Ok(KnownTrim {
                specs: serde_json::from_str(&specs)
                    .map_err(|e| sqlx::Error::Decode(format!("trim {id}: {e}").into()))?,
                id,
                name_zh,
                own: owner.is_some(),
            })
        })
        .collect()
}

/// Plans `grid` for a series the dealer may see and keeps it as a preview; nothing else is
/// written.
pub async fn preview(
    db: &Db,
    staff: &Staff,
    series_id: &str,
    file_name: &str,
    grid: &[Vec<String>],
    now: i64,
) -> Result<SpecImport, ImportRefused> {
    let sheet =
        spec_sheet::read_grid(grid).map_err(|e| ImportRefused::BadSheet(e.message().into()))?;
    let layout = catalog::layout(db).await?;
    let mut tx = crate::db::begin_write(db).await?;
    let sql = format!("SELECT s.name_zh FROM series s WHERE {VISIBLE_SERIES} AND s.id = $2");
    let series_name: Option<String> = sqlx::query_scalar(&sql)
        .bind(staff.dealer_id)
        .bind(series_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(series_name) = series_name else {
        return Err(ImportRefused::NotFound("没有该车系"));
    };
    let trims = known_trims(&mut tx, staff.dealer_id, series_id).await?;
    let plan = spec_sheet::plan(&sheet, &layout, &series_name, &trims);
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO spec_imports (dealer_id, series_id, staff_id, file_name, plan, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'preview', $6) RETURNING id",
    )
    .bind(staff.dealer_id)
    .bind(series_id)
    .bind(staff.id)
    .bind(&name)
    .bind(plan_json(&plan)?)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    one(db, staff.dealer_id, id)
        .await?
        .ok_or(ImportRefused::NotFound("没有该导入记录"))
}

fn plan_json(plan: &Plan) -> sqlx::Result<String> {
    serde_json::to_string(plan).map_err(|e| sqlx::Error::Decode(e.into()))
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: i64,
    series_id: String,
    series_name: String,
    file_name: String,
    staff_name: String,
    created_at: i64,
    status: String,
    plan: String,
}

const SELECT: &str = "SELECT i.id, i.series_id, s.name_zh AS series_name, i.file_name, \
     f.name AS staff_name, i.created_at, i.status, i.plan FROM spec_imports i \
     JOIN series s ON s.id = i.series_id JOIN staff f ON f.id = i.staff_id WHERE i.dealer_id = $1";

fn decode(r: ImportRow) -> sqlx::Result<SpecImport> {
    Ok(SpecImport {
        status: ImportStatus::from_key(&r.status)
            .ok_or_else(|| sqlx::Error::Decode(format!("import {}: {}", r.id, r.status).into()))?,
        plan: serde_json::from_str(&r.plan)
            .map_err(|e| sqlx::Error::Decode(format!("import {}: {e}", r.id).into()))?,
        id: r.id,
        series_id: r.series_id,
        series_name: r.series_name,
        file_name: r.file_name,
        staff_name: r.staff_name,
        created_at: r.created_at,
    })
}

/// One of the dealer's imports.
pub async fn one(db: &Db, dealer_id: i64, id: i64) -> sqlx::Result<Option<SpecImport>> {
    let row: Option<ImportRow> = sqlx::query_as(&format!("{SELECT} AND i.id = $2"))
        .bind(dealer_id)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(decode).transpose()
}

/// The dealer's imports, newest first (the last 50).
pub async fn history(db: &Db, dealer_id: i64) -> sqlx::Result<Vec<SpecImport>> {
    let rows: Vec<ImportRow> = sqlx::query_as(&format!(
        "{SELECT} ORDER BY i.created_at DESC, i.id DESC LIMIT 50"
    ))
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(decode).collect()
}

async fn locked_status(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    id: i64,
) -> Result<(String, Plan, String), ImportRefused> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT status, plan, series_id FROM spec_imports WHERE dealer_id = $1 AND id = $2",
    )
    .bind(dealer_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    let (status, plan, series) = row.ok_or(ImportRefused::NotFound("没有该导入记录"))?;
    let plan = serde_json::from_str(&plan).map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok((status, plan, series))
}

/// The form of a trim a column creates: its name, the year its name starts with (`2026款`),
/// the series' first energy type, seats and guide price where the sheet gives them.
fn new_trim_form(name: &str, energy: EnergyType, changes: &[&Change]) -> TrimForm {
    let number = |key: &str| {
        changes
            .iter()
            .find(|c| c.key == key)
            .and_then(|c| c.new.as_number())
            .map(|n| n.round() as i64)
    };
    let year = name
        .split('款')
        .next()
        .filter(|_| name.contains('款'))
        .and_then(|y| y.trim().parse().ok())
        .filter(|y| (2000..=2100).contains(y));
    TrimForm {
        name_zh: name.chars().take(40).collect(),
        model_year: year,
        energy_type: energy,
        seats: number("seat_count").filter(|s| (1..=9).contains(s)),
        displacement_ml: None,
        range_km: None,
        guide_price: number("official_price_yuan").filter(|p| {
            (shared::catalog_edit::PRICE_RANGE.0..=shared::catalog_edit::PRICE_RANGE.1).contains(p)
        }),
    }
}

/// Writes a previewed import: its changes to the dealer's own trims (each still holding the
/// value the preview saw, else 409) and a new own trim per unmatched column. Confirming an
/// import with nothing to change writes nothing to the catalogue.
pub async fn confirm(
    db: &Db,
    dealer_id: i64,
    id: i64,
    now: i64,
) -> Result<SpecImport, ImportRefused> {
    let mut tx = crate::db::begin_write(db).await?;
    let (status, mut plan, series_id) = locked_status(&mut tx, dealer_id, id).await?;
    match status.as_str() {
        "preview" => {}
        "confirmed" => return Err(ImportRefused::Conflict("该导入已确认".into())),
        _ => return Err(ImportRefused::Conflict("该导入已撤销，请重新上传".into())),
    }
    let changed = !plan.is_noop();
    let energies: String = sqlx::query_scalar("SELECT energy_types FROM series WHERE id = $1")
        .bind(&series_id)
        .fetch_one(&mut *tx)
        .await?;
    let energy = energies
        .split(',')
        .find_map(EnergyType::from_key)
        .unwrap_or(EnergyType::Petrol);
    for index in 0..plan.columns.len() {
        let changes: Vec<&Change> = plan.changes.iter().filter(|c| c.column == index).collect();
        let target = plan.columns[index].target.clone();
        match target {
            Target::Own(trim_id) => {
                if changes.is_empty() {
                    continue;
                }
                let mut specs = own_catalog::own_specs(&mut tx, dealer_id, &trim_id).await?;
                for c in &changes {
                    if specs.get(&c.key) != c.old.as_ref() {
                        return Err(ImportRefused::Conflict(format!(
                            "「{}」的「{}」在预览后已被修改，请重新上传参数表",
                            plan.columns[index].name, c.item
                        )));
                    }
                    specs.insert(c.key.clone(), c.new.clone());
                }
                own_catalog::write_specs(&mut tx, &trim_id, &specs).await?;
            }
            Target::New => {
                let specs: BTreeMap<String, SpecValue> = changes
                    .iter()
                    .map(|c| (c.key.clone(), c.new.clone()))
                    .collect();
                let form = new_trim_form(&plan.columns[index].name, energy, &changes);
                let trim_id =
                    own_catalog::insert_trim(&mut tx, dealer_id, &series_id, &form, &specs).await?;
                plan.columns[index].target = Target::Created(trim_id);
            }
            Target::Created(_) | Target::Platform(_) => {}
        }
    }
    sqlx::query(
        "UPDATE spec_imports SET status = 'confirmed', confirmed_at = $1, plan = $2 WHERE id = $3",
    )
    .bind(now)
    .bind(plan_json(&plan)?)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if changed {
        catalog::changed(&mut tx, dealer_id).await?;
    }
    tx.commit().await?;
    one(db, dealer_id, id)
        .await?
        .ok_or(ImportRefused::NotFound("没有该导入记录"))
}

/// Undoes a confirmed import: restores the values it replaced and removes the trims it created,
/// if nothing changed them since; else 409 saying what changed.
pub async fn undo(db: &Db, dealer_id: i64, id: i64, now: i64) -> Result<SpecImport, ImportRefused> {
    let mut tx = crate::db::begin_write(db).await?;
    let (status, plan, _) = locked_status(&mut tx, dealer_id, id).await?;
    if status != "confirmed" {
        return Err(ImportRefused::Conflict(match status.as_str() {
            "preview" => "该导入尚未确认，无需撤销".into(),
            _ => "该导入已撤销".into(),
        }));
    }
    let changed_since = |column: &str, item: &str| {
        ImportRefused::Conflict(format!(
            "「{column}」的「{item}」在导入后已被修改，无法撤销"
        ))
    };
    for (index, column) in plan.columns.iter().enumerate() {
        let changes: Vec<&Change> = plan.changes.iter().filter(|c| c.column == index).collect();
        match &column.target {
            Target::Own(trim_id) if !changes.is_empty() => {
                let mut specs = own_catalog::own_specs(&mut tx, dealer_id, trim_id).await?;
                for c in &changes {
                    if specs.get(&c.key) != Some(&c.new) {
                        return Err(changed_since(&column.name, &c.item));
                    }
                    match &c.old {
                        Some(old) => specs.insert(c.key.clone(), old.clone()),
                        None => specs.remove(&c.key),
                    };
                }
                own_catalog::write_specs(&mut tx, trim_id, &specs).await?;
            }
            Target::Created(trim_id) => {
                let specs = own_catalog::own_specs(&mut tx, dealer_id, trim_id).await?;
                let written: BTreeMap<String, SpecValue> = changes
                    .iter()
                    .map(|c| (c.key.clone(), c.new.clone()))
                    .collect();
                let priced: Option<Option<i64>> = sqlx::query_scalar(
                    "SELECT dealer_price FROM dealer_trims WHERE dealer_id = $1 AND trim_id = $2",
                )
                .bind(dealer_id)
                .bind(trim_id)
                .fetch_optional(&mut *tx)
                .await?;
                if specs != written || priced.flatten().is_some() {
                    return Err(ImportRefused::Conflict(format!(
                        "导入新建的车型「{}」已被修改，无法撤销",
                        column.name
                    )));
                }
                let removed = remove_trim(&mut tx, dealer_id, trim_id).await;
                if let Err(e) = removed {
                    let in_use = e
                        .as_database_error()
                        .is_some_and(|d| d.kind() == ErrorKind::ForeignKeyViolation);
                    return Err(match in_use {
                        true => ImportRefused::Conflict(format!(
                            "导入新建的车型「{}」已有车主车辆，无法撤销",
                            column.name
                        )),
                        false => e.into(),
                    });
                }
            }
            _ => {}
        }
    }
    sqlx::query("UPDATE spec_imports SET status = 'undone', undone_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if !plan.changes.is_empty() || plan.new_trims() > 0 {
        catalog::changed(&mut tx, dealer_id).await?;
    }
    tx.commit().await?;
    one(db, dealer_id, id)
        .await?
        .ok_or(ImportRefused::NotFound("没有该导入记录"))
}

async fn remove_trim(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    trim_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM dealer_trims WHERE dealer_id = $1 AND trim_id = $2")
        .bind(dealer_id)
        .bind(trim_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM trims WHERE id = $1 AND dealer_id = $2")
        .bind(trim_id)
        .bind(dealer_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::read_file;

    const SHEET: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/qin-l-spec-sheet.csv"
    ));

    #[test]
    fn a_gbk_csv_reads_as_its_utf8_twin() {
        let utf8 = std::str::from_utf8(SHEET).unwrap();
        let (gbk, _, lossy) = encoding_rs::GBK.encode(utf8);
        assert!(!lossy, "the fixture is all GBK can hold");
        assert!(
            std::str::from_utf8(&gbk).is_err(),
            "the GBK bytes are not UTF-8"
        );
        let grid = read_file(&gbk).unwrap();
        assert_eq!(grid, read_file(SHEET).unwrap());
        assert!(grid.iter().flatten().any(|cell| cell.contains("最大功率")));
    }

    #[test]
    fn bytes_neither_utf8_nor_gbk_are_refused_in_chinese() {
        let e = read_file(&[0x81, 0x20, 0xFF, 0xFE]).unwrap_err();
        assert!(e.contains("GBK"), "{e}");
    }
}
