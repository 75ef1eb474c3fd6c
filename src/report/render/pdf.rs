//! `<stem>.pdf`: the report typeset by Typst, compiled in-process from the template
//! `report.typ` (a workspace's own copy wins). The template reads the evaluated report as
//! `report.json` and the charts as `charts/<name>.svg` from an in-memory file system, so no
//! user text is ever parsed as Typst markup. Fonts are Typst's embedded set (typst-assets): no
//! system font lookup, the same PDF on every machine. A4, title page, table of contents, page
//! numbers, tables whose header repeats across pages, tagged PDF (Typst's default). Every
//! page's footer carries the provenance stamp; the document's date is the data's as-of
//! instant, and Typst is given no "today": the same report gives the same bytes.

use super::{template, Renderer, Target};
use crate::report::model::Report;
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

pub const TEMPLATE: &str = include_str!("../../../reports/quarterly/report.typ");

/// Typst's standard library and embedded fonts, loaded once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

struct ReportWorld {
    main: FileId,
    source: Source,
    files: HashMap<FileId, Bytes>,
}

fn file_id(path: &str) -> Result<FileId> {
    let vp =
        VirtualPath::new(path).map_err(|e| anyhow::anyhow!("bad virtual path {path:?}: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vp).intern())
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::NotSource)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main {
            return Ok(Bytes::from_string(self.source.text().to_string()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_without_slash().into()))
    }
    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // No "today" in a report: it must be the same when rerun.
        None
    }
}

pub struct Pdf;

/// Compile `template` with the report's data into PDF bytes.
pub fn compile(r: &Report, template_src: &str, origin: &str) -> Result<Vec<u8>> {
    let main = file_id("/report.typ")?;
    let mut files = HashMap::new();
    files.insert(file_id("/report.json")?, Bytes::new(serde_json::to_vec(r)?));
    for s in &r.sections {
        for c in &s.charts {
            files.insert(
                file_id(&format!("/{}", c.file))?,
                Bytes::from_string(c.svg.clone()),
            );
        }
    }
    let world = ReportWorld {
        main,
        source: Source::new(main, template_src.to_string()),
        files,
    };
    let warned = typst::compile::<typst_layout::PagedDocument>(&world);
    let doc = match warned.output {
        Ok(d) => d,
        Err(errs) => {
            let msgs: Vec<String> = errs
                .iter()
                .map(|d| {
                    let mut m = d.message.to_string();
                    for h in &d.hints {
                        m.push_str(&format!(" (hint: {})", h.v));
                    }
                    m
                })
                .collect();
            bail!("the PDF template {origin} failed: {}", msgs.join("; "));
        }
    };
    // The PDF's creation date is the data's as-of instant, never the time it was written
    // (without data: none), so the same report is the same file.
    let timestamp = r.meta.provenance.as_of.and_then(|t| {
        use chrono::{Datelike, Timelike};
        let d = Datetime::from_ymd_hms(
            t.year(),
            t.month() as u8,
            t.day() as u8,
            t.hour() as u8,
            t.minute() as u8,
            t.second() as u8,
        )?;
        Some(typst_pdf::Timestamp::new_utc(d))
    });
    let opts = typst_pdf::PdfOptions {
        timestamp,
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &opts).map_err(|errs| {
        anyhow::anyhow!(
            "cannot write the PDF from {origin}: {}",
            errs.iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        )
    })
}

impl Renderer for Pdf {
    fn format(&self) -> &'static str {
        "pdf"
    }
    fn render(&self, r: &Report, t: &Target) -> Result<PathBuf> {
        let (src, origin) = template(t, "report.typ", TEMPLATE)?;
        let bytes = compile(r, &src, &origin)?;
        let p = t.dir.join(format!("{}.pdf", t.stem));
        std::fs::write(&p, bytes).with_context(|| format!("cannot write {}", p.display()))?;
        Ok(p)
    }
}
