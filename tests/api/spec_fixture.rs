//! The spec-sheet fixture (`tests/fixtures/qin-l-spec-sheet.{xlsx,csv}`), laid out as an OEM's
//! 参数配置表: a title, a 车型 row naming the trims, merged group headers (基本信息, 车身,
//! 电动机 ...), units in the item names, ● ○ - cells, one row no spec item knows and one bad
//! number. The rows are written here once; `CHELINK_WRITE_FIXTURES=1 cargo test -p
//! chelink-tests --test api -- spec_fixture` writes both files again, and the test checks the
//! committed files read back as these rows.

use std::path::PathBuf;

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

/// The series the fixture is for (the demo dealer sells it; the platform's).
pub const SERIES: &str = "byd-qin-l";
/// Its first column: a platform trim of the series (read-only, skipped).
pub const PLATFORM_COLUMN: &str = "2026款 DM-i 1.5L 128km 进取型";
/// Columns no trim of the series has: each becomes a new own trim.
pub const NEW_COLUMNS: [&str; 2] = [
    "2027款 DM-i 128km 尊享型（演示）",
    "2027款 DM-i 210km 旗舰型（演示）",
];

enum Row {
    Title(&'static str),
    Group(&'static str),
    Item(&'static str, [&'static str; 3]),
}

fn rows() -> Vec<Row> {
    use Row::*;
    vec![
        Title("比亚迪秦L DM-i 2027款 参数配置表（演示数据，非厂商发布）"),
        Group("基本信息"),
        Item("官方指导价(元)", ["96800", "109800", "129800"]),
        Item("最大功率(马力)", ["218", "218", "218"]),
        Item("纯电续航里程(km)CLTC", ["128", "128", "210"]),
        Item(
            "长*宽*高(mm)",
            ["4830*1900*1495", "4830*1900*1495", "4830*1900*1495"],
        ),
        Item("官方百公里加速时间(s)", ["7.5", "7.5", "很快"]),
        Group("车身"),
        Item("轴距(mm)", ["2790", "2790", "2790"]),
        Item("座位数(个)", ["5", "5", "5"]),
        Item("车身结构", ["三厢车", "三厢车", "三厢车"]),
        Group("电动机"),
        Item("电机类型", ["永磁同步", "永磁同步", "永磁同步"]),
        Item("电动机总功率(kW)", ["160", "160", "160"]),
        Group("电池/充电"),
        Item("电池容量(kWh)", ["15.874", "15.874", "26.6"]),
        Group("发动机"),
        Item("排量(L)", ["1.5", "1.5", "1.5"]),
        Item("WLTC综合油耗(L/100km)", ["3.9", "3.9", "4.1"]),
        Group("主动安全"),
        Item("ABS防抱死", ["●", "●", "●"]),
        Item("并线辅助", ["-", "○", "●"]),
        Item("夜视系统", ["-", "-", "-"]),
        Item("香氛系统", ["-", "○", "●"]),
    ]
}

/// The committed fixture files.
pub fn path(ext: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/qin-l-spec-sheet.{ext}"))
}

/// The sheet as rows of cells, as a reader should see it (a merged cell's text in its first).
fn grid() -> Vec<Vec<String>> {
    let columns = [PLATFORM_COLUMN, NEW_COLUMNS[0], NEW_COLUMNS[1]];
    let mut out = Vec::new();
    for row in rows() {
        match row {
            Row::Title(t) => {
                out.push(vec![
                    t.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
                let mut header = vec!["车型".to_string()];
                header.extend(columns.iter().map(|c| c.to_string()));
                out.push(header);
            }
            Row::Group(g) => out.push(vec![
                g.to_string(),
                String::new(),
                String::new(),
                String::new(),
            ]),
            Row::Item(name, cells) => {
                let mut r = vec![name.to_string()];
                r.extend(cells.iter().map(|c| c.to_string()));
                out.push(r);
            }
        }
    }
    out
}

fn xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let merged = Format::new().set_bold().set_align(FormatAlign::Center);
    sheet.set_column_width(0, 26).unwrap();
    sheet.set_column_range_width(1, 3, 30).unwrap();
    for (r, row) in grid().iter().enumerate() {
        let r = r as u32;
        let rest_empty = row[1..].iter().all(String::is_empty);
        if rest_empty {
            // Title and group headers: merged across the whole width, as OEM sheets have them.
            sheet.merge_range(r, 0, r, 3, &row[0], &merged).unwrap();
            continue;
        }
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r, c as u16, text).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn csv() -> String {
    grid()
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| match c.contains(',') || c.contains('"') {
                    true => format!("\"{}\"", c.replace('"', "\"\"")),
                    false => c.clone(),
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .map(|line| line + "\n")
        .collect()
}

/// Trailing empty cells aside, the rows a reader got.
fn trimmed(grid: Vec<Vec<String>>) -> Vec<Vec<String>> {
    grid.into_iter()
        .map(|mut row| {
            while row.last().is_some_and(String::is_empty) {
                row.pop();
            }
            row
        })
        .collect()
}

#[test]
fn the_committed_fixture_reads_as_its_rows() {
    if std::env::var_os("CHELINK_WRITE_FIXTURES").is_some() {
        std::fs::write(path("xlsx"), xlsx()).unwrap();
        std::fs::write(path("csv"), csv()).unwrap();
    }
    let want = trimmed(grid());
    let from_xlsx = server::spec_import::read_file(&std::fs::read(path("xlsx")).unwrap()).unwrap();
    assert_eq!(
        trimmed(from_xlsx),
        want,
        "the .xlsx: CHELINK_WRITE_FIXTURES=1 writes it again"
    );
    let from_csv = server::spec_import::read_file(&std::fs::read(path("csv")).unwrap()).unwrap();
    assert_eq!(trimmed(from_csv), want, "the .csv");
    // A fresh workbook from the rows reads the same (the generator is what made the file).
    assert_eq!(
        trimmed(server::spec_import::read_file(&xlsx()).unwrap()),
        want
    );
}
