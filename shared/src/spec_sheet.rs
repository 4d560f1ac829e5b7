//! An OEM's 参数配置表 read into spec values, with no I/O: the grid of a sheet (XLSX or CSV,
//! read by the server) becomes trim columns and item rows; rows are matched to the spec
//! layout by name and unit, columns to the series' trims by name, cells to typed values; the
//! result is a preview of what an import would change. Also the one rule a typed spec value
//! follows (`parse_cell`), used by the console's spec form too.
//!
//! Cells: empty = unknown (nothing imported, nothing removed). On an item without a unit
//! (a feature): ● / 是 / 有 / 标配 = fitted (`true`); - / — / 否 / 无 = not fitted (`false`,
//! which the comparison shows as "-", as the OEM sheet does); ○ / 选配 = optional, kept as the
//! text "选配"; a plain number is a number; anything else is kept as text. On an item with a
//! unit: a number (a trailing unit, thousands commas and spaces are allowed), converted when
//! the row's unit differs (马力/Ps → kW: × 0.7355); - there means unknown (nothing
//! imported); ● ○ or text is a per-cell error. `长*宽*高(mm)` also fills 长, 宽 and 高.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::SpecValue;
use crate::compare::{SpecGroup, SpecItem};

/// 1 马力 (metric horsepower, Ps) in kW.
pub const KW_PER_PS: f64 = 0.7355;

/// The text an optional (○ / 选配) feature is kept as.
pub const OPTIONAL: &str = "选配";

/// The most bytes an uploaded sheet may have.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// A sheet read as trim columns and item rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// The trim names heading the value columns.
    pub columns: Vec<String>,
    pub rows: Vec<SheetRow>,
}

/// An item row: its line in the file (1-based), the group header above it, its name (with
/// the unit, as the OEM writes it) and one cell per trim column.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetRow {
    pub line: usize,
    pub group: Option<String>,
    pub name: String,
    pub cells: Vec<String>,
}

/// Why a grid is no sheet we can import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetError {
    /// No cell holds anything.
    Empty,
    /// No row names trims in the columns after the first.
    NoTrimColumns,
}

impl SheetError {
    pub fn message(self) -> &'static str {
        match self {
            Self::Empty => "参数表是空的",
            Self::NoTrimColumns => "参数表没有车型列：第一行应为“车型”及各车型名称",
        }
    }
}

/// Reads a grid (rows of cells as text; a merged cell's value in its first cell): rows above
/// the first with a value past the first column are the title; that row names the trims; a
/// row with only its first cell is a group header (基本信息, 车身 ...); every other row with a
/// name is an item.
pub fn read_grid(grid: &[Vec<String>]) -> Result<Sheet, SheetError> {
    let cell = |row: &[String], i: usize| row.get(i).map(|c| clean(c)).unwrap_or_default();
    if grid
        .iter()
        .all(|row| row.iter().all(|c| clean(c).is_empty()))
    {
        return Err(SheetError::Empty);
    }
    let header = grid
        .iter()
        .position(|row| (1..row.len()).any(|i| !cell(row, i).is_empty()))
        .ok_or(SheetError::NoTrimColumns)?;
    let indices: Vec<usize> = (1..grid[header].len())
        .filter(|&i| !cell(&grid[header], i).is_empty())
        .collect();
    let columns: Vec<String> = indices.iter().map(|&i| cell(&grid[header], i)).collect();
    let mut rows = Vec::new();
    let mut group = None;
    for (n, row) in grid.iter().enumerate().skip(header + 1) {
        let name = cell(row, 0);
        if name.is_empty() {
            continue;
        }
        let cells: Vec<String> = indices.iter().map(|&i| cell(row, i)).collect();
        if cells.iter().all(String::is_empty) {
            group = Some(name);
            continue;
        }
        rows.push(SheetRow {
            line: n + 1,
            group: group.clone(),
            name,
            cells,
        });
    }
    Ok(Sheet { columns, rows })
}

fn clean(text: &str) -> String {
    text.trim().replace(['\u{a0}', '\u{3000}'], " ")
}

/// A name compared loosely: no spaces, ASCII brackets, `x` for ×/*, lower case.
fn key_of(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '×' | '*' | '＊' | 'X' => 'x',
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// A row's name split into its name and the unit in its last brackets: `最大功率(kW)` →
/// (`最大功率`, `kw`).
fn split_unit(name: &str) -> (String, Option<String>) {
    let key = key_of(name);
    if let (Some(open), true) = (key.rfind('('), key.ends_with(')')) {
        let unit = key[open + 1..key.len() - 1].to_string();
        return (key[..open].to_string(), Some(unit));
    }
    (key, None)
}

fn is_horsepower(unit: &str) -> bool {
    matches!(unit, "马力" | "ps" | "hp")
}

/// The layout item a row fills, and the factor its numbers are multiplied by.
pub fn match_row<'a>(
    layout: &'a [SpecGroup],
    group: Option<&str>,
    name: &str,
) -> Option<(&'a SpecItem, f64)> {
    let items = || {
        layout
            .iter()
            .flat_map(|g| g.items.iter().map(move |i| (g, i)))
    };
    let pick = |found: Vec<(&'a SpecGroup, &'a SpecItem)>| -> Option<&'a SpecItem> {
        // Where a name is in two groups (车身结构), the sheet's group decides.
        let in_group = group.map(key_of).and_then(|g| {
            found
                .iter()
                .find(|(grp, _)| key_of(&grp.name_zh) == g)
                .map(|(_, i)| *i)
        });
        in_group.or_else(|| found.first().map(|(_, i)| *i))
    };
    let whole = key_of(name);
    let exact: Vec<_> = items()
        .filter(|(_, i)| key_of(&i.name_zh) == whole)
        .collect();
    if let Some(item) = pick(exact) {
        return Some((item, 1.0));
    }
    let (base, unit) = split_unit(name);
    let same_base: Vec<_> = items()
        .filter(|(_, i)| {
            let (b, u) = split_unit(&i.name_zh);
            let u = u.or_else(|| i.unit.as_deref().map(key_of));
            b == base && (unit.is_none() || u == unit)
        })
        .collect();
    if let Some(item) = pick(same_base) {
        return Some((item, 1.0));
    }
    // Power given in 马力 where the layout keeps kW: `最大马力(Ps)` or `最大功率(马力)`.
    if unit.as_deref().is_some_and(is_horsepower) {
        let kw_base = base.replace("马力", "功率");
        let kw: Vec<_> = items()
            .filter(|(_, i)| {
                let (b, _) = split_unit(&i.name_zh);
                b == kw_base && i.unit.as_deref().map(key_of).as_deref() == Some("kw")
            })
            .collect();
        if let Some(item) = pick(kw) {
            return Some((item, KW_PER_PS));
        }
    }
    None
}

/// One typed value as a cell or a form field reads (see the module's rules): `Ok(None)` is
/// unknown.
pub fn parse_cell(item: &SpecItem, factor: f64, raw: &str) -> Result<Option<SpecValue>, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if item.key == "dimensions_lwh_mm" {
        return match dimensions(text) {
            Some([l, w, h]) => Ok(Some(SpecValue::Text(format!("{l}x{w}x{h}")))),
            None if is_dash(text) => Ok(None),
            None => Err(format!("“{text}”不是 长x宽x高 的尺寸")),
        };
    }
    match &item.unit {
        Some(unit) => {
            if is_dash(text) {
                return Ok(None);
            }
            let n = number(text, unit).ok_or_else(|| format!("“{text}”不是数字（单位 {unit}）"))?;
            let n = n * factor;
            // Converted values are kept to two decimals, so the same sheet reads the same.
            let n = if factor == 1.0 {
                n
            } else {
                (n * 100.0).round() / 100.0
            };
            Ok(Some(SpecValue::Number(n)))
        }
        None => Ok(Some(match text {
            "●" | "是" | "有" | "标配" | "√" => SpecValue::Bool(true),
            "○" | "选配" | "选装" => SpecValue::Text(OPTIONAL.into()),
            t if is_dash(t) || t == "否" || t == "无" => SpecValue::Bool(false),
            t => match plain_number(t) {
                Some(n) => SpecValue::Number(n),
                None => SpecValue::Text(t.to_string()),
            },
        })),
    }
}

fn is_dash(text: &str) -> bool {
    matches!(text, "-" | "—" | "--" | "——" | "－" | "/")
}

fn plain_number(text: &str) -> Option<f64> {
    let n: f64 = text.replace([',', '，'], "").parse().ok()?;
    n.is_finite().then_some(n)
}

fn number(text: &str, unit: &str) -> Option<f64> {
    let mut t = key_of(text);
    let unit = key_of(unit);
    if let Some(stripped) = t.strip_suffix(&unit) {
        t = stripped.to_string();
    }
    plain_number(&t)
}

/// `4780*1837*1495` → the three lengths in mm.
pub fn dimensions(text: &str) -> Option<[i64; 3]> {
    let key = key_of(text);
    let key = key.strip_suffix("mm").unwrap_or(&key);
    let parts: Vec<i64> = key
        .split(['x', '/'])
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [l, w, h] if [*l, *w, *h].iter().all(|v| (100..=30_000).contains(v)) => Some([*l, *w, *h]),
        _ => None,
    }
}

/// A trim of the series the sheet is imported for, as the plan needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownTrim {
    pub id: String,
    pub name_zh: String,
    /// The dealer's own (writable); else the platform's (read-only).
    pub own: bool,
    pub specs: BTreeMap<String, SpecValue>,
}

/// What a column of the sheet is written to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "trim_id", rename_all = "snake_case")]
pub enum Target {
    /// The dealer's own trim of that name.
    Own(String),
    /// A new own trim, created on confirmation.
    New,
    /// Created by this import when it was confirmed.
    Created(String),
    /// A platform trim of that name: read-only, skipped.
    Platform(String),
}

/// A trim column and where its values go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Column {
    pub name: String,
    pub target: Target,
}

/// A value the import writes: new where `old` is none, a conflict where it differs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// The column (index into `columns`).
    pub column: usize,
    pub key: String,
    pub item: String,
    pub old: Option<SpecValue>,
    pub new: SpecValue,
}

/// A cell that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CellError {
    pub line: usize,
    pub row: String,
    pub column: String,
    pub message: String,
}

/// What importing a sheet would do.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    pub columns: Vec<Column>,
    /// Values that differ from what the trims hold (new and conflicting).
    pub changes: Vec<Change>,
    /// Matched values the trims already hold.
    pub unchanged: u32,
    /// Row names no spec item matches (with their line).
    pub unknown_rows: Vec<String>,
    pub errors: Vec<CellError>,
}

impl Plan {
    /// Matched cells, changed or not.
    pub fn matched(&self) -> usize {
        self.changes.len() + self.unchanged as usize
    }

    /// Changes that replace a value the trim holds.
    pub fn conflicts(&self) -> usize {
        self.changes.iter().filter(|c| c.old.is_some()).count()
    }

    /// Trims the import creates (or created).
    pub fn new_trims(&self) -> usize {
        self.columns
            .iter()
            .filter(|c| matches!(c.target, Target::New | Target::Created(_)))
            .count()
    }

    /// Whether confirming would change nothing.
    pub fn is_noop(&self) -> bool {
        self.changes.is_empty() && !self.columns.iter().any(|c| c.target == Target::New)
    }
}

/// The trim a column of the series `series` names: the one of the same name (compared as
/// [`key_of`] does); else the only one whose name is the same once the series' name and the
/// model year (`2025款`) are left off both, where their years do not differ. An OEM sheet heads
/// its columns `零跑B01 2025款 430 舒享版` or only `430 舒享版` where we say `2025款 430舒享版`.
pub fn column_trim<'a>(
    column: &str,
    series: &str,
    trims: &'a [KnownTrim],
) -> Option<&'a KnownTrim> {
    let exact = key_of(column);
    if let Some(t) = trims.iter().find(|t| key_of(&t.name_zh) == exact) {
        return Some(t);
    }
    let series = key_of(series);
    let (year, rest) = bare_name(&exact, &series);
    let alike: Vec<(&KnownTrim, Option<String>)> = trims
        .iter()
        .filter_map(|t| {
            let (their_year, their_rest) = bare_name(&key_of(&t.name_zh), &series);
            (their_rest == rest).then_some((t, their_year))
        })
        .collect();
    let only = |found: Vec<&'a KnownTrim>| match found[..] {
        [t] => Some(t),
        _ => None,
    };
    // The same year where both say one; else a name that says none.
    let same_year: Vec<&KnownTrim> = alike
        .iter()
        .filter(|(_, y)| year.is_some() && *y == year)
        .map(|(t, _)| *t)
        .collect();
    if !same_year.is_empty() {
        return only(same_year);
    }
    only(
        alike
            .iter()
            .filter(|(_, y)| year.is_none() || y.is_none())
            .map(|(t, _)| *t)
            .collect(),
    )
}

/// A name's key without the series' name in front, split into its model year (`2025`, from
/// `2025款`) and the rest.
fn bare_name(key: &str, series: &str) -> (Option<String>, String) {
    let key = key.strip_prefix(series).unwrap_or(key);
    let chars: Vec<char> = key.chars().collect();
    let at = chars
        .windows(5)
        .position(|w| w[..4].iter().all(char::is_ascii_digit) && w[4] == '款');
    match at {
        Some(i) => {
            let year: String = chars[i..i + 4].iter().collect();
            let rest: String = chars[..i].iter().chain(&chars[i + 5..]).collect();
            (Some(year), rest)
        }
        None => (None, key.to_string()),
    }
}

/// The plan of importing `sheet` into the series `series` (its name) whose trims are `trims`.
pub fn plan(sheet: &Sheet, layout: &[SpecGroup], series: &str, trims: &[KnownTrim]) -> Plan {
    let mut out = Plan::default();
    for name in &sheet.columns {
        let target = match column_trim(name, series, trims) {
            Some(t) if t.own => Target::Own(t.id.clone()),
            Some(t) => Target::Platform(t.id.clone()),
            None => Target::New,
        };
        out.columns.push(Column {
            name: name.clone(),
            target,
        });
    }
    let length_items: Vec<&SpecItem> = ["length_mm", "width_mm", "height_mm"]
        .iter()
        .filter_map(|k| layout.iter().flat_map(|g| &g.items).find(|i| i.key == *k))
        .collect();
    // A value per (column, key): a later row for the same item wins, as it would by hand.
    let mut values: BTreeMap<(usize, String), (String, SpecValue)> = BTreeMap::new();
    for row in &sheet.rows {
        let Some((item, factor)) = match_row(layout, row.group.as_deref(), &row.name) else {
            out.unknown_rows
                .push(format!("第{}行 {}", row.line, row.name));
            continue;
        };
        for (column, raw) in row.cells.iter().enumerate() {
            if matches!(out.columns[column].target, Target::Platform(_)) {
                continue;
            }
            match parse_cell(item, factor, raw) {
                Ok(None) => {}
                Ok(Some(value)) => {
                    if let (SpecValue::Text(t), 3) = (&value, length_items.len()) {
                        if item.key == "dimensions_lwh_mm" {
                            for (sub, mm) in
                                length_items.iter().zip(dimensions(t).unwrap_or_default())
                            {
                                values.insert(
                                    (column, sub.key.clone()),
                                    (sub.name_zh.clone(), SpecValue::Number(mm as f64)),
                                );
                            }
                        }
                    }
                    values.insert((column, item.key.clone()), (item.name_zh.clone(), value));
                }
                Err(message) => out.errors.push(CellError {
                    line: row.line,
                    row: row.name.clone(),
                    column: out.columns[column].name.clone(),
                    message,
                }),
            }
        }
    }
    for ((column, key), (item, new)) in values {
        let old = match &out.columns[column].target {
            Target::Own(id) => trims
                .iter()
                .find(|t| &t.id == id)
                .and_then(|t| t.specs.get(&key).cloned()),
            _ => None,
        };
        if old.as_ref() == Some(&new) {
            out.unchanged += 1;
        } else {
            out.changes.push(Change {
                column,
                key,
                item,
                old,
                new,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, name: &str, unit: Option<&str>) -> SpecItem {
        SpecItem {
            key: key.into(),
            name_zh: name.into(),
            unit: unit.map(Into::into),
            better: None,
        }
    }

    fn layout() -> Vec<SpecGroup> {
        vec![
            SpecGroup {
                key: "basic_info".into(),
                name_zh: "基本信息".into(),
                items: vec![
                    item("max_power_kw", "最大功率(kW)", Some("kW")),
                    item("dimensions_lwh_mm", "长x宽x高(mm)", Some("mm")),
                    item("body_style_summary", "车身结构", None),
                    item(
                        "power_consumption_kwh_100km",
                        "百公里耗电量(kWh/100km)",
                        Some("kWh/100km"),
                    ),
                ],
            },
            SpecGroup {
                key: "body".into(),
                name_zh: "车身".into(),
                items: vec![
                    item("length_mm", "长(mm)", Some("mm")),
                    item("width_mm", "宽(mm)", Some("mm")),
                    item("height_mm", "高(mm)", Some("mm")),
                    item("body_structure", "车身结构", None),
                    item("battery_capacity_kwh", "电池容量(kWh)", Some("kWh")),
                ],
            },
            SpecGroup {
                key: "safety".into(),
                name_zh: "主动安全".into(),
                items: vec![
                    item("abs", "ABS防抱死", None),
                    item("night_vision", "夜视系统", None),
                ],
            },
        ]
    }

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn rows_match_by_name_and_unit_and_horsepower_converts() {
        let layout = layout();
        let key = |name: &str| match_row(&layout, None, name).map(|(i, f)| (i.key.clone(), f));
        assert_eq!(key("最大功率(kW)"), Some(("max_power_kw".into(), 1.0)));
        assert_eq!(key("最大功率 （kW）"), Some(("max_power_kw".into(), 1.0)));
        assert_eq!(
            key("最大功率(马力)"),
            Some(("max_power_kw".into(), KW_PER_PS))
        );
        assert_eq!(
            key("最大马力(Ps)"),
            Some(("max_power_kw".into(), KW_PER_PS))
        );
        assert_eq!(key("长*宽*高(mm)"), Some(("dimensions_lwh_mm".into(), 1.0)));
        assert_eq!(
            key("电池容量(kWh)"),
            Some(("battery_capacity_kwh".into(), 1.0))
        );
        assert_eq!(key("最大功率(hp2)"), None);
        assert_eq!(key("香氛系统"), None);
        // The sheet's group tells two 车身结构 apart.
        let in_body = match_row(&layout, Some("车身"), "车身结构").map(|(i, _)| i.key.clone());
        assert_eq!(in_body.as_deref(), Some("body_structure"));
    }

    #[test]
    fn cells_read_as_the_module_says() {
        let power = item("max_power_kw", "最大功率(kW)", Some("kW"));
        let abs = item("abs", "ABS防抱死", None);
        assert_eq!(
            parse_cell(&power, 1.0, " 150 "),
            Ok(Some(SpecValue::Number(150.0)))
        );
        assert_eq!(
            parse_cell(&power, 1.0, "150kW"),
            Ok(Some(SpecValue::Number(150.0)))
        );
        assert_eq!(
            parse_cell(&power, KW_PER_PS, "218"),
            Ok(Some(SpecValue::Number(160.34)))
        );
        assert_eq!(parse_cell(&power, 1.0, "-"), Ok(None));
        assert_eq!(parse_cell(&power, 1.0, ""), Ok(None));
        assert!(parse_cell(&power, 1.0, "●").is_err());
        assert!(parse_cell(&power, 1.0, "很大").is_err());
        assert_eq!(parse_cell(&abs, 1.0, "●"), Ok(Some(SpecValue::Bool(true))));
        assert_eq!(parse_cell(&abs, 1.0, "是"), Ok(Some(SpecValue::Bool(true))));
        assert_eq!(parse_cell(&abs, 1.0, "-"), Ok(Some(SpecValue::Bool(false))));
        assert_eq!(
            parse_cell(&abs, 1.0, "否"),
            Ok(Some(SpecValue::Bool(false)))
        );
        assert_eq!(
            parse_cell(&abs, 1.0, "○"),
            Ok(Some(SpecValue::Text("选配".into())))
        );
        assert_eq!(
            parse_cell(&abs, 1.0, "前/后"),
            Ok(Some(SpecValue::Text("前/后".into())))
        );
        let dims = item("dimensions_lwh_mm", "长x宽x高(mm)", Some("mm"));
        assert_eq!(
            parse_cell(&dims, 1.0, "4780*1837*1495"),
            Ok(Some(SpecValue::Text("4780x1837x1495".into())))
        );
        assert!(parse_cell(&dims, 1.0, "4780*1837").is_err());
    }

    #[test]
    fn a_sheet_reads_title_header_groups_and_items() {
        let g = grid(&[
            &["秦L 参数配置表", "", ""],
            &["车型", "甲型", "乙型"],
            &["基本信息", "", ""],
            &["最大功率(kW)", "150", "160"],
            &["车身", "", ""],
            &["车身结构", "4门5座三厢车", "4门5座三厢车"],
        ]);
        let sheet = read_grid(&g).unwrap();
        assert_eq!(sheet.columns, ["甲型", "乙型"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[1].group.as_deref(), Some("车身"));
        assert_eq!(sheet.rows[1].line, 6);
        assert_eq!(read_grid(&grid(&[&["", ""]])), Err(SheetError::Empty));
        assert_eq!(
            read_grid(&grid(&[&["只有一列"], &["x"]])),
            Err(SheetError::NoTrimColumns)
        );
    }

    #[test]
    fn a_column_names_its_trim_with_or_without_the_series_and_the_year() {
        let trim = |id: &str, name: &str| KnownTrim {
            id: id.into(),
            name_zh: name.into(),
            own: false,
            specs: BTreeMap::new(),
        };
        let trims = [
            trim("a", "2025款 430舒享版"),
            trim("b", "2024款 430舒享版"),
            trim("c", "2025款 650智享版"),
            trim("d", "430 舒享版"),
        ];
        let id = |column: &str| column_trim(column, "零跑B01", &trims).map(|t| t.id.as_str());
        assert_eq!(id("2025款 430 舒享版"), Some("a"));
        assert_eq!(id("430舒享版"), Some("d"), "the same name first");
        assert_eq!(id("零跑B01 2025款 430 舒享版"), Some("a"));
        assert_eq!(id("零跑 B01 2024款 430舒享版"), Some("b"));
        assert_eq!(id("2025款 650 智享版"), Some("c"));
        assert_eq!(
            id("零跑B01 650智享版"),
            Some("c"),
            "one 650 whatever its year"
        );
        assert_eq!(id("2023款 650智享版"), None, "another year is another car");
        assert_eq!(id("零跑B01 430 舒享版(2026)"), None);
        let no_plain = &trims[..3];
        assert_eq!(
            column_trim("零跑B01 430舒享版", "零跑B01", no_plain),
            None,
            "two years of 430: neither is guessed"
        );
    }

    #[test]
    fn a_plan_sorts_columns_and_values_and_a_second_run_changes_nothing() {
        let g = grid(&[
            &["车型", "自有型", "平台型", "新型"],
            &["基本信息", "", "", ""],
            &["最大功率(马力)", "204", "204", "218"],
            &["长*宽*高(mm)", "4780*1837*1495", "", "4780*1837*1495"],
            &["主动安全", "", "", ""],
            &["ABS防抱死", "●", "●", "●"],
            &["夜视系统", "○", "-", "-"],
            &["香氛系统", "●", "", ""],
            &["电池容量(kWh)", "很多", "", "18.3"],
        ]);
        let sheet = read_grid(&g).unwrap();
        let mut own = KnownTrim {
            id: "own-1-a".into(),
            name_zh: "自有型".into(),
            own: true,
            specs: BTreeMap::from([("abs".to_string(), SpecValue::Bool(false))]),
        };
        let platform = KnownTrim {
            id: "byd-x".into(),
            name_zh: "平台型".into(),
            own: false,
            specs: BTreeMap::new(),
        };
        let p = plan(
            &sheet,
            &layout(),
            "秦PLUS",
            &[own.clone(), platform.clone()],
        );
        assert_eq!(
            p.columns
                .iter()
                .map(|c| c.target.clone())
                .collect::<Vec<_>>(),
            [
                Target::Own("own-1-a".into()),
                Target::Platform("byd-x".into()),
                Target::New
            ]
        );
        assert_eq!(p.unknown_rows, ["第8行 香氛系统"]);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].column, "自有型");
        // Own: power, dims + l/w/h, abs (conflict), night vision = 7; new: power, dims + 3, abs, nv, battery = 8.
        assert_eq!(p.changes.len(), 15);
        assert_eq!(p.conflicts(), 1);
        let abs = p
            .changes
            .iter()
            .find(|c| c.column == 0 && c.key == "abs")
            .unwrap();
        assert_eq!(
            (abs.old.clone(), abs.new.clone()),
            (Some(SpecValue::Bool(false)), SpecValue::Bool(true))
        );
        let power = p
            .changes
            .iter()
            .find(|c| c.column == 0 && c.key == "max_power_kw")
            .unwrap();
        assert_eq!(power.new, SpecValue::Number(150.04));
        assert!(p
            .changes
            .iter()
            .any(|c| c.column == 2 && c.key == "height_mm" && c.new == SpecValue::Number(1495.0)));
        assert!(!p.changes.iter().any(|c| c.column == 1));

        // Written, the same sheet again changes nothing.
        for c in p.changes.iter().filter(|c| c.column == 0) {
            own.specs.insert(c.key.clone(), c.new.clone());
        }
        let mut created = KnownTrim {
            id: "own-1-b".into(),
            name_zh: "新型".into(),
            own: true,
            specs: BTreeMap::new(),
        };
        for c in p.changes.iter().filter(|c| c.column == 2) {
            created.specs.insert(c.key.clone(), c.new.clone());
        }
        let again = plan(&sheet, &layout(), "秦PLUS", &[own, platform, created]);
        assert!(again.is_noop(), "{:?}", again.changes);
        assert_eq!(again.unchanged, 15);
    }
}
