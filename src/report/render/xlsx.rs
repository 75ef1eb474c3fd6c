//! `<stem>.xlsx`: one workbook — the headline KPIs, one sheet per table (the complete list where
//! the pages show a selection, `Table::full`), a "KPIs" sheet with
//! every value of the quarter in the long format, and a "Definitions" sheet. Frozen header rows,
//! number formats by unit (hours with one decimal, percentages as %, counts as integers), column
//! widths. Text is always written as a string cell, never as a formula, and a text starting
//! with = + - @ gets the apostrophe prefix as in kpis.csv, so a copy to CSV stays harmless.
//! A last sheet ("Herkunft"/"Provenance") states kennzahl's version and the configuration's
//! and the data's digests in full; the document properties carry the title, the organisation,
//! the provenance stamp and, as the creation date, the data's as-of instant (never the time
//! of writing: the same report gives the same bytes).

use super::{Renderer, Target};
use crate::report::model::{Report, Table};
use crate::report::safe_cell;
use crate::words::Words;
use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};
use std::collections::HashSet;
use std::path::PathBuf;

pub struct Xlsx;

/// The unit's XLSX number format (reports/units.toml).
fn number_format(w: &Words, unit: &str) -> Format {
    Format::new().set_num_format(w.unit(unit).map(|u| u.xlsx.as_str()).unwrap_or("General"))
}

/// The value as stored: scaled by the unit's `xlsx_scale` (percentages as fractions, so that
/// Excel's % format shows them right).
fn cell_value(w: &Words, unit: &str, v: f64) -> f64 {
    v * w.unit(unit).map(|u| u.xlsx_scale).unwrap_or(1.0)
}

/// A sheet name Excel accepts: ≤ 31 characters, none of []:*?/\, unique in the workbook.
fn sheet_name(title: &str, used: &mut HashSet<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = clean.chars().take(28).collect();
    let base = if base.is_empty() {
        "Sheet".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut i = 2;
    while used.contains(&name.to_lowercase()) {
        name = format!("{base} {i}");
        i += 1;
    }
    used.insert(name.to_lowercase());
    name
}

/// The bold header row, frozen so it stays in view when scrolling.
fn header(ws: &mut Worksheet, labels: &[String], bold: &Format) -> Result<()> {
    for (i, l) in labels.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, safe_cell(l), bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// One table's sheet: a header row, the complete list where the pages show a selection
/// (`Table::full`), numbers with their unit's format, and columns as wide as their text.
fn table_sheet(ws: &mut Worksheet, t: &Table, w: &Words, bold: &Format) -> Result<()> {
    let labels: Vec<String> = t.columns.iter().map(|c| c.label.clone()).collect();
    header(ws, &labels, bold)?;
    // The complete list where the pages show a selection.
    let rows = if t.full.is_empty() { &t.rows } else { &t.full };
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let unit = t.columns.get(c).map(|c| c.unit.as_str()).unwrap_or("text");
            let (row_i, col_i) = (r as u32 + 1, c as u16);
            match cell.value {
                // A "mixed" column (a measures table) keeps the formatted text: its rows have
                // different units.
                Some(v) if unit != "text" && unit != "mixed" => {
                    ws.write_number_with_format(
                        row_i,
                        col_i,
                        cell_value(w, unit, v),
                        &number_format(w, unit),
                    )?;
                }
                Some(v) if unit == "mixed" => {
                    ws.write_number(row_i, col_i, v)?;
                }
                _ => {
                    ws.write_string(row_i, col_i, safe_cell(&cell.text))?;
                }
            }
        }
    }
    for c in 0..t.columns.len() {
        let w = std::iter::once(t.columns[c].label.chars().count())
            .chain(
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|x| x.text.chars().count()),
            )
            .max()
            .unwrap_or(8)
            .clamp(8, 60);
        ws.set_column_width(c as u16, w as f64 + 2.0)?;
    }
    Ok(())
}

/// The summary sheet: the headline KPIs of every summary section, one row each. With a
/// previous quarter the row compares (previous, change, interval, target, light); a report
/// without one (staffing) shows each figure's note instead of the comparison.
fn summary_sheet(
    wb: &mut Workbook,
    r: &Report,
    w: &Words,
    bold: &Format,
    used: &mut HashSet<String>,
) -> Result<()> {
    let heads: Vec<_> = r.sections.iter().flat_map(|s| s.headlines.iter()).collect();
    if heads.is_empty() {
        return Ok(());
    }
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(w.get("xlsx.summary"), used))?;
    let compare = !r.meta.previous.is_empty();
    let kpi = w.get("report.kpi");
    let labels: Vec<String> = if compare {
        vec![
            kpi,
            &r.meta.quarter,
            &r.meta.previous,
            &r.meta.labels.change,
            &r.meta.labels.interval,
            &r.meta.labels.target,
            w.get("xlsx.light"),
        ]
    } else {
        vec![kpi, &r.meta.quarter, &r.meta.labels.note]
    }
    .iter()
    .map(|s| s.to_string())
    .collect();
    header(ws, &labels, bold)?;
    for (i, h) in heads.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, safe_cell(&h.title))?;
        match h.raw {
            Some(v) => ws.write_number_with_format(
                row,
                1,
                cell_value(w, &h.unit, v),
                &number_format(w, &h.unit),
            )?,
            None => ws.write_string(row, 1, "–")?,
        };
        if !compare {
            ws.write_string(row, 2, safe_cell(&h.note))?;
            continue;
        }
        ws.write_string(row, 2, &h.previous)?;
        // Kennzahl's own text (signed changes such as "+12"): a string cell, never a
        // formula, and no apostrophe needed.
        ws.write_string(row, 3, &h.delta)?;
        ws.write_string(row, 4, &h.interval)?;
        ws.write_string(row, 5, &h.target)?;
        ws.write_string(row, 6, &h.light)?;
    }
    let widths: &[f64] = if compare {
        &[44.0, 12.0, 12.0, 14.0, 28.0, 12.0, 8.0]
    } else {
        &[44.0, 14.0, 30.0]
    };
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// The "KPIs" sheet: every value of the quarter in the long format (one row per KPI ×
/// breakdown key), for filtering and pivoting beyond what the report's tables show.
fn values_sheet(
    wb: &mut Workbook,
    t: &Target,
    bold: &Format,
    used: &mut HashSet<String>,
) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name("KPIs", used))?;
    let labels: Vec<String> = ["quarter", "kpi", "dimension", "key", "value", "unit"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header(ws, &labels, bold)?;
    for (i, v) in t.values.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &v.quarter)?;
        ws.write_string(row, 1, safe_cell(&v.full_name()))?;
        ws.write_string(row, 2, &v.dimension)?;
        ws.write_string(row, 3, safe_cell(&v.key))?;
        if let Some(x) = v.value {
            ws.write_number(row, 4, x)?;
        }
        ws.write_string(row, 5, &v.unit)?;
    }
    for (c, w) in [9.0, 36.0, 12.0, 28.0, 12.0, 14.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// The definitions sheet: each KPI of the catalogue with its title and definition in the
/// report's language, so the workbook explains its figures without the report beside it.
fn definitions_sheet(
    wb: &mut Workbook,
    t: &Target,
    bold: &Format,
    used: &mut HashSet<String>,
) -> Result<()> {
    let w = t.words;
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(w.get("xlsx.definitions"), used))?;
    let labels: Vec<String> = ["kpi", w.get("xlsx.title"), w.get("xlsx.definition")]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header(ws, &labels, bold)?;
    let wrap = Format::new().set_text_wrap();
    for (i, k) in t.kpis.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &k.meta.name)?;
        let n = &k.meta.name;
        ws.write_string(row, 1, w.get(&crate::words::kpi_title_id(n)))?;
        ws.write_string_with_format(row, 2, w.get(&crate::words::kpi_definition_id(n)), &wrap)?;
    }
    ws.set_column_width(0, 24.0)?;
    ws.set_column_width(1, 30.0)?;
    ws.set_column_width(2, 100.0)?;
    Ok(())
}

/// The provenance sheet: kennzahl's version and commit, the configuration's and the data's
/// digests in full, the data's as-of instant, then every input of the two digests.
fn provenance_sheet(
    wb: &mut Workbook,
    r: &Report,
    w: &Words,
    bold: &Format,
    used: &mut HashSet<String>,
) -> Result<()> {
    let p = &r.meta.provenance;
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(w.get("xlsx.provenance"), used))?;
    let labels = [
        w.get("xlsx.provenance_what"),
        w.get("xlsx.provenance_value"),
    ]
    .map(str::to_string);
    header(ws, &labels, bold)?;
    let mut commit = p.commit.clone();
    if p.dirty {
        commit = format!("{commit} ({})", w.get("xlsx.provenance_dirty"));
    }
    let mut rows: Vec<(String, String)> = vec![
        (w.get("xlsx.provenance_version").into(), p.version.clone()),
        (w.get("xlsx.provenance_commit").into(), commit),
        (w.get("xlsx.provenance_config").into(), p.config.clone()),
        (w.get("xlsx.provenance_data").into(), p.data.clone()),
        (
            w.get("xlsx.provenance_as_of").into(),
            p.as_of
                .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                .unwrap_or_default(),
        ),
    ];
    for i in &p.config_inputs {
        rows.push((
            w.fmt("xlsx.provenance_input", &[("name", &i.name)]),
            i.sha256.clone(),
        ));
    }
    for t in &p.tables {
        rows.push((
            w.fmt(
                "xlsx.provenance_table",
                &[("table", &t.table), ("rows", &t.rows.to_string())],
            ),
            t.hash_sum.clone(),
        ));
    }
    rows.push((
        w.get("xlsx.provenance_rejected").into(),
        format!("{}, {}", p.rejected_files, p.rejected_rows),
    ));
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, safe_cell(k))?;
        ws.write_string(i as u32 + 1, 1, safe_cell(v))?;
    }
    ws.set_column_width(0, 60.0)?;
    ws.set_column_width(1, 70.0)?;
    Ok(())
}

/// The document properties: title, organisation, the provenance stamp, and the data's as-of
/// instant as the creation date (1980-01-01, the date of the archive's entries, without data).
fn properties(r: &Report) -> Result<DocProperties> {
    let m = &r.meta;
    let created = match m.provenance.as_of {
        Some(t) => ExcelDateTime::from_timestamp(t.timestamp()),
        None => ExcelDateTime::from_ymd(1980, 1, 1),
    }
    .or_else(|_| ExcelDateTime::from_ymd(1980, 1, 1))?;
    let mut title = format!("{} {}", m.title, m.quarter);
    if !m.subject.is_empty() {
        title = format!("{title}: {}", m.subject);
    }
    Ok(DocProperties::new()
        .set_title(title)
        .set_author(&m.org)
        .set_comment(&m.labels.generated_by)
        .set_creation_datetime(&created))
}

impl Renderer for Xlsx {
    fn format(&self) -> &'static str {
        "xlsx"
    }
    fn needs_values(&self) -> bool {
        true
    }
    /// The workbook's sheets in order: summary, one per table, the long-format values, the
    /// definitions, the provenance; the sheet names are made unique across all of them.
    fn render(&self, r: &Report, t: &Target) -> Result<PathBuf> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let mut used = HashSet::new();
        summary_sheet(&mut wb, r, t.words, &bold, &mut used)?;
        for s in &r.sections {
            for tb in &s.tables {
                let ws = wb.add_worksheet();
                ws.set_name(sheet_name(&tb.title, &mut used))?;
                table_sheet(ws, tb, t.words, &bold)?;
            }
        }
        values_sheet(&mut wb, t, &bold, &mut used)?;
        definitions_sheet(&mut wb, t, &bold, &mut used)?;
        provenance_sheet(&mut wb, r, t.words, &bold, &mut used)?;
        wb.set_properties(&properties(r)?);
        let p = t.dir.join(format!("{}.xlsx", t.stem));
        wb.save(&p)
            .with_context(|| format!("cannot write {}", p.display()))?;
        Ok(p)
    }
}
