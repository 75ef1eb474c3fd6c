//! Staging: every row is validated against the table contract (type, required, range,
//! allowed values, the rules across columns), agent names are pseudonymised, and the valid
//! rows are appended to a temporary staging table `stg_<table>` as Arrow record batches;
//! invalid rows become rejects with line, column, value and reason.
//!
//! Staging happens outside the import's transaction: appending large volumes inside an
//! open transaction and then reading them with window functions failed in the bundled
//! DuckDB, and staging is not part of the workspace anyway.

use super::contract::{self, ColType, Column, Table};
use super::read::BATCH_ROWS;
use super::{FileReport, ImportError, Reject};
use crate::timeparse::TsParser;
use chrono_tz::Tz;
use duckdb::arrow::array::{
    ArrayRef, BooleanBuilder, Float64Builder, Int32Array, Int32Builder, Int64Builder,
    StringBuilder, TimestampMicrosecondBuilder,
};
use duckdb::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use duckdb::arrow::record_batch::RecordBatch;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

/// Temporary staging tables of one import, dropped when the import ends either way.
pub struct Staging<'a> {
    pub conn: &'a duckdb::Connection,
    pub tables: Vec<&'static str>,
    /// Accounting of every input, in the order they were staged.
    pub reports: Vec<FileReport>,
    /// Every input label the import may stage, sorted: a staged row carries the position of
    /// its label (`_input`), so ordering by `_input` is ordering by file name, and the file
    /// name is not copied into every staged row.
    labels: Vec<String>,
    /// Inputs of events whose rows came in the documented order, and whether they surely
    /// hold no exact duplicates (`Batcher::presorted`).
    pub presorted: Vec<(String, bool)>,
    /// The ids of `[[authorities]]`: the only values `authority_id` may hold.
    pub authorities: Authorities,
}

/// The ids of kennzahl.toml's `[[authorities]]`, shared by every batcher of an import.
pub type Authorities = Arc<[String]>;

impl<'a> Staging<'a> {
    /// `labels`: every input label the import may stage (files, and rows derived from them);
    /// `authorities`: the ids of kennzahl.toml's `[[authorities]]`.
    pub fn new(
        conn: &'a duckdb::Connection,
        mut labels: Vec<String>,
        authorities: Authorities,
    ) -> Result<Self, ImportError> {
        labels.sort();
        labels.dedup();
        conn.execute_batch("CREATE OR REPLACE TEMP TABLE _inputs (input INTEGER, file VARCHAR);")?;
        {
            let mut app = conn.appender_to_catalog_and_db("_inputs", "temp", "main")?;
            for (i, l) in labels.iter().enumerate() {
                app.append_row(duckdb::params![i as i32, l])?;
            }
            app.flush()?;
        }
        Ok(Staging {
            conn,
            tables: Vec::new(),
            reports: Vec::new(),
            labels,
            presorted: Vec::new(),
            authorities,
        })
    }

    /// The `_input` of a label given to `new`.
    pub fn input(&self, label: &str) -> i32 {
        self.labels
            .binary_search_by(|l| l.as_str().cmp(label))
            .expect("every input label is declared up front") as i32
    }

    /// Create `stg_<table>` (the table's columns, then `_line` and `_input`) once.
    pub fn ensure(&mut self, table: &'static str) -> Result<(), ImportError> {
        if !self.tables.contains(&table) {
            let t = contract::table(table).expect("contract table");
            let cols: Vec<String> = t
                .columns
                .iter()
                .map(|c| format!("\"{}\" {}", c.name, c.ty.sql()))
                .collect();
            self.conn.execute_batch(&format!(
                "CREATE OR REPLACE TEMP TABLE stg_{table} ({}, _line BIGINT, _input INTEGER);",
                cols.join(", ")
            ))?;
            self.tables.push(table);
        }
        Ok(())
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        for t in &self.tables {
            let _ = self
                .conn
                .execute_batch(&format!("DROP TABLE IF EXISTS temp.stg_{t};"));
        }
        let _ = self
            .conn
            .execute_batch("DROP TABLE IF EXISTS temp._inputs;");
    }
}

/// The pseudonym salt of the workspace.
pub fn salt_of(conn: &duckdb::Connection) -> String {
    conn.query_row(
        "SELECT value FROM meta WHERE key = 'pseudonym_salt'",
        [],
        |r| r.get(0),
    )
    .unwrap_or_else(|_| "kennzahl".to_string())
}

/// Agent names never reach the workspace: they are replaced by a salted hash.
fn pseudonym(salt: &str, name: &str) -> String {
    if name.starts_with("agent-") && name.len() == 16 {
        return name.to_string();
    }
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(name.as_bytes());
    let d = h.finalize();
    let hex: String = d.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("agent-{hex}")
}

/// A validated value, borrowing text from the row where it can.
#[derive(Debug, Clone, PartialEq)]
enum Val<'r> {
    Null,
    Text(&'r str),
    Owned(String),
    Int(i64),
    Float(f64),
    /// Microseconds since the epoch, UTC.
    Ts(i64),
    Bool(bool),
}

fn parse_value<'r>(col: &Column, raw: &'r str, ts: &TsParser) -> Result<Val<'r>, String> {
    let v = raw.trim();
    // A NUL byte is never text of an export (binary data, or UTF-16 read as 8 bits), and
    // would cut the value short in C strings downstream.
    if v.contains('\0') {
        return Err("the value contains a NUL byte (binary data, or a UTF-16 file?)".into());
    }
    if v.is_empty() {
        return if col.required {
            Err("a value is required".into())
        } else {
            Ok(Val::Null)
        };
    }
    let range = |n: f64| -> Result<(), String> {
        let lo = col.min.unwrap_or(f64::NEG_INFINITY);
        let hi = col.max.unwrap_or(f64::INFINITY);
        if !n.is_finite() || n < lo || n > hi {
            Err(format!(
                "out of range {}..{}",
                col.min.map(|x| x.to_string()).unwrap_or_default(),
                col.max.map(|x| x.to_string()).unwrap_or_default()
            ))
        } else {
            Ok(())
        }
    };
    match col.ty {
        ColType::Varchar => {
            if col.allowed.is_empty() || col.allowed.iter().any(|a| a == v) {
                Ok(Val::Text(v))
            } else {
                Err(format!("expected one of {}", col.allowed.join(", ")))
            }
        }
        ColType::Integer | ColType::Bigint => {
            let n: i64 = v.parse().map_err(|_| "not a whole number".to_string())?;
            range(n as f64)?;
            Ok(Val::Int(n))
        }
        ColType::Double => {
            let n: f64 = v.parse().map_err(|_| "not a number".to_string())?;
            range(n)?;
            Ok(Val::Float(n))
        }
        ColType::Timestamp => Ok(Val::Ts(ts.parse(v)?.timestamp_micros())),
        ColType::Boolean => match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "ja" => Ok(Val::Bool(true)),
            "false" | "0" | "no" | "nein" => Ok(Val::Bool(false)),
            _ => Err("expected true or false".into()),
        },
    }
}

/// Rules across columns of one row: (column, reason) of the first broken one.
fn check_row(table: &str, t: &Table, v: &[Val]) -> Option<(&'static str, &'static str)> {
    let get = |name: &str| t.position(name).map(|i| &v[i]);
    if table == "events" {
        let kind = match get("kind") {
            Some(Val::Text(k)) => *k,
            _ => "",
        };
        if kind == "status" && matches!(get("status_class"), Some(Val::Null)) {
            return Some(("status_class", "a status event needs the new status class"));
        }
        if kind == "assign_group" && matches!(get("group_name"), Some(Val::Null)) {
            return Some(("group_name", "an assign_group event needs the group"));
        }
        if kind == "effort" && matches!(get("value"), Some(Val::Null)) {
            return Some(("value", "an effort event needs the minutes in value"));
        }
    }
    if table == "vendor_tickets" {
        // The vendor's own timeline must run forwards; across sources a link that goes back
        // in time is kept and listed (queries/links/), as the two clocks may differ.
        let created = get("created_at");
        for col in ["first_response_at", "resolved_at"] {
            if let (Some(Val::Ts(a)), Some(Val::Ts(b))) = (created, get(col)) {
                if b < a {
                    return Some((col, "before the vendor ticket's created_at"));
                }
            }
        }
    }
    if table == "changes" {
        if let (Some(Val::Ts(a)), Some(Val::Ts(b))) = (get("actual_start"), get("actual_end")) {
            if b < a {
                return Some(("actual_end", "the change ends before it starts"));
            }
        }
    }
    None
}

enum Builder {
    Str(StringBuilder),
    I32(Int32Builder),
    I64(Int64Builder),
    F64(Float64Builder),
    Ts(TimestampMicrosecondBuilder),
    Bool(BooleanBuilder),
}

impl Builder {
    fn new(ty: ColType) -> Builder {
        match ty {
            ColType::Varchar => {
                Builder::Str(StringBuilder::with_capacity(BATCH_ROWS, BATCH_ROWS * 8))
            }
            ColType::Integer => Builder::I32(Int32Builder::with_capacity(BATCH_ROWS)),
            ColType::Bigint => Builder::I64(Int64Builder::with_capacity(BATCH_ROWS)),
            ColType::Double => Builder::F64(Float64Builder::with_capacity(BATCH_ROWS)),
            ColType::Timestamp => {
                Builder::Ts(TimestampMicrosecondBuilder::with_capacity(BATCH_ROWS))
            }
            ColType::Boolean => Builder::Bool(BooleanBuilder::with_capacity(BATCH_ROWS)),
        }
    }
    fn push(&mut self, v: &Val) {
        match (self, v) {
            (Builder::Str(b), Val::Text(s)) => b.append_value(s),
            (Builder::Str(b), Val::Owned(s)) => b.append_value(s),
            (Builder::I32(b), Val::Int(n)) => b.append_value(*n as i32),
            (Builder::I64(b), Val::Int(n)) => b.append_value(*n),
            (Builder::F64(b), Val::Float(n)) => b.append_value(*n),
            (Builder::F64(b), Val::Int(n)) => b.append_value(*n as f64),
            (Builder::Ts(b), Val::Ts(n)) => b.append_value(*n),
            (Builder::Bool(b), Val::Bool(x)) => b.append_value(*x),
            (b, _) => b.null(),
        }
    }
    fn null(&mut self) {
        match self {
            Builder::Str(b) => b.append_null(),
            Builder::I32(b) => b.append_null(),
            Builder::I64(b) => b.append_null(),
            Builder::F64(b) => b.append_null(),
            Builder::Ts(b) => b.append_null(),
            Builder::Bool(b) => b.append_null(),
        }
    }
    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Str(b) => Arc::new(b.finish()),
            Builder::I32(b) => Arc::new(b.finish()),
            Builder::I64(b) => Arc::new(b.finish()),
            Builder::F64(b) => Arc::new(b.finish()),
            Builder::Ts(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
        }
    }
}

fn arrow_type(ty: ColType) -> DataType {
    match ty {
        ColType::Varchar => DataType::Utf8,
        ColType::Integer => DataType::Int32,
        ColType::Bigint => DataType::Int64,
        ColType::Double => DataType::Float64,
        ColType::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
        ColType::Boolean => DataType::Boolean,
    }
}

/// Validates the rows of one input (a file, or rows derived from one) and builds Arrow
/// record batches of the valid ones. It holds no connection, so it can run on the thread
/// that reads the file while the connection appends the previous batch.
pub struct Batcher {
    table: &'static Table,
    ts: TsParser,
    salt: String,
    source: String,
    input: i32,
    pub report: FileReport,
    schema: Arc<Schema>,
    builders: Vec<Builder>,
    lines: Int64Builder,
    pending: usize,
    source_col: Option<usize>,
    agent_col: Option<usize>,
    /// Agent name → pseudonym: hashing once per name, not once per event.
    pseudonyms: HashMap<String, String>,
    /// For events: whether the staged rows already are in the documented order.
    order: Option<OrderCheck>,
    /// The `authority_id` column of schools and tickets, and the ids it may hold.
    authority_col: Option<usize>,
    authorities: Authorities,
}

/// Watches whether a file's events already carry the numbering the merge would give them:
/// each ticket's rows together, `seq` 1, 2, 3, … with `event_at` never decreasing. Then
/// ordering by (event_at, seq, kind, file, line) is ordering by seq, and the merge can take
/// the given seq instead of sorting every event (see queries/merge/events_presorted.sql).
/// Kennzahl's own exports and most event logs sorted by case are like this.
///
/// As every ticket's rows then come together, exact duplicates can only sit inside the
/// current ticket: a set of content hashes per ticket shows there are none, and the merge
/// skips its duplicate search too. A hash collision only makes the merge search anyway.
#[derive(Default)]
struct OrderCheck {
    broken: bool,
    /// Hash of (source, ticket_id), seq and event_at of the previous staged row.
    prev: Option<(u64, i64, i64)>,
    /// Tickets already finished (hashes: a collision only turns the shortcut off).
    seen: std::collections::HashSet<u64, std::hash::BuildHasherDefault<Fx>>,
    /// Content hashes (every column but seq) of the current ticket's rows.
    rows: std::collections::HashSet<u64, std::hash::BuildHasherDefault<Fx>>,
    /// Two rows of a ticket may be exact duplicates.
    maybe_duplicates: bool,
}

impl OrderCheck {
    fn row(&mut self, ticket_key: u64, content: u64, seq: Option<i64>, at: i64) {
        if self.broken {
            return;
        }
        let Some(seq) = seq else {
            self.broken = true;
            return;
        };
        let ok = match self.prev {
            Some((k, s, a)) if k == ticket_key => seq == s + 1 && at >= a,
            _ => {
                self.rows.clear();
                seq == 1 && self.seen.insert(ticket_key)
            }
        };
        if !self.rows.insert(content) {
            self.maybe_duplicates = true;
        }
        self.broken = !ok;
        self.prev = Some((ticket_key, seq, at));
    }
}

/// A fast multiply-rotate hash (as in rustc's FxHash). Every use tolerates collisions: they
/// only make the merge do the work the shortcut would have saved.
#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for Fx {
    /// Mixed with murmur3's finaliser: the multiply alone leaves the low bits depending on
    /// the low bytes only (the same for `T0000001` … `T1000000`), and hash sets index by them.
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z ^= z >> 33;
        z = z.wrapping_mul(0xff51_afd7_ed55_8ccd);
        z ^= z >> 33;
        z = z.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        z ^ (z >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut a = [0u8; 8];
            a[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(a) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_i64(&mut self, n: i64) {
        self.add(n as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// Hash of validated values as the merge compares them (a float zero of either sign alike).
fn hash_values<'v, 'r: 'v>(values: impl Iterator<Item = &'v Val<'r>>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = Fx::default();
    for v in values {
        match v {
            Val::Null => 0u8.hash(&mut h),
            Val::Text(s) => (1u8, *s).hash(&mut h),
            Val::Owned(s) => (1u8, s.as_str()).hash(&mut h),
            Val::Int(n) => (2u8, n).hash(&mut h),
            Val::Float(f) => (3u8, if *f == 0.0 { 0 } else { f.to_bits() }).hash(&mut h),
            Val::Ts(n) => (4u8, n).hash(&mut h),
            Val::Bool(b) => (5u8, b).hash(&mut h),
        }
    }
    h.finish()
}

impl Batcher {
    /// `source` fills an empty `source` column; local times are in `tz`; an `authority_id`
    /// must be one of `authorities`.
    pub fn new(
        table: &'static str,
        file: String,
        input: i32,
        tz: Tz,
        salt: &str,
        source: &str,
        authorities: Authorities,
    ) -> Batcher {
        let t = contract::table(table).expect("contract table");
        let mut fields: Vec<Field> = t
            .columns
            .iter()
            .map(|c| Field::new(&c.name, arrow_type(c.ty), true))
            .collect();
        fields.push(Field::new("_line", DataType::Int64, true));
        fields.push(Field::new("_input", DataType::Int32, true));
        Batcher {
            table: t,
            ts: TsParser::iso(tz),
            salt: salt.to_string(),
            source: source.to_string(),
            input,
            report: FileReport {
                file,
                table: table.to_string(),
                ..Default::default()
            },
            schema: Arc::new(Schema::new(fields)),
            builders: t.columns.iter().map(|c| Builder::new(c.ty)).collect(),
            lines: Int64Builder::with_capacity(BATCH_ROWS),
            pending: 0,
            source_col: if t.has_source() { Some(0) } else { None },
            agent_col: if table == "events" {
                t.position("agent")
            } else {
                None
            },
            pseudonyms: HashMap::new(),
            order: (table == "events").then(OrderCheck::default),
            authority_col: if matches!(table, "schools" | "tickets") {
                t.position("authority_id")
            } else {
                None
            },
            authorities,
        }
    }

    /// Why `id` cannot be an `authority_id`, or `None` when it is declared.
    fn undeclared_authority(&self, id: &str) -> Option<String> {
        if self.authorities.iter().any(|a| a == id) {
            return None;
        }
        if self.authorities.is_empty() {
            return Some(
                "kennzahl.toml declares no [[authorities]]: authority_id is for a provider workspace (declare the authority, or leave the column empty)".into(),
            );
        }
        let ids: Vec<&str> = self.authorities.iter().map(String::as_str).collect();
        let hint = kennzahl_parse::import::keys::closest(id, &ids)
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        Some(format!(
            "not an authority of kennzahl.toml's [[authorities]]; {hint}(declared: {})",
            ids.join(", ")
        ))
    }

    /// Validate one row given as text in the column order of the table; a valid row is
    /// added to the batch being built, an invalid one becomes a reject.
    pub fn row(&mut self, line: u64, raw: &[Option<&str>], rejects: &mut Vec<Reject>) {
        self.report.read += 1;
        let t = self.table;
        let mut values: Vec<Val> = Vec::with_capacity(t.columns.len());
        for (col, r) in t.columns.iter().zip(raw) {
            let r = r.unwrap_or("");
            let mut parsed = parse_value(col, r, &self.ts);
            if col.ty == ColType::Timestamp && !r.trim().is_empty() {
                parsed = self.judge(line, col, r, parsed);
            }
            match parsed {
                Ok(v) => values.push(v),
                Err(reason) => {
                    rejects.push(Reject {
                        file: self.report.file.clone(),
                        line,
                        column: col.name.clone(),
                        value: r.into(),
                        reason,
                    });
                    return;
                }
            }
        }
        if let Some((column, reason)) = check_row(&t.name, t, &values) {
            rejects.push(Reject {
                file: self.report.file.clone(),
                line,
                column: column.into(),
                value: String::new(),
                reason: reason.into(),
            });
            return;
        }
        if let Some(i) = self.authority_col {
            if let Val::Text(id) = values[i] {
                if let Some(reason) = self.undeclared_authority(id) {
                    rejects.push(Reject {
                        file: self.report.file.clone(),
                        line,
                        column: "authority_id".into(),
                        value: id.into(),
                        reason,
                    });
                    return;
                }
            }
        }
        if let Some(i) = self.source_col {
            if values[i] == Val::Null {
                values[i] = Val::Text(&self.source);
            }
        }
        if let Some(i) = self.agent_col {
            if let Val::Text(a) = values[i] {
                let p = match self.pseudonyms.get(a) {
                    Some(p) => p.clone(),
                    None => {
                        let p = pseudonym(&self.salt, a);
                        self.pseudonyms.insert(a.to_string(), p.clone());
                        p
                    }
                };
                values[i] = Val::Owned(p);
            }
        }
        if let Some(o) = &mut self.order {
            if !o.broken {
                let (si, ti, qi, ai) = (
                    t.position("source"),
                    t.position("ticket_id"),
                    t.position("seq"),
                    t.position("event_at"),
                );
                let pick = |i: Option<usize>| i.map(|i| &values[i]);
                let ticket = hash_values(pick(si).into_iter().chain(pick(ti)));
                let content = hash_values(
                    values
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| Some(*i) != qi)
                        .map(|(_, v)| v),
                );
                let seq = match pick(qi) {
                    Some(Val::Int(n)) => Some(*n),
                    _ => None,
                };
                let at = match pick(ai) {
                    Some(Val::Ts(n)) => *n,
                    _ => i64::MIN,
                };
                o.row(ticket, content, seq, at);
            }
        }
        for (b, v) in self.builders.iter_mut().zip(&values) {
            b.push(v);
        }
        self.lines.append_value(line as i64);
        self.pending += 1;
    }

    /// Placeholder dates and instants outside the calendar table (`placeholder`): a
    /// placeholder rejects the row where the column is required and is read as missing
    /// (noted) where it is optional; an instant outside the table is kept and noted.
    fn judge<'r>(
        &mut self,
        line: u64,
        col: &Column,
        raw: &'r str,
        parsed: Result<Val<'r>, String>,
    ) -> Result<Val<'r>, String> {
        use super::placeholder::{self, Finding, Note};
        let micros = match &parsed {
            Ok(Val::Ts(us)) => Some(*us),
            _ => None,
        };
        let mut note = |text: String| {
            self.report.note(Note {
                line,
                column: col.name.clone(),
                value: raw.trim().to_string(),
                note: text,
            })
        };
        match placeholder::judge(raw, micros, self.ts.tz) {
            None => parsed,
            Some(Finding::Placeholder) if col.required => {
                Err(placeholder::reject_reason(&col.name))
            }
            Some(Finding::Placeholder) => {
                note(placeholder::READ_AS_MISSING.to_string());
                Ok(Val::Null)
            }
            Some(Finding::OutsideCalendar) => {
                note(placeholder::outside_note());
                parsed
            }
        }
    }

    /// Whether every staged event came in the documented order with its final seq, and if
    /// so, whether exact duplicates are impossible (`Some(true)`) or possible (`Some(false)`).
    pub fn presorted(&self) -> Option<bool> {
        self.order
            .as_ref()
            .filter(|o| !o.broken)
            .map(|o| !o.maybe_duplicates)
    }

    /// Whether a batch is full.
    pub fn full(&self) -> bool {
        self.pending >= BATCH_ROWS
    }

    /// The rows built so far as one record batch (`None` when there are none).
    pub fn take(&mut self) -> Result<Option<RecordBatch>, ImportError> {
        if self.pending == 0 {
            return Ok(None);
        }
        let mut cols: Vec<ArrayRef> = self.builders.iter_mut().map(|b| b.finish()).collect();
        cols.push(Arc::new(self.lines.finish()));
        cols.push(Arc::new(Int32Array::from(vec![self.input; self.pending])));
        self.pending = 0;
        RecordBatch::try_new(self.schema.clone(), cols)
            .map(Some)
            .map_err(|e| {
                ImportError::Read(super::ReadError::File {
                    file: self.report.file.clone(),
                    message: format!("internal error: cannot build a batch: {e}"),
                })
            })
    }
}

/// Append a record batch to the staging table of `table`.
pub fn append(
    conn: &duckdb::Connection,
    table: &str,
    batch: RecordBatch,
) -> Result<(), ImportError> {
    let mut app = conn.appender_to_catalog_and_db(&format!("stg_{table}"), "temp", "main")?;
    app.append_record_batch(batch)?;
    app.flush()?;
    Ok(())
}
