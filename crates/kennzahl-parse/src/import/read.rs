//! The one reader for every export format, delivering rows in batches with their line
//! numbers: CSV/TSV (delimiter sniffed from the first line, quoted newlines, CRLF) plain,
//! `.gz` or `.zip` (the first file inside), UTF-8 with or without BOM, UTF-16 and
//! Windows-1252 (detected from the first bytes, or set) — all streamed, so memory is bounded
//! by the batch size, not the file size. XLSX/ODS (first sheet) and JSON arrays/NDJSON are
//! whole-document formats: they are parsed whole (calamine and serde need the document)
//! and then fed through the same batch interface.
//!
//! Hostile input meets limits ([`Limits`], `[import]` in kennzahl.toml): a `.gz`/`.zip` may
//! expand only so far (decompression bombs), a row may have only so many fields, a field
//! only so many bytes — checked while streaming, so a runaway field (an unclosed quote in a
//! huge file) is stopped before it is held in memory whole. Each is a clear error naming the
//! file, the limit and the setting.

use super::ReadError;
use std::io::{Read, Seek};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Rows per batch: large enough to amortise appending, small enough to bound memory.
pub const BATCH_ROWS: usize = 50_000;

/// Bytes looked at to detect the encoding, the format and the delimiter.
const HEAD_BYTES: usize = 64 * 1024;

/// One data row and the line (or spreadsheet row) it starts on.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub fields: csv::StringRecord,
    /// Fields longer than `import.max_field_size`: (index, length in bytes). Their text is
    /// dropped (the field reads as empty); whoever maps the row decides what that means: a
    /// column kennzahl keeps rejects the row, any other column is skipped with a note.
    pub oversize: Vec<(usize, usize)>,
}

impl Row {
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).unwrap_or("")
    }
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// A whole document read into memory (spreadsheets, JSON).
#[derive(Debug, Clone, Default)]
struct RawTable {
    headers: Vec<String>,
    rows: Vec<RawRow>,
    detected: String,
}

impl RawTable {
    /// The first row that is not blank is the header; every later row is data.
    fn push(&mut self, line: u64, fields: Vec<String>) {
        if !self.headers.is_empty() {
            self.rows.push(RawRow { line, fields });
            return;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        self.headers = clean_headers(fields.iter().map(|s| s.as_str()));
    }
}

#[derive(Debug, Clone)]
struct RawRow {
    line: u64,
    fields: Vec<String>,
}

/// Header cells trimmed; trailing empty cells (exports padded with delimiters) dropped.
fn clean_headers<'a>(fields: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut h: Vec<String> = fields
        .map(|f| f.trim().trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    while h.last().is_some_and(|x| x.is_empty()) {
        h.pop();
    }
    h
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
    pub limits: Limits,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: Encoding::Auto,
            delimiter: None,
            limits: Limits::default(),
        }
    }
}

/// What a file may hold before reading it stops with an error (`[import]` in kennzahl.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A `.gz` or `.zip` may expand to at most this many times its compressed size
    /// (`import.max_expansion`), and always to `expansion_floor` bytes.
    pub max_expansion: u64,
    /// Decompressed bytes every compressed file may have, whatever its ratio: small files
    /// of repeated values compress far better than a bomb's limit would allow.
    pub expansion_floor: u64,
    /// Fields in a row, the header's included (`import.max_columns`).
    pub max_columns: usize,
    /// Bytes of one field kennzahl keeps (`import.max_field_size`); a CSV row may run to
    /// `ROW_FACTOR` times that while it is read.
    pub max_field_size: usize,
}

/// A CSV row may be this many times `max_field_size` long while it streams in: a row with
/// one oversize value in a column kennzahl does not keep (a Jira description of 1.1 MiB)
/// is read and the value skipped; a row that runs on past this (an unclosed quote) stops
/// the read, which bounds memory.
pub const ROW_FACTOR: usize = 16;

impl Limits {
    /// The longest CSV row read before the read stops.
    pub fn max_row(&self) -> u64 {
        (self.max_field_size as u64).saturating_mul(ROW_FACTOR as u64)
    }
}

pub const DEFAULT_MAX_EXPANSION: u64 = 100;
pub const EXPANSION_FLOOR: u64 = 64 * 1024 * 1024;
pub const DEFAULT_MAX_COLUMNS: usize = 16_384;
pub const DEFAULT_MAX_FIELD_SIZE: usize = 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_expansion: DEFAULT_MAX_EXPANSION,
            expansion_floor: EXPANSION_FLOOR,
            max_columns: DEFAULT_MAX_COLUMNS,
            max_field_size: DEFAULT_MAX_FIELD_SIZE,
        }
    }
}

/// A limit that stopped reading, carried through `io::Error` from the stream (a
/// decompressing thread, the CSV parser's buffer) to the error the user sees.
#[derive(Debug)]
struct LimitExceeded(String);

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitExceeded {}

/// The message of a limit carried in an I/O error, if it is one.
fn limit_of(e: &std::io::Error) -> Option<String> {
    e.get_ref()
        .and_then(|x| x.downcast_ref::<LimitExceeded>())
        .map(|l| l.0.clone())
}

/// A read error as the user sees it: a limit's own message, or "cannot read".
fn io_err(path: &Path, e: std::io::Error) -> ReadError {
    match limit_of(&e) {
        Some(m) => ferr(path, m),
        None => ferr(path, format!("cannot read: {e}")),
    }
}

/// Bytes in a human unit for messages (`64 MiB`, `1.5 KiB`).
fn human(n: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else if (v * 10.0).round() % 10.0 == 0.0 {
        format!("{} {}", v.round(), UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// Decompressed bytes, stopped at a cap (decompression bombs).
struct Capped<R> {
    inner: R,
    read: u64,
    cap: u64,
    message: String,
}

impl<R> Capped<R> {
    fn new(inner: R, compressed: u64, limits: &Limits) -> Self {
        let cap = compressed
            .saturating_mul(limits.max_expansion)
            .max(limits.expansion_floor);
        Capped {
            inner,
            read: 0,
            cap,
            message: format!(
                "expands to more than {} (import.max_expansion = {}: at most {} times its compressed size of {}, and at least {}); refused as a possible decompression bomb",
                human(cap),
                limits.max_expansion,
                limits.max_expansion,
                human(compressed),
                human(limits.expansion_floor)
            ),
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read >= self.cap {
            // One byte more than the cap tells a file of exactly the cap from a bigger one.
            let mut one = [0u8; 1];
            return match self.inner.read(&mut one)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(LimitExceeded(self.message.clone()))),
            };
        }
        let room = (self.cap - self.read).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..room])?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Where the CSV parser is: bytes handed to it, and the byte and line where the row being
/// read starts. A row that runs on past the field limit is stopped as it streams in (so
/// is a run of blank lines that long: the parser skips them without ending a row).
#[derive(Debug, Default)]
struct RowGuard {
    handed: AtomicU64,
    row_start: AtomicU64,
    row_line: AtomicU64,
}

/// Bytes the CSV parser may buffer beyond a row: its buffer and one read.
const CSV_BUFFER: u64 = 256 * 1024;

struct Guarded {
    inner: Box<dyn Read + Send>,
    guard: Arc<RowGuard>,
    max_row: u64,
}

impl Read for Guarded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let handed = self.guard.handed.load(Ordering::Relaxed);
        let start = self.guard.row_start.load(Ordering::Relaxed);
        if handed.saturating_sub(start) > self.max_row + 2 * CSV_BUFFER {
            return Err(std::io::Error::other(LimitExceeded(format!(
                "line {}: no row ends within {} ({} times import.max_field_size = {}): an unclosed quote, or a field that long?",
                self.guard.row_line.load(Ordering::Relaxed),
                human(self.max_row),
                ROW_FACTOR,
                self.max_row / ROW_FACTOR as u64
            ))));
        }
        let n = self.inner.read(buf)?;
        self.guard.handed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// A seekable source: a file, or bytes in memory.
pub trait Source: Read + Seek + Send {}
impl<T: Read + Seek + Send> Source for T {}

fn ferr(path: &Path, message: impl Into<String>) -> ReadError {
    ReadError::File {
        file: path.display().to_string(),
        message: message.into(),
    }
}

/// The lower-case name without `.gz`.
fn inner_name(path: &Path) -> String {
    let n = path
        .file_name()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    n.strip_suffix(".gz").map(str::to_string).unwrap_or(n)
}

/// Bytes produced on another thread (decompression runs beside parsing: two cores).
/// Dropped, it stops the thread and waits for it: no thread outlives its reader.
struct ChannelReader {
    rx: Option<std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>>,
    worker: Option<std::thread::JoinHandle<()>>,
    buf: Vec<u8>,
    pos: usize,
}

type Chunks = std::sync::mpsc::SyncSender<std::io::Result<Vec<u8>>>;

impl ChannelReader {
    /// Run `produce` on a thread of its own and read what it sends.
    fn spawn(produce: impl FnOnce(Chunks) + Send + 'static) -> ChannelReader {
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(4);
        let worker = std::thread::spawn(move || produce(tx));
        ChannelReader {
            rx: Some(rx),
            worker: Some(worker),
            buf: Vec::new(),
            pos: 0,
        }
    }
}

impl Drop for ChannelReader {
    fn drop(&mut self) {
        // A closed channel makes the producer stop at its next chunk (see `pump`).
        drop(self.rx.take());
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.buf.len() {
            let Some(rx) = &self.rx else { return Ok(0) };
            match rx.recv() {
                Ok(Ok(b)) => {
                    self.buf = b;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0), // the producer is done
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Send what `r` yields in chunks until it ends, fails or the receiver is gone.
fn pump(r: &mut dyn Read, tx: &Chunks) {
    loop {
        let mut chunk = vec![0u8; 256 * 1024];
        let mut filled = 0;
        while filled < chunk.len() {
            match r.read(&mut chunk[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
        if filled == 0 {
            return;
        }
        chunk.truncate(filled);
        // A closed receiver means the import stopped early: stop too.
        if tx.send(Ok(chunk)).is_err() {
            return;
        }
    }
}

/// Stream what `r` yields from another thread (decompression beside parsing: two cores).
fn threaded(mut r: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
    Box::new(ChannelReader::spawn(move |tx| pump(&mut r, &tx)))
}

/// The decompressed byte stream of a file and the name of what it holds (`.zip`: the
/// first file inside). `len`: the size of the file as stored.
fn open_stream(
    path: &Path,
    f: Box<dyn Source>,
    len: u64,
    limits: &Limits,
) -> Result<(Box<dyn Read + Send>, String), ReadError> {
    let name = inner_name(path);
    let lower = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".zip") {
        let mut z = zip::ZipArchive::new(f)
            .map_err(|e| ferr(path, format!("not a readable zip archive: {e}")))?;
        let idx = (0..z.len())
            .find(|i| z.by_index(*i).map(|f| f.is_file()).unwrap_or(false))
            .ok_or_else(|| ferr(path, "the zip archive holds no file"))?;
        let inner = z
            .by_index(idx)
            .map_err(|e| ferr(path, format!("cannot read the zip archive: {e}")))?
            .name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        // The entry borrows the archive: both live on the thread that inflates.
        let limits = *limits;
        let r: Box<dyn Read + Send> =
            Box::new(ChannelReader::spawn(move |tx| match z.by_index(idx) {
                Ok(e) => pump(&mut Capped::new(e, len, &limits), &tx),
                Err(err) => {
                    let _ = tx.send(Err(std::io::Error::other(err.to_string())));
                }
            }));
        return Ok((r, inner));
    }
    if lower.ends_with(".gz") {
        let r = threaded(Box::new(Capped::new(
            flate2::read::MultiGzDecoder::new(std::io::BufReader::with_capacity(256 * 1024, f)),
            len,
            limits,
        )));
        return Ok((r, name));
    }
    Ok((
        Box::new(std::io::BufReader::with_capacity(256 * 1024, f)),
        name,
    ))
}

/// Decodes a byte stream of a legacy encoding (UTF-16, Windows-1252) to UTF-8 as it is read.
struct DecodeReader {
    inner: Box<dyn Read + Send>,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl DecodeReader {
    fn new(inner: Box<dyn Read + Send>, decoder: encoding_rs::Decoder) -> Self {
        DecodeReader {
            inner,
            decoder,
            raw: vec![0; 64 * 1024],
            out: Vec::new(),
            pos: 0,
            eof: false,
        }
    }
}

impl Read for DecodeReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.out.len() {
            if self.eof {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.raw)?;
            let last = n == 0;
            self.eof = last;
            self.out.clear();
            self.pos = 0;
            let need = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.out.reserve(need);
            let mut tmp = vec![0u8; need];
            let (_, _, written, _) = self.decoder.decode_to_utf8(&self.raw[..n], &mut tmp, last);
            self.out.extend_from_slice(&tmp[..written]);
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Whether `b` is UTF-8, allowing a character cut off at the end.
fn utf8_prefix(b: &[u8]) -> bool {
    match std::str::from_utf8(b) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && b.len() - e.valid_up_to() < 4,
    }
}

enum Rows {
    /// CSV rows as they are parsed. `lenient`: UTF-8 detected from the first bytes, so a
    /// later field that is not UTF-8 is read as Windows-1252 (exports concatenated from
    /// several systems); otherwise invalid UTF-8 is an error with its line.
    Csv {
        rdr: csv::Reader<Box<dyn Read + Send>>,
        lenient: bool,
        rec: csv::ByteRecord,
        guard: Arc<RowGuard>,
    },
    /// Rows of a whole document.
    Whole(std::vec::IntoIter<RawRow>),
}

/// An open export: its header, what was detected, and its rows batch by batch.
pub struct TableReader {
    pub headers: Vec<String>,
    /// Cells in the header row as read, before trailing empty ones were dropped.
    pub header_width: usize,
    /// What was detected, for the user: encoding, delimiter, format.
    pub detected: String,
    file: String,
    src: Rows,
    limits: Limits,
    /// Bytes of the file (compressed, as stored) read so far: progress, for the display.
    pub consumed: Arc<AtomicU64>,
}

/// A source that counts the bytes read from it (a zip archive's seeks are not undone:
/// the count is for a progress display, never for accounting).
struct Counted {
    inner: Box<dyn Source>,
    n: Arc<AtomicU64>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Seek for Counted {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

impl TableReader {
    /// Open a file and read up to its header row.
    pub fn open(path: &Path, opts: &ReadOptions) -> Result<TableReader, ReadError> {
        let f = std::fs::File::open(path).map_err(|e| ferr(path, format!("cannot open: {e}")))?;
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        Self::open_source(path, Box::new(f), len, opts)
    }

    /// Read bytes in memory as if they were a file of this name (`x.csv.gz`, `x.json`):
    /// the same detection, formats and limits (for tests and fuzzing).
    pub fn from_bytes(
        name: &str,
        bytes: Vec<u8>,
        opts: &ReadOptions,
    ) -> Result<TableReader, ReadError> {
        let len = bytes.len() as u64;
        Self::open_source(
            Path::new(name),
            Box::new(std::io::Cursor::new(bytes)),
            len,
            opts,
        )
    }

    fn open_source(
        path: &Path,
        f: Box<dyn Source>,
        len: u64,
        opts: &ReadOptions,
    ) -> Result<TableReader, ReadError> {
        let consumed = Arc::new(AtomicU64::new(0));
        let f = Box::new(Counted {
            inner: f,
            n: consumed.clone(),
        });
        let mut r = Self::open_counted(path, f, len, opts)?;
        r.consumed = consumed;
        Ok(r)
    }

    fn open_counted(
        path: &Path,
        f: Box<dyn Source>,
        len: u64,
        opts: &ReadOptions,
    ) -> Result<TableReader, ReadError> {
        let limits = opts.limits;
        let (mut stream, name) = open_stream(path, f, len, &limits)?;
        let file = path.display().to_string();
        if name.ends_with(".xlsx")
            || name.ends_with(".xlsm")
            || name.ends_with(".xls")
            || name.ends_with(".ods")
        {
            let mut bytes = Vec::new();
            stream
                .read_to_end(&mut bytes)
                .map_err(|e| io_err(path, e))?;
            return Self::whole(file, read_sheet(path, bytes)?, limits);
        }
        let mut head = Vec::with_capacity(HEAD_BYTES);
        (&mut stream)
            .take(HEAD_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(|e| io_err(path, e))?;
        let looks_json = {
            let t = String::from_utf8_lossy(&head[..head.len().min(4096)]).replace('\u{feff}', "");
            let t = t.trim_start_matches(|c: char| c.is_whitespace() || c == '\0');
            name.ends_with(".json")
                || name.ends_with(".ndjson")
                || name.ends_with(".jsonl")
                || t.starts_with('[')
                || t.starts_with('{')
        };
        if looks_json {
            let mut bytes = head;
            stream
                .read_to_end(&mut bytes)
                .map_err(|e| io_err(path, e))?;
            let (text, enc) = decode(&bytes, opts.encoding).map_err(|m| ferr(path, m))?;
            return Self::whole(file, read_json(path, &text, enc)?, limits);
        }
        // Choose the decoding from the first bytes.
        let bom = encoding_rs::Encoding::for_bom(&head).map(|(e, _)| e);
        let nul_heavy = {
            let h = &head[..head.len().min(1024)];
            h.len() >= 4 && h.iter().filter(|b| **b == 0).count() * 4 >= h.len()
        };
        let legacy: Option<&'static encoding_rs::Encoding> = match (bom, opts.encoding) {
            (Some(e), _) if e == encoding_rs::UTF_8 => None,
            (Some(e), _) => Some(e),
            (None, Encoding::Utf16) => Some(encoding_rs::UTF_16LE),
            (None, Encoding::Windows1252) => Some(encoding_rs::WINDOWS_1252),
            (None, Encoding::Utf8) => None,
            (None, Encoding::Auto) if nul_heavy => Some(encoding_rs::UTF_16LE),
            (None, Encoding::Auto) if !utf8_prefix(&head) => Some(encoding_rs::WINDOWS_1252),
            (None, Encoding::Auto) => None,
        };
        let lenient = legacy.is_none() && opts.encoding == Encoding::Auto && bom.is_none();
        let enc_label = match legacy {
            Some(e) if e == encoding_rs::WINDOWS_1252 && opts.encoding == Encoding::Auto => {
                "windows-1252 (not valid UTF-8)".to_string()
            }
            Some(e) => e.name().to_string(),
            None => "UTF-8".to_string(),
        };
        let joined: Box<dyn Read + Send> =
            Box::new(std::io::Cursor::new(head.clone()).chain(stream));
        let decoded: Box<dyn Read + Send> = match legacy {
            // The decoder removes the BOM of its own encoding.
            Some(e) => Box::new(DecodeReader::new(joined, e.new_decoder_with_bom_removal())),
            None => joined,
        };
        let head_text = match legacy {
            Some(e) => e.decode(&head).0.into_owned(),
            None => String::from_utf8_lossy(&head).into_owned(),
        };
        let delim = opts
            .delimiter
            .unwrap_or_else(|| sniff_delimiter(&head_text));
        let guard = Arc::new(RowGuard::default());
        let guarded: Box<dyn Read + Send> = Box::new(Guarded {
            inner: decoded,
            guard: guard.clone(),
            max_row: limits.max_row(),
        });
        let rdr = csv::ReaderBuilder::new()
            .delimiter(delim)
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(CSV_BUFFER as usize)
            .from_reader(guarded);
        let mut r = TableReader {
            headers: Vec::new(),
            header_width: 0,
            detected: format!("{enc_label}, delimiter {:?}", delim as char),
            file,
            src: Rows::Csv {
                rdr,
                lenient,
                rec: csv::ByteRecord::new(),
                guard,
            },
            limits,
            consumed: Default::default(),
        };
        // The first row that is not blank is the header.
        while let Some(row) = r.next_row()? {
            if !row.is_blank() {
                r.headers = clean_headers(row.fields.iter());
                r.header_width = row.fields.len();
                break;
            }
        }
        if r.headers.is_empty() {
            return Err(ferr(path, "the file is empty (no header row)"));
        }
        Ok(r)
    }

    fn whole(file: String, t: RawTable, limits: Limits) -> Result<TableReader, ReadError> {
        let mut r = TableReader {
            header_width: t.headers.len(),
            headers: Vec::new(),
            detected: t.detected,
            file,
            src: Rows::Whole(Vec::new().into_iter()),
            limits,
            consumed: Default::default(),
        };
        // The header as a row of line 1: the same column limit as every row; a header
        // name longer than the field limit is no header anyone maps.
        let lens = |v: &[String]| v.iter().map(|f| f.len()).collect::<Vec<_>>();
        check_columns(&r.file, &limits, 1, t.headers.len())?;
        if let Some(i) = t
            .headers
            .iter()
            .position(|h| h.len() > limits.max_field_size)
        {
            return Err(ReadError::Line {
                file: r.file.clone(),
                line: 1,
                message: format!(
                    "header {} is {} long, more than import.max_field_size = {} ({})",
                    i + 1,
                    human(t.headers[i].len() as u64),
                    limits.max_field_size,
                    human(limits.max_field_size as u64)
                ),
            });
        }
        for row in &t.rows {
            check_columns(&r.file, &limits, row.line, lens(&row.fields).len())?;
        }
        r.headers = t.headers;
        r.src = Rows::Whole(t.rows.into_iter());
        Ok(r)
    }

    fn next_row(&mut self) -> Result<Option<Row>, ReadError> {
        match &mut self.src {
            Rows::Whole(it) => Ok(it.next().map(|r| {
                let mut fields = r.fields;
                let oversize = drop_oversize(&self.limits, &mut fields);
                Row {
                    line: r.line,
                    fields: csv::StringRecord::from(fields),
                    oversize,
                }
            })),
            Rows::Csv {
                rdr,
                lenient,
                rec,
                guard,
            } => {
                match rdr.read_byte_record(rec) {
                    Ok(false) => return Ok(None),
                    Ok(true) => {}
                    Err(e) => {
                        let line = e.position().map(|p| p.line()).unwrap_or(0);
                        if let csv::ErrorKind::Io(io) = e.kind() {
                            // The bytes stopped, not the CSV: a limit, or a file cut short
                            // or damaged (a truncated .gz). It has no line of its own: say
                            // where reading stopped.
                            let message = limit_of(io).unwrap_or_else(|| {
                                format!(
                                    "cannot read past line {}: {io} (is the file cut short or damaged?)",
                                    guard.row_line.load(Ordering::Relaxed).max(1)
                                )
                            });
                            return Err(ReadError::File {
                                file: self.file.clone(),
                                message,
                            });
                        }
                        return Err(ReadError::Line {
                            file: self.file.clone(),
                            line,
                            message: format!("unreadable CSV: {e}"),
                        });
                    }
                }
                let next = rdr.position();
                guard.row_start.store(next.byte(), Ordering::Relaxed);
                guard.row_line.store(next.line(), Ordering::Relaxed);
                let line = rec.position().map(|p| p.line()).unwrap_or(0);
                check_columns(&self.file, &self.limits, line, rec.len())?;
                let long: Vec<(usize, usize)> = rec
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.len() > self.limits.max_field_size)
                    .map(|(i, f)| (i, f.len()))
                    .collect();
                if !long.is_empty() {
                    // Keep the row, drop the values: the mapper decides per column.
                    let mut kept = csv::ByteRecord::new();
                    for (i, f) in rec.iter().enumerate() {
                        kept.push_field(if long.iter().any(|(j, _)| *j == i) {
                            b""
                        } else {
                            f
                        });
                    }
                    kept.set_position(rec.position().cloned());
                    *rec = kept;
                }
                let mut fields = match csv::StringRecord::from_byte_record(std::mem::take(rec)) {
                    Ok(s) => s,
                    Err(e) if *lenient => e
                        .into_byte_record()
                        .iter()
                        .map(|f| match std::str::from_utf8(f) {
                            Ok(s) => s.to_string(),
                            Err(_) => encoding_rs::WINDOWS_1252.decode(f).0.into_owned(),
                        })
                        .collect(),
                    Err(e) => {
                        return Err(ReadError::Line {
                            file: self.file.clone(),
                            line,
                            message: format!(
                                "unreadable CSV: invalid UTF-8 in field {} (profiles read Excel/Windows exports with read.encoding = \"windows-1252\")",
                                e.utf8_error().field() + 1
                            ),
                        })
                    }
                };
                // Exports concatenated from several files carry byte order marks inside
                // (BPIC 2014 has 23): a BOM is never data.
                if fields.as_slice().contains('\u{feff}') {
                    fields = fields.iter().map(|f| f.replace('\u{feff}', "")).collect();
                }
                Ok(Some(Row {
                    line,
                    fields,
                    oversize: long,
                }))
            }
        }
    }

    /// The next rows (at most `max`) into `out`, which is cleared first; `false` at the end.
    pub fn next_batch(&mut self, max: usize, out: &mut Vec<Row>) -> Result<bool, ReadError> {
        out.clear();
        while out.len() < max {
            match self.next_row()? {
                Some(r) => out.push(r),
                None => break,
            }
        }
        Ok(!out.is_empty())
    }
}

/// The limit on the fields of a row: a row wider than `import.max_columns` stops the read.
fn check_columns(file: &str, limits: &Limits, line: u64, n: usize) -> Result<(), ReadError> {
    if n > limits.max_columns {
        return Err(ReadError::Line {
            file: file.to_string(),
            line,
            message: format!(
                "the row has {n} fields, more than import.max_columns = {}",
                limits.max_columns
            ),
        });
    }
    Ok(())
}

/// Empty the fields longer than `import.max_field_size`, returning (index, length) of each.
fn drop_oversize(limits: &Limits, fields: &mut [String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, f) in fields.iter_mut().enumerate() {
        if f.len() > limits.max_field_size {
            out.push((i, f.len()));
            *f = String::new();
        }
    }
    out
}

/// What the user reads about a value over the field limit.
pub fn oversize_reason(len: usize, limits: &Limits) -> String {
    format!(
        "the value is {} long, more than import.max_field_size = {} ({})",
        human(len as u64),
        limits.max_field_size,
        human(limits.max_field_size as u64)
    )
}

/// Read only the header row of a file (for detection): nothing else is parsed.
pub fn read_headers(path: &Path, opts: &ReadOptions) -> Result<Vec<String>, ReadError> {
    Ok(TableReader::open(path, opts)?.headers)
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

fn read_sheet(path: &Path, bytes: Vec<u8>) -> Result<RawTable, ReadError> {
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
fn read_json(path: &Path, text: &str, enc: &str) -> Result<RawTable, ReadError> {
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
                        return Err(ReadError::Line {
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
                        return Err(ReadError::Line {
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

    /// Every row of a file through the batch interface.
    fn all_rows(path: &Path, opts: &ReadOptions) -> (TableReader, Vec<Row>) {
        let mut r = TableReader::open(path, opts).unwrap();
        let mut out = Vec::new();
        let mut batch = Vec::new();
        while r.next_batch(1000, &mut batch).unwrap() {
            out.append(&mut batch);
        }
        (r, out)
    }

    fn small() -> ReadOptions {
        ReadOptions {
            limits: Limits {
                max_expansion: 10,
                expansion_floor: 1000,
                max_columns: 3,
                max_field_size: 10,
            },
            ..Default::default()
        }
    }

    fn read_all(name: &str, bytes: Vec<u8>, opts: &ReadOptions) -> Result<usize, ReadError> {
        let mut r = TableReader::from_bytes(name, bytes, opts)?;
        let (mut n, mut batch) = (0, Vec::new());
        while r.next_batch(100, &mut batch)? {
            n += batch.len();
        }
        Ok(n)
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn decompression_is_capped() {
        let small = || {
            let mut o = small();
            o.limits.max_expansion = 2;
            o
        };
        // 1,000 decompressed bytes are always allowed: exactly that is read.
        let ok = format!("a,b\n{}", "1,2\n".repeat(249));
        assert_eq!(ok.len(), 1000);
        assert_eq!(read_all("x.csv.gz", gz(ok.as_bytes()), &small()), Ok(249));
        let bomb = format!("a,b\n{}", "\n".repeat(100_000));
        let e = read_all("x.csv.gz", gz(bomb.as_bytes()), &small()).unwrap_err();
        assert!(
            e.to_string().starts_with("x.csv.gz: expands to more than 1000 bytes (import.max_expansion = 2: at most 2 times its compressed size of"),
            "{e}"
        );
        // The same through a zip entry.
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file("x.csv", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut z, bomb.as_bytes()).unwrap();
        let bytes = z.finish().unwrap().into_inner();
        let e = read_all("x.zip", bytes, &small()).unwrap_err();
        assert!(
            e.to_string()
                .contains("refused as a possible decompression bomb"),
            "{e}"
        );
    }

    #[test]
    fn columns_and_fields_are_limited() {
        let e = read_all("x.csv", b"a,b,c,d\n".to_vec(), &small()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.csv:1: the row has 4 fields, more than import.max_columns = 3"
        );
        // A field over the limit does not stop the read: its text is dropped and the row
        // says which field was how long (the mapper rejects or skips it).
        let rows = |name: &str, bytes: &[u8]| {
            let mut r = TableReader::from_bytes(name, bytes.to_vec(), &small()).unwrap();
            let mut batch = Vec::new();
            r.next_batch(100, &mut batch).unwrap();
            batch
        };
        let b = rows("x.csv", b"a,b\n1,2\n1,12345678901\n3,4\n");
        assert_eq!(b.len(), 3);
        assert_eq!((b[1].line, b[1].get(0), b[1].get(1)), (3, "1", ""));
        assert_eq!(b[1].oversize, vec![(1, 11)]);
        assert!(b[0].oversize.is_empty() && b[2].oversize.is_empty());
        assert_eq!(b[2].get(1), "4");
        let b = rows("x.json", br#"[{"a": "12345678901", "b": "x"}]"#);
        assert_eq!((b[0].get(0), b[0].get(1)), ("", "x"));
        assert_eq!(b[0].oversize, vec![(0, 11)]);
        assert_eq!(
            oversize_reason(11, &small().limits),
            "the value is 11 bytes long, more than import.max_field_size = 10 (10 bytes)"
        );
        // A field that runs on is stopped while it streams in, long before it ends.
        let mut big = b"a,b\n1,\"".to_vec();
        big.extend(std::iter::repeat_n(b'x', 4 << 20));
        let e = read_all("x.csv", big, &small()).unwrap_err();
        assert!(
            e.to_string().starts_with("x.csv: line 2: no row ends within 160 bytes (16 times import.max_field_size = 10): an unclosed quote, or a field that long?"),
            "{e}"
        );
    }

    #[test]
    fn deep_json_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let e = read_all("x.json", deep.into_bytes(), &ReadOptions::default()).unwrap_err();
        assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
    }

    #[test]
    fn legacy_encodings_stream_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        // Far more than the head and one decoder chunk; a multi-line quoted cell on the way.
        let mut text = String::from("Nr;Straße;Notiz\n");
        for i in 0..20_000 {
            text.push_str(&format!("{i};Größe {i};\"zwei\nZeilen\"\n"));
        }
        let cp1252 = encoding_rs::WINDOWS_1252.encode(&text).0.into_owned();
        let p = dir.path().join("w.csv");
        std::fs::write(&p, &cp1252).unwrap();
        let (r, rows) = all_rows(&p, &ReadOptions::default());
        assert_eq!(r.headers, ["Nr", "Straße", "Notiz"]);
        assert!(r.detected.starts_with("windows-1252"), "{}", r.detected);
        assert_eq!(rows.len(), 20_000);
        assert_eq!(rows[19_999].get(1), "Größe 19999");
        assert_eq!(rows[1].line, 4, "a quoted newline counts as a line");
        let utf16: Vec<u8> = std::iter::once(0xfeff_u16)
            .chain(text.encode_utf16())
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let p = dir.path().join("u.csv");
        std::fs::write(&p, &utf16).unwrap();
        let (r, rows) = all_rows(&p, &ReadOptions::default());
        assert_eq!(r.headers, ["Nr", "Straße", "Notiz"]);
        assert_eq!(rows.len(), 20_000);
        assert_eq!(rows[12_345].get(1), "Größe 12345");
        assert_eq!(rows[12_345].get(2), "zwei\nZeilen");
    }
}
