//! Reading any export into rows of text: CSV/TSV (delimiter sniffed, quoted newlines,
//! CRLF), UTF-8 with or without BOM, UTF-16, Windows-1252 (detected or set), `.gz` and
//! `.zip` (the first file inside), XLSX/ODS (first sheet) and JSON/NDJSON (objects).
//! Every row keeps its line (or spreadsheet row) number for rejects.

use super::ImportError;
use std::io::Read;
use std::path::Path;

/// A file read as text: headers and rows with their source line numbers.
#[derive(Debug, Clone, Default)]
pub struct RawTable {
    pub headers: Vec<String>,
    pub rows: Vec<RawRow>,
    /// What was detected, for the user: encoding, delimiter, format.
    pub detected: String,
}

impl RawTable {
    /// The first row that is not blank is the header (trailing empty cells, from exports
    /// padded with delimiters, are dropped); every later row is data.
    fn push(&mut self, line: u64, fields: Vec<String>) {
        if !self.headers.is_empty() {
            self.rows.push(RawRow { line, fields });
            return;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        self.headers = fields.iter().map(|h| h.trim().to_string()).collect();
        while self.headers.last().is_some_and(|h| h.is_empty()) {
            self.headers.pop();
        }
    }
}

#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: u64,
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Auto,
    Utf8,
    Utf16,
    Windows1252,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" | "" => Ok(Encoding::Auto),
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "utf-16" | "utf16" | "utf-16le" => Ok(Encoding::Utf16),
            "windows-1252" | "cp1252" | "latin-1" | "latin1" | "iso-8859-1" | "iso-8859-15" => {
                Ok(Encoding::Windows1252)
            }
            _ => Err(format!(
                "unknown encoding {s:?} (auto, utf-8, utf-16, windows-1252, latin-1)"
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub encoding: Encoding,
    /// `None` = sniff from the header line.
    pub delimiter: Option<u8>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: Encoding::Auto,
            delimiter: None,
        }
    }
}

fn ferr(path: &Path, message: impl Into<String>) -> ImportError {
    ImportError::File {
        file: path.display().to_string(),
        message: message.into(),
    }
}

/// The lower-case name without compression suffixes.
fn inner_name(path: &Path) -> String {
    let n = path
        .file_name()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    n.strip_suffix(".gz").map(str::to_string).unwrap_or(n)
}

/// Read the raw bytes, decompressing `.gz`, and for `.zip` the first file (its name is returned).
fn read_bytes(path: &Path) -> Result<(Vec<u8>, String), ImportError> {
    let name = inner_name(path);
    let mut buf = Vec::new();
    if name.ends_with(".zip") {
        let f = std::fs::File::open(path).map_err(|e| ferr(path, format!("cannot open: {e}")))?;
        let mut z = zip::ZipArchive::new(f)
            .map_err(|e| ferr(path, format!("not a readable zip archive: {e}")))?;
        let idx = (0..z.len())
            .find(|i| z.by_index(*i).map(|f| f.is_file()).unwrap_or(false))
            .ok_or_else(|| ferr(path, "the zip archive holds no file"))?;
        let mut f = z
            .by_index(idx)
            .map_err(|e| ferr(path, format!("cannot read the zip archive: {e}")))?;
        let inner = f.name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        f.read_to_end(&mut buf)
            .map_err(|e| ferr(path, format!("cannot read {inner} in the zip archive: {e}")))?;
        return Ok((buf, inner));
    }
    let mut r = super::open_reader(path)?;
    r.read_to_end(&mut buf)
        .map_err(|e| ferr(path, format!("cannot read: {e}")))?;
    Ok((buf, name))
}

/// Decode bytes to text: BOMs first, then the configured or detected encoding.
pub fn decode(bytes: &[u8], enc: Encoding) -> Result<(String, &'static str), String> {
    if let Some((e, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = e.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(format!("invalid {} after its byte order mark", e.name()));
        }
        return Ok((text.into_owned(), e.name()));
    }
    match enc {
        Encoding::Utf16 => {
            let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
            if bad {
                return Err("invalid UTF-16".into());
            }
            Ok((text.into_owned(), "UTF-16LE"))
        }
        Encoding::Windows1252 => Ok((
            encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
            "windows-1252",
        )),
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => Ok((s.to_string(), "UTF-8")),
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1;
                Err(format!("line {line}: invalid UTF-8 (set read.encoding = \"windows-1252\" for Excel/Windows exports)"))
            }
        },
        Encoding::Auto => {
            // UTF-16 without BOM: many NUL bytes in the first kilobyte.
            let head = &bytes[..bytes.len().min(1024)];
            if head.len() >= 4 && head.iter().filter(|b| **b == 0).count() * 4 >= head.len() {
                let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
                return Ok((text.into_owned(), "UTF-16LE"));
            }
            match std::str::from_utf8(bytes) {
                Ok(s) => Ok((s.to_string(), "UTF-8")),
                Err(_) => Ok((
                    encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
                    "windows-1252 (not valid UTF-8)",
                )),
            }
        }
    }
}

/// The delimiter that splits the header line into the most fields (outside quotes).
pub fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let mut n = 0;
        let mut quoted = false;
        for c in first.bytes() {
            if c == b'"' {
                quoted = !quoted;
            } else if c == d && !quoted {
                n += 1;
            }
        }
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

pub fn read_table(path: &Path, opts: &ReadOptions) -> Result<RawTable, ImportError> {
    let (bytes, name) = read_bytes(path)?;
    if name.ends_with(".xlsx")
        || name.ends_with(".xlsm")
        || name.ends_with(".xls")
        || name.ends_with(".ods")
    {
        return read_sheet(path, bytes);
    }
    let (text, enc) = decode(&bytes, opts.encoding).map_err(|m| ferr(path, m))?;
    let trimmed = text.trim_start();
    if name.ends_with(".json")
        || name.ends_with(".ndjson")
        || name.ends_with(".jsonl")
        || trimmed.starts_with('[')
        || trimmed.starts_with('{')
    {
        return read_json(path, &text, enc);
    }
    let delim = opts.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut table = RawTable {
        detected: format!("{enc}, delimiter {:?}", delim as char),
        ..Default::default()
    };
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(ImportError::Line {
                    file: path.display().to_string(),
                    line,
                    message: format!("unreadable CSV: {e}"),
                });
            }
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        // Exports concatenated from several files carry byte order marks inside (BPIC 2014
        // has 23): a BOM is never data.
        let fields: Vec<String> = rec
            .iter()
            .map(|f| f.trim_start_matches('\u{feff}').to_string())
            .collect();
        table.push(line, fields);
    }
    if table.headers.is_empty() {
        return Err(ferr(path, "the file is empty (no header row)"));
    }
    Ok(table)
}

fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => b.to_string(),
        // Excel date cells: the serial number, read by the timestamp parser.
        Data::DateTime(d) => format!("{}", d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_sheet(path: &Path, bytes: Vec<u8>) -> Result<RawTable, ImportError> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| ferr(path, format!("not a readable spreadsheet: {e}")))?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| ferr(path, "the workbook has no sheet"))?;
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| ferr(path, format!("cannot read sheet {name:?}: {e}")))?;
    let start_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
    let mut table = RawTable {
        detected: format!("spreadsheet, sheet {name:?}"),
        ..Default::default()
    };
    for (i, row) in range.rows().enumerate() {
        let fields: Vec<String> = row.iter().map(cell_text).collect();
        let line = start_row + i as u64 + 1;
        table.push(line, fields);
    }
    if table.headers.is_empty() {
        return Err(ferr(path, format!("sheet {name:?} is empty")));
    }
    Ok(table)
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// JSON: an array of objects, or an object holding one array of objects; NDJSON: one object
/// per line. Nested objects are flattened with dots (`owner.name`).
fn read_json(path: &Path, text: &str, enc: &str) -> Result<RawTable, ImportError> {
    let mut objects: Vec<(u64, serde_json::Map<String, serde_json::Value>)> = Vec::new();
    let parsed: Result<serde_json::Value, _> = serde_json::from_str(text);
    match parsed {
        Ok(serde_json::Value::Array(a)) => {
            for (i, v) in a.into_iter().enumerate() {
                match v {
                    serde_json::Value::Object(o) => objects.push((i as u64 + 1, o)),
                    _ => {
                        return Err(ferr(
                            path,
                            format!("element {} of the array is not an object", i + 1),
                        ))
                    }
                }
            }
        }
        Ok(serde_json::Value::Object(o)) if !o.values().any(|v| v.is_array()) => {
            // A single record (e.g. NDJSON with one line).
            objects.push((1, o));
        }
        Ok(serde_json::Value::Object(o)) => {
            let arrays: Vec<_> = o
                .into_iter()
                .filter_map(|(_, v)| {
                    if let serde_json::Value::Array(a) = v {
                        Some(a)
                    } else {
                        None
                    }
                })
                .collect();
            if arrays.len() != 1 {
                return Err(ferr(
                    path,
                    "a JSON object must hold exactly one array of records",
                ));
            }
            for (i, v) in arrays.into_iter().next().unwrap().into_iter().enumerate() {
                if let serde_json::Value::Object(o) = v {
                    objects.push((i as u64 + 1, o));
                }
            }
        }
        Ok(_) => return Err(ferr(path, "JSON must be an array of objects")),
        Err(whole) => {
            // NDJSON: one object per line.
            for (i, l) in text.lines().enumerate() {
                if l.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<serde_json::Value>(l) {
                    Ok(serde_json::Value::Object(o)) => objects.push((i as u64 + 1, o)),
                    Ok(_) => {
                        return Err(ImportError::Line {
                            file: path.display().to_string(),
                            line: i as u64 + 1,
                            message: "not a JSON object".into(),
                        })
                    }
                    Err(e) => {
                        let msg = if i == 0 {
                            format!("invalid JSON: {whole}")
                        } else {
                            format!("invalid JSON: {e}")
                        };
                        return Err(ImportError::Line {
                            file: path.display().to_string(),
                            line: i as u64 + 1,
                            message: msg,
                        });
                    }
                }
            }
        }
    }
    fn flatten(
        prefix: &str,
        o: &serde_json::Map<String, serde_json::Value>,
        out: &mut Vec<(String, String)>,
    ) {
        for (k, v) in o {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                serde_json::Value::Object(inner) => flatten(&key, inner, out),
                other => out.push((key, json_text(other))),
            }
        }
    }
    let mut headers: Vec<String> = Vec::new();
    let mut flat_rows = Vec::new();
    for (line, o) in &objects {
        let mut kv = Vec::new();
        flatten("", o, &mut kv);
        for (k, _) in &kv {
            if !headers.contains(k) {
                headers.push(k.clone());
            }
        }
        flat_rows.push((*line, kv));
    }
    let rows = flat_rows
        .into_iter()
        .map(|(line, kv)| {
            let mut fields = vec![String::new(); headers.len()];
            for (k, v) in kv {
                let i = headers.iter().position(|h| *h == k).unwrap();
                fields[i] = v;
            }
            RawRow { line, fields }
        })
        .collect();
    if headers.is_empty() {
        return Err(ferr(path, "the JSON holds no records"));
    }
    Ok(RawTable {
        headers,
        rows,
        detected: format!("JSON ({enc})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_and_decoding() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter("a,b\tc\td"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c,d"), b',');
        assert_eq!(sniff_delimiter("a|b|c"), b'|');
        let (t, e) = decode(b"Stra\xdfe", Encoding::Auto).unwrap();
        assert_eq!(
            (t.as_str(), e),
            ("Straße", "windows-1252 (not valid UTF-8)")
        );
        let (t, _) = decode("\u{feff}Straße".as_bytes(), Encoding::Auto).unwrap();
        assert_eq!(t, "Straße");
        let utf16: Vec<u8> = "\u{feff}ab"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode(&utf16, Encoding::Auto).unwrap().0, "ab");
        assert!(decode(b"a\nb\xff", Encoding::Utf8)
            .unwrap_err()
            .starts_with("line 2: invalid UTF-8"));
    }
}
