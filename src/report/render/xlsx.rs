//! `<stem>.xlsx`: one workbook — the headline KPIs, one sheet per table (the complete list where
//! the pages show a selection, `Table::full`), a "KPIs" sheet with
//! every value of the quarter in the long format, and a "Definitions" sheet. Frozen header rows,
//! number formats by unit (hours with one decimal, percentages as %, counts as integers), column
//! widths. Text is always written as a string cell, never as a formula, and a text starting
//! with = + - @ gets the apostrophe prefix as in kpis.csv, so a copy to CSV stays harmless.

use super::{Renderer, Target};
use crate::report::model::{Report, Table};
use crate::report::safe_cell;
use crate::words::Words;
use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
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

impl Renderer for Xlsx {
    fn format(&self) -> &'static str {
        "xlsx"
    }
    fn needs_values(&self) -> bool {
        true
    }
    /// The workbook's sheets in order: summary, one per table, the long-format values, the
    /// definitions; the sheet names are made unique across all of them.
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
        let p = t.dir.join(format!("{}.xlsx", t.stem));
        wb.save(&p)
            .with_context(|| format!("cannot write {}", p.display()))?;
        Ok(p)
    }
}
