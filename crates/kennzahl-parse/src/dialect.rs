//! SQL dialects. kennzahl's KPI SQL (`queries/kpis/*.sql`, and a workspace's own) is written
//! once, for DuckDB; this module owns the rewrite that derives the form Spark SQL runs
//! (Spark 4: session variables, ANSI mode), and the list of what that rewrite knows.
//!
//! The rewrite works on tokens (no parser, no engine): it changes what has an exact
//! equivalent and refuses everything it does not know, naming the construct and its line,
//! so that no SQL is printed that would fail, or compute something else, in Spark.
//!
//! | DuckDB | Spark | why |
//! |---|---|---|
//! | `getvariable('x')` | `system.session.x` | session variables (`DECLARE OR REPLACE VARIABLE`) |
//! | `quantile_cont(x, p)` | `percentile(x, p)` | both exact, linearly interpolated |
//! | `median(x)` | `percentile(x, 0.5D)` | DuckDB's median of numbers interpolates too |
//! | `date_diff('second', a, b)` | `(unix_seconds(b) - unix_seconds(a))` | the same for `millisecond`, `microsecond`: DuckDB subtracts the truncated epochs, so does this (the session time zone must be UTC: the scope sets it) |
//! | `CAST(x AS VARCHAR)` | `CAST(x AS STRING)` | and the other type names (below) |
//! | `100.0` | `100.0D` | a decimal literal is DECIMAL in both, but DuckDB divides decimals as DOUBLE while Spark keeps 6 digits |
//! | `'it''s'` | `'it\'s'` | Spark reads `''` as two adjacent literals, and `\` as an escape |
//! | `"col"` | `` `col` `` | double quotes are strings in Spark |
//! | `ORDER BY x` | `ORDER BY x NULLS LAST` | DuckDB sorts NULLs last, Spark first (ascending) |
//!
//! Functions must be on [`SPARK_SAME`] (the same name, arguments and result in both
//! engines) or be one of the rewritten ones; DuckDB-only syntax (`::`, `EXCLUDE`, lists,
//! `QUALIFY`, `INTERVAL`, …) is refused.

use std::fmt;
use std::str::FromStr;

/// An SQL engine kennzahl prints SQL for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Dialect {
    /// DuckDB (kennzahl's own engine; the KPI files as written).
    Duckdb,
    /// Spark SQL 4 (pyspark, spark-sql, Databricks runtimes on Spark 4).
    Spark,
}

impl Dialect {
    pub const ALL: [Dialect; 2] = [Dialect::Duckdb, Dialect::Spark];
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "duckdb",
            Dialect::Spark => "spark",
        }
    }
    /// The engine's name for messages.
    pub fn title(self) -> &'static str {
        match self {
            Dialect::Duckdb => "DuckDB",
            Dialect::Spark => "Spark SQL",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown SQL dialect {s:?}; known: {}",
                    Dialect::ALL.map(Dialect::name).join(", ")
                )
            })
    }
}

/// A construct the rewrite cannot carry into the target dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// 1-based line of the construct in the SQL given.
    pub line: usize,
    /// The construct as written (shortened), e.g. `quantile_disc(…)` or `::`.
    pub construct: String,
    pub reason: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.construct, self.reason)
    }
}

impl std::error::Error for Unsupported {}

/// The SQL for `to`, from kennzahl's DuckDB SQL (one query, as a KPI file holds).
pub fn rewrite(sql: &str, to: Dialect) -> Result<String, Unsupported> {
    match to {
        Dialect::Duckdb => Ok(sql.to_string()),
        Dialect::Spark => to_spark(sql),
    }
}

/// Functions with the same name, arguments and result in DuckDB and Spark 4 (for the
/// numbers, strings, booleans and timestamps of kennzahl's tables), passed through as they are.
pub const SPARK_SAME: &[&str] = &[
    "abs",
    "any_value",
    "avg",
    "bool_and",
    "bool_or",
    "ceil",
    "coalesce",
    "count",
    "count_if",
    "dense_rank",
    "exp",
    "first_value",
    "floor",
    "greatest",
    "lag",
    "last_value",
    "lead",
    "least",
    "length",
    "ln",
    "lower",
    "max",
    "min",
    "nullif",
    "rank",
    "row_number",
    "sqrt",
    "stddev_pop",
    "stddev_samp",
    "sum",
    "upper",
    "var_pop",
    "var_samp",
];

/// DuckDB functions the Spark rewrite turns into Spark's exact equivalent.
pub const SPARK_REWRITTEN: &[&str] = &[
    "getvariable",
    "quantile_cont",
    "median",
    "date_diff",
    "datediff",
    "cast",
];

/// Words that may stand before `(` without being a function call.
const KEYWORDS_BEFORE_PAREN: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "BETWEEN",
    "BY",
    "CASE",
    "CUBE",
    "DISTINCT",
    "ELSE",
    "EXCEPT",
    "EXISTS",
    "FILTER",
    "FROM",
    "HAVING",
    "IN",
    "INTERSECT",
    "JOIN",
    "LATERAL",
    "LIKE",
    "LIMIT",
    "NOT",
    "OFFSET",
    "ON",
    "OR",
    "OVER",
    "ROLLUP",
    "SELECT",
    "SETS",
    "THEN",
    "UNION",
    "USING",
    "VALUES",
    "WHEN",
    "WHERE",
    "WITH",
];

/// DuckDB words with no (exact) equivalent in Spark: refused wherever they stand.
const SPARK_REFUSED_WORDS: &[(&str, &str)] = &[
    ("ASOF", "ASOF joins are DuckDB's own"),
    ("COLLATE", "collations differ between the engines"),
    (
        "EXCLUDE",
        "`* EXCLUDE (…)` is DuckDB's own; list the columns",
    ),
    ("GLOB", "GLOB is DuckDB's own; use LIKE"),
    ("ILIKE", "not carried over; use lower(x) LIKE …"),
    (
        "INTERVAL",
        "interval arithmetic differs between the engines",
    ),
    ("MATERIALIZED", "CTE materialization hints are DuckDB's own"),
    ("PIVOT", "PIVOT differs between the engines"),
    ("POSITIONAL", "positional joins are DuckDB's own"),
    (
        "QUALIFY",
        "QUALIFY is not carried over; filter in an outer query",
    ),
    ("RECURSIVE", "recursive CTEs are not carried over"),
    ("SIMILAR", "SIMILAR TO is not carried over"),
    ("TABLESAMPLE", "sampling differs between the engines"),
    ("TIMESTAMPTZ", "kennzahl's instants are TIMESTAMP (UTC)"),
    ("UNPIVOT", "UNPIVOT differs between the engines"),
];

/// DuckDB functions whose Spark namesake or nearest relative computes something else.
const SPARK_REFUSED_FUNCTIONS: &[(&str, &str)] = &[
    (
        "approx_quantile",
        "approximate in both engines, by different sketches",
    ),
    (
        "concat",
        "DuckDB's concat skips NULLs, Spark's returns NULL; use ||",
    ),
    ("mode", "ties are broken differently"),
    ("percentile_cont", "write quantile_cont(x, p)"),
    (
        "percentile_disc",
        "DuckDB's discrete quantile picks another row than Spark's",
    ),
    (
        "quantile",
        "DuckDB's quantile is discrete; no exact Spark equivalent",
    ),
    (
        "quantile_disc",
        "DuckDB's discrete quantile has no exact Spark equivalent",
    ),
    ("round", "rounds halves differently for some doubles"),
    ("string_agg", "the order of the parts is not carried over"),
];

// ---------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Space,
    Comment,
    Str,
    QIdent,
    Num,
    Word,
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    kind: Kind,
    text: &'a str,
    line: usize,
}

impl Tok<'_> {
    fn is(&self, p: &str) -> bool {
        matches!(self.kind, Kind::Punct) && self.text == p
    }
    fn word(&self, w: &str) -> bool {
        matches!(self.kind, Kind::Word) && self.text.eq_ignore_ascii_case(w)
    }
    fn significant(&self) -> bool {
        !matches!(self.kind, Kind::Space | Kind::Comment)
    }
}

fn err(line: usize, construct: impl Into<String>, reason: impl Into<String>) -> Unsupported {
    let mut construct: String = construct.into();
    if construct.chars().count() > 60 {
        construct = construct.chars().take(57).collect::<String>() + "…";
    }
    Unsupported {
        line,
        construct,
        reason: reason.into(),
    }
}

/// Operators, longest first. Only some of them may pass into Spark (see `SPARK_PUNCT`).
const PUNCT: &[&str] = &[
    "->>", "!~~", "::", "->", "=>", "<=", ">=", "<>", "!=", "==", "||", "**", "//", "<<", ">>",
    "!~", "~~", "&&",
];

/// Operators that mean the same in Spark.
const SPARK_PUNCT: &[&str] = &[
    "(", ")", ",", ".", ";", "*", "+", "-", "/", "%", "=", "==", "<", ">", "<=", ">=", "<>", "!=",
    "||",
];

fn tokenize(sql: &str) -> Result<Vec<Tok<'_>>, Unsupported> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < b.len() {
        let start = i;
        let c = b[i];
        let kind = if c.is_ascii_whitespace() {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            Kind::Space
        } else if b[i..].starts_with(b"--") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            Kind::Comment
        } else if b[i..].starts_with(b"/*") {
            match sql[i + 2..].find("*/") {
                Some(e) => i += 2 + e + 2,
                None => return Err(err(line, "/*", "a comment that is not closed")),
            }
            Kind::Comment
        } else if c == b'\'' || c == b'"' {
            i += 1;
            loop {
                if i >= b.len() {
                    return Err(err(line, &sql[start..], "a quoted text that is not closed"));
                }
                if b[i] == c {
                    if i + 1 < b.len() && b[i + 1] == c {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            if c == b'\'' {
                Kind::Str
            } else {
                Kind::QIdent
            }
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i < b.len() && b[i] == b'.' {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
                let mut j = i + 1;
                if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_digit() {
                    i = j;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            if i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                let mut j = i;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                return Err(err(
                    line,
                    &sql[start..j],
                    "a number literal kennzahl does not carry over",
                ));
            }
            Kind::Num
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            // Identifiers: ASCII letters, digits, `_`, and any non-ASCII letters.
            while i < b.len() {
                if b[i].is_ascii_alphanumeric() || b[i] == b'_' {
                    i += 1;
                } else if b[i] >= 0x80 {
                    let ch = sql[i..].chars().next().unwrap();
                    if !ch.is_alphanumeric() {
                        break;
                    }
                    i += ch.len_utf8();
                } else {
                    break;
                }
            }
            if i == start {
                // A non-ASCII character that is not a letter.
                let ch = sql[i..].chars().next().unwrap();
                i += ch.len_utf8();
                Kind::Punct
            } else {
                Kind::Word
            }
        } else {
            i += PUNCT
                .iter()
                .find(|p| b[i..].starts_with(p.as_bytes()))
                .map_or_else(|| sql[i..].chars().next().unwrap().len_utf8(), |p| p.len());
            Kind::Punct
        };
        let text = &sql[start..i];
        out.push(Tok { kind, text, line });
        line += text.matches('\n').count();
    }
    Ok(out)
}

/// What a DuckDB-only operator is, for the message.
fn punct_reason(p: &str) -> &'static str {
    match p {
        "::" => "the `::` cast is not carried over; write CAST(x AS type)",
        "[" | "]" => "lists and indexing are DuckDB's own",
        "{" | "}" => "struct literals are DuckDB's own",
        "->" | "->>" => "lambdas and JSON arrows are not carried over",
        "=>" => "named arguments are not carried over",
        "?" | "$" => "parameters are not carried over",
        "**" | "^" => "write power(x, y)",
        "//" => "integer division is written differently in Spark",
        _ => "an operator kennzahl does not carry over to Spark",
    }
}

// ---------------------------------------------------------------------------------------
// The Spark rewrite

/// The Spark SQL of one DuckDB query (see the module's table).
pub fn to_spark(sql: &str) -> Result<String, Unsupported> {
    let toks = tokenize(sql)?;
    let sig: Vec<&Tok> = toks.iter().filter(|t| t.significant()).collect();
    let Some(first) = sig.first() else {
        return Err(err(1, "(empty)", "there is no query"));
    };
    if !(first.word("SELECT") || first.word("WITH") || first.word("VALUES") || first.is("(")) {
        return Err(err(
            first.line,
            first.text,
            "a KPI is one query (SELECT, WITH, VALUES)",
        ));
    }
    // One statement: a `;` only at the end.
    if let Some(p) = sig.iter().position(|t| t.is(";")) {
        if sig[p..].iter().any(|t| !t.is(";")) {
            return Err(err(
                sig[p].line,
                ";",
                "several statements; a KPI is one query",
            ));
        }
    }
    let mut out = String::with_capacity(sql.len() + 64);
    Spark::default().run(&toks, &mut out)?;
    Ok(out)
}

/// One `ORDER BY` list being read: where its items stand and whether the current one says
/// where NULLs go.
struct OrderList {
    depth: i32,
    has_nulls: bool,
    /// Output position after the last significant token of the current item.
    end: usize,
}

#[derive(Default)]
struct Spark {
    orders: Vec<OrderList>,
    /// How deep in rewritten calls this span is (a limit keeps the recursion bounded).
    nesting: usize,
}

/// Rewritten calls nest at most this deep.
const MAX_NESTING: usize = 64;

/// The index of the next significant token at or after `i`.
fn next_sig(toks: &[Tok], mut i: usize) -> Option<usize> {
    while i < toks.len() {
        if toks[i].significant() {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The index of the `)` closing the `(` at `open`.
fn closing(toks: &[Tok], open: usize) -> Result<usize, Unsupported> {
    let mut depth = 0;
    for (j, t) in toks.iter().enumerate().skip(open) {
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth -= 1;
            if depth == 0 {
                return Ok(j);
            }
        }
    }
    Err(err(
        toks[open].line,
        "(",
        "a parenthesis that is not closed",
    ))
}

/// The arguments between `(` at `open` and `)` at `close`, split at top-level commas.
fn args<'t, 'a>(toks: &'t [Tok<'a>], open: usize, close: usize) -> Vec<&'t [Tok<'a>]> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = open + 1;
    for (j, t) in toks.iter().enumerate().take(close).skip(open + 1) {
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth -= 1;
        } else if t.is(",") && depth == 0 {
            out.push(&toks[start..j]);
            start = j + 1;
        }
    }
    let last = &toks[start..close];
    if !out.is_empty() || last.iter().any(Tok::significant) {
        out.push(last);
    }
    out
}

/// The single significant token of an argument, if it is one.
fn single<'t, 'a>(arg: &'t [Tok<'a>]) -> Option<&'t Tok<'a>> {
    let mut s = arg.iter().filter(|t| t.significant());
    match (s.next(), s.next()) {
        (Some(t), None) => Some(t),
        _ => None,
    }
}

/// The text of a DuckDB string literal.
fn unquote(lit: &str) -> String {
    lit[1..lit.len() - 1].replace("''", "'")
}

/// A Spark string literal of `s`.
fn spark_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The Spark type for a DuckDB type name in CAST.
fn spark_type(toks: &[Tok], line: usize) -> Result<String, Unsupported> {
    let sig: Vec<&Tok> = toks.iter().filter(|t| t.significant()).collect();
    let text = sig.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
    let Some(name) = sig.first().filter(|t| t.kind == Kind::Word) else {
        return Err(err(
            line,
            format!("CAST(… AS {text})"),
            "a type kennzahl does not carry over",
        ));
    };
    let params = &sig[1..];
    let plain = |t: &str| {
        if params.is_empty() {
            Ok(t.to_string())
        } else {
            Err(err(
                line,
                format!("CAST(… AS {text})"),
                "a type kennzahl does not carry over",
            ))
        }
    };
    match name.text.to_ascii_uppercase().as_str() {
        // DuckDB ignores a VARCHAR's length; Spark would check it.
        "VARCHAR" | "TEXT" | "STRING" | "CHAR" | "BPCHAR" => Ok("STRING".into()),
        "INTEGER" | "INT" | "INT4" | "SIGNED" => plain("INT"),
        "BIGINT" | "INT8" | "LONG" => plain("BIGINT"),
        "SMALLINT" | "INT2" | "SHORT" => plain("SMALLINT"),
        "TINYINT" | "INT1" => plain("TINYINT"),
        "DOUBLE" | "FLOAT8" => plain("DOUBLE"),
        "FLOAT" | "FLOAT4" | "REAL" => plain("FLOAT"),
        "BOOLEAN" | "BOOL" | "LOGICAL" => plain("BOOLEAN"),
        "DATE" => plain("DATE"),
        // kennzahl's instants are TIMESTAMP (UTC, no zone); the Spark scope sets the session
        // time zone to UTC, where Spark's TIMESTAMP means the same instant.
        "TIMESTAMP" | "DATETIME" => plain("TIMESTAMP"),
        "DECIMAL" | "NUMERIC" => {
            if params.is_empty() {
                // DuckDB's default precision; Spark's would be DECIMAL(10,0).
                Ok("DECIMAL(18,3)".into())
            } else {
                let p: String = params.iter().map(|t| t.text).collect();
                let ok = p.starts_with('(')
                    && p.ends_with(')')
                    && p[1..p.len() - 1]
                        .split(',')
                        .all(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()));
                if ok {
                    Ok(format!("DECIMAL{p}"))
                } else {
                    Err(err(
                        line,
                        format!("CAST(… AS {text})"),
                        "a type kennzahl does not carry over",
                    ))
                }
            }
        }
        _ => Err(err(
            line,
            format!("CAST(… AS {text})"),
            "a type kennzahl does not carry over",
        )),
    }
}

/// The Spark function giving the epoch in `part` units, for DuckDB's date_diff part names.
fn epoch_fn(part: &str) -> Option<&'static str> {
    match part.to_ascii_lowercase().as_str() {
        "second" | "seconds" | "s" | "sec" | "secs" => Some("unix_seconds"),
        "millisecond" | "milliseconds" | "ms" | "msec" | "msecs" => Some("unix_millis"),
        "microsecond" | "microseconds" | "us" | "usec" | "usecs" => Some("unix_micros"),
        _ => None,
    }
}

fn is_ident(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

impl Spark {
    /// Rewrite a span of tokens (a whole query, or one argument of a rewritten call) into
    /// `out`. Every `ORDER BY` list begun in the span ends in it.
    fn run(&mut self, toks: &[Tok], out: &mut String) -> Result<(), Unsupported> {
        let base = self.orders.len();
        let mut depth = 0i32;
        let mut prev: Option<Tok> = None;
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            if !t.significant() {
                out.push_str(t.text);
                i += 1;
                continue;
            }
            // The end of an ORDER BY item (`,`), or of the list.
            if let Some(o) = self.orders.last() {
                if self.orders.len() > base && depth == o.depth {
                    let ends_list = t.is(")")
                        || t.is(";")
                        || [
                            "ROWS",
                            "RANGE",
                            "GROUPS",
                            "LIMIT",
                            "OFFSET",
                            "FETCH",
                            "UNION",
                            "INTERSECT",
                            "EXCEPT",
                            "WINDOW",
                        ]
                        .iter()
                        .any(|w| t.word(w));
                    if ends_list || t.is(",") {
                        self.end_item(out);
                        if ends_list {
                            self.orders.pop();
                        }
                    }
                }
            }
            let next = next_sig(toks, i + 1);
            let next_tok = next.map(|n| toks[n]);
            match t.kind {
                Kind::Space | Kind::Comment => unreachable!(),
                Kind::Str => {
                    // E'…', X'…', B'…': DuckDB's prefixed literals (TIMESTAMP '…' has a space).
                    if i > 0 && toks[i - 1].kind == Kind::Word && toks[i - 1].text.len() == 1 {
                        return Err(err(
                            t.line,
                            format!("{}{}", toks[i - 1].text, t.text),
                            "a prefixed string literal is not carried over",
                        ));
                    }
                    out.push_str(&spark_str(&unquote(t.text)));
                }
                Kind::QIdent => {
                    let name = t.text[1..t.text.len() - 1].replace("\"\"", "\"");
                    out.push('`');
                    out.push_str(&name.replace('`', "``"));
                    out.push('`');
                }
                Kind::Num => {
                    out.push_str(t.text);
                    if !t.text.contains(['e', 'E']) && t.text.contains('.') {
                        if t.text.ends_with('.') {
                            out.push('0');
                        }
                        out.push('D');
                    }
                }
                Kind::Punct => {
                    if !SPARK_PUNCT.contains(&t.text) {
                        return Err(err(t.line, t.text, punct_reason(t.text)));
                    }
                    if t.is("(") {
                        depth += 1;
                    } else if t.is(")") {
                        depth -= 1;
                    }
                    out.push_str(t.text);
                }
                Kind::Word => {
                    let up = t.text.to_ascii_uppercase();
                    if let Some((_, why)) = SPARK_REFUSED_WORDS.iter().find(|(w, _)| *w == up) {
                        return Err(err(t.line, t.text, *why));
                    }
                    if up == "REPLACE" && prev.is_some_and(|p| p.is("*")) {
                        return Err(err(t.line, "* REPLACE", "DuckDB's own"));
                    }
                    let call = next_tok.is_some_and(|n| n.is("("));
                    if call
                        && !KEYWORDS_BEFORE_PAREN.contains(&up.as_str())
                        // `AS t(a, b)`: an alias with column names.
                        && !prev.is_some_and(|p| p.word("AS"))
                    {
                        let open = next.unwrap();
                        let close = closing(toks, open)?;
                        if prev.is_some_and(|p| p.is(".")) {
                            return Err(err(
                                t.line,
                                format!("{}(…)", t.text),
                                "a qualified function name is not carried over",
                            ));
                        }
                        self.call(toks, i, open, close, out)?;
                        prev = Some(toks[close]);
                        i = close + 1;
                        if let Some(o) = self.orders.last_mut() {
                            o.end = out.len();
                        }
                        continue;
                    }
                    match up.as_str() {
                        "ON" if prev.is_some_and(|p| p.word("DISTINCT")) => {
                            return Err(err(t.line, "DISTINCT ON", "DuckDB's own"));
                        }
                        "BY" if next_tok.is_some_and(|n| n.word("NAME"))
                            && prev.is_some_and(|p| p.word("UNION") || p.word("ALL")) =>
                        {
                            return Err(err(t.line, "UNION BY NAME", "DuckDB's own"));
                        }
                        "SAMPLE" if prev.is_some_and(|p| p.word("USING")) => {
                            return Err(err(
                                t.line,
                                "USING SAMPLE",
                                "sampling differs between the engines",
                            ));
                        }
                        "NULLS" => {
                            let open = self.orders.len() > base;
                            if let Some(o) =
                                self.orders.last_mut().filter(|o| open && o.depth == depth)
                            {
                                o.has_nulls = true;
                            }
                        }
                        _ => {}
                    }
                    out.push_str(t.text);
                    if up == "BY" && prev.is_some_and(|p| p.word("ORDER")) {
                        if next_tok.is_some_and(|n| n.word("ALL")) {
                            return Err(err(
                                t.line,
                                "ORDER BY ALL",
                                "DuckDB's own; name the columns",
                            ));
                        }
                        self.orders.push(OrderList {
                            depth,
                            has_nulls: false,
                            end: out.len(),
                        });
                        prev = Some(t);
                        i += 1;
                        continue;
                    }
                }
            }
            if let Some(o) = self.orders.last_mut() {
                o.end = out.len();
            }
            prev = Some(t);
            i += 1;
        }
        while self.orders.len() > base {
            self.end_item(out);
            self.orders.pop();
        }
        Ok(())
    }

    /// The current ORDER BY item ends: say NULLS LAST (DuckDB's default) unless it says.
    fn end_item(&mut self, out: &mut String) {
        let o = self.orders.last_mut().unwrap();
        if !o.has_nulls {
            out.insert_str(o.end, " NULLS LAST");
        }
        o.has_nulls = false;
    }

    /// A rewriter for the arguments of a call.
    fn inner(&self, toks: &[Tok]) -> Result<Spark, Unsupported> {
        if self.nesting >= MAX_NESTING {
            let line = toks.first().map_or(1, |t| t.line);
            return Err(err(line, "(…)", "calls nested too deeply"));
        }
        Ok(Spark {
            orders: Vec::new(),
            nesting: self.nesting + 1,
        })
    }

    /// Rewrite an argument into a new string.
    fn arg(&mut self, toks: &[Tok]) -> Result<String, Unsupported> {
        let mut s = String::new();
        self.inner(toks)?.run(toks, &mut s)?;
        let mut s = s.trim().to_string();
        // A line comment at the end of an argument would swallow what follows it.
        if toks
            .iter()
            .rev()
            .find(|t| t.kind != Kind::Space)
            .is_some_and(|t| t.kind == Kind::Comment && t.text.starts_with("--"))
        {
            s.push('\n');
        }
        Ok(s)
    }

    /// A function call `name(…)`: the word at `i`, parentheses at `open` and `close`.
    fn call(
        &mut self,
        toks: &[Tok],
        i: usize,
        open: usize,
        close: usize,
        out: &mut String,
    ) -> Result<(), Unsupported> {
        let t = toks[i];
        let name = t.text.to_ascii_lowercase();
        let a = args(toks, open, close);
        let shown = format!("{}(…)", t.text);
        let arity = |n: usize| -> Result<(), Unsupported> {
            if a.len() == n {
                Ok(())
            } else {
                Err(err(
                    t.line,
                    shown.clone(),
                    format!("expected {n} argument(s), found {}", a.len()),
                ))
            }
        };
        match name.as_str() {
            "getvariable" => {
                arity(1)?;
                let v = single(a[0])
                    .filter(|x| x.kind == Kind::Str)
                    .map(|x| unquote(x.text))
                    .filter(|v| is_ident(v))
                    .ok_or_else(|| {
                        err(
                            t.line,
                            shown.clone(),
                            "the variable must be named by a literal identifier",
                        )
                    })?;
                out.push_str("system.session.");
                out.push_str(&v);
            }
            "quantile_cont" => {
                arity(2)?;
                let p = single(a[1])
                    .filter(|x| x.kind == Kind::Num)
                    .and_then(|x| x.text.parse::<f64>().ok())
                    .filter(|p| (0.0..=1.0).contains(p));
                if p.is_none() {
                    return Err(err(
                        t.line,
                        shown,
                        "the quantile must be one number literal between 0 and 1",
                    ));
                }
                let x = self.arg(a[0])?;
                let p = self.arg(a[1])?;
                out.push_str(&format!("percentile({x}, {p})"));
            }
            "median" => {
                arity(1)?;
                let x = self.arg(a[0])?;
                out.push_str(&format!("percentile({x}, 0.5D)"));
            }
            "date_diff" | "datediff" => {
                arity(3)?;
                let part = single(a[0])
                    .filter(|x| x.kind == Kind::Str)
                    .map(|x| unquote(x.text))
                    .unwrap_or_default();
                let Some(f) = epoch_fn(&part) else {
                    return Err(err(
                        t.line,
                        format!("{}('{part}', …)", t.text),
                        "only 'second', 'millisecond' and 'microsecond' are carried over (DuckDB counts calendar boundaries for the others)",
                    ));
                };
                let from = self.arg(a[1])?;
                let to = self.arg(a[2])?;
                out.push_str(&format!("({f}({to}) - {f}({from}))"));
            }
            "cast" => {
                arity(1)?;
                // CAST(expr AS type): AS at the top level of the argument.
                let mut depth = 0;
                let mut at = None;
                for (j, x) in a[0].iter().enumerate() {
                    if x.is("(") {
                        depth += 1;
                    } else if x.is(")") {
                        depth -= 1;
                    } else if depth == 0 && x.word("AS") {
                        at = Some(j);
                    }
                }
                let Some(at) = at else {
                    return Err(err(t.line, shown, "CAST without AS"));
                };
                let expr = self.arg(&a[0][..at])?;
                let ty = spark_type(&a[0][at + 1..], t.line)?;
                out.push_str(&format!("{}({expr} AS {ty})", t.text));
            }
            _ => {
                if let Some((_, why)) = SPARK_REFUSED_FUNCTIONS.iter().find(|(f, _)| *f == name) {
                    return Err(err(t.line, shown, *why));
                }
                if !SPARK_SAME.contains(&name.as_str()) {
                    return Err(err(
                        t.line,
                        shown,
                        "a function kennzahl does not know to be the same in Spark",
                    ));
                }
                out.push_str(t.text);
                // The parentheses and arguments as they are, rewritten.
                let inner = self.arg_span(toks, open, close)?;
                out.push_str(&inner);
            }
        }
        Ok(())
    }

    /// `( … )` from `open` to `close`, the inside rewritten (whitespace kept).
    fn arg_span(&mut self, toks: &[Tok], open: usize, close: usize) -> Result<String, Unsupported> {
        let mut s = String::from("(");
        self.inner(toks)?.run(&toks[open + 1..close], &mut s)?;
        s.push(')');
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spark(sql: &str) -> String {
        to_spark(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
    fn refused(sql: &str) -> Unsupported {
        to_spark(sql).expect_err(sql)
    }

    #[test]
    fn dialect_names() {
        assert_eq!("spark".parse::<Dialect>(), Ok(Dialect::Spark));
        assert_eq!("DuckDB".parse::<Dialect>(), Ok(Dialect::Duckdb));
        let e = "trino".parse::<Dialect>().unwrap_err();
        assert!(
            e.contains("\"trino\"") && e.contains("duckdb, spark"),
            "{e}"
        );
    }

    #[test]
    fn duckdb_is_the_sql_as_written() {
        let s = "SELECT quantile_cont(x, 0.5) FROM t -- as is";
        assert_eq!(rewrite(s, Dialect::Duckdb).unwrap(), s);
    }

    #[test]
    fn variables_quantiles_and_literals() {
        assert_eq!(
            spark("SELECT dim AS key, quantile_cont(resolution_bsecs, 0.9) / 3600.0 AS p90 FROM kt WHERE created_at >= getvariable('q_start') GROUP BY ALL"),
            "SELECT dim AS key, percentile(resolution_bsecs, 0.9D) / 3600.0D AS p90 FROM kt WHERE created_at >= system.session.q_start GROUP BY ALL"
        );
        assert_eq!(
            spark("SELECT median(x / 2) FILTER (WHERE y), 1e6, 1e-9, 100, .5, 7."),
            "SELECT percentile(x / 2, 0.5D) FILTER (WHERE y), 1e6, 1e-9, 100, .5D, 7.0D"
        );
        // Nested: a variable inside a rewritten call inside a passed-through one.
        assert_eq!(
            spark("SELECT coalesce(median(date_diff('second', a, getvariable('q_end'))), 0)"),
            "SELECT coalesce(percentile((unix_seconds(system.session.q_end) - unix_seconds(a)), 0.5D), 0)"
        );
    }

    #[test]
    fn date_diff_in_exact_units_only() {
        assert_eq!(
            spark(
                "SELECT date_diff('microsecond', greatest(i.a, w.start_at), least(i.b, w.end_at))"
            ),
            "SELECT (unix_micros(least(i.b, w.end_at)) - unix_micros(greatest(i.a, w.start_at)))"
        );
        assert_eq!(
            spark("SELECT datediff('ms', a, b)"),
            "SELECT (unix_millis(b) - unix_millis(a))"
        );
        let e = refused("SELECT\n date_diff('day', a, b)");
        assert_eq!(e.line, 2);
        assert!(e.construct.contains("'day'"), "{e}");
        refused("SELECT date_diff(part, a, b)");
    }

    #[test]
    fn casts_map_type_names() {
        assert_eq!(
            spark("SELECT coalesce(CAST(priority AS VARCHAR), 'unknown'), CAST(NULL AS VARCHAR(10)), cast(x AS DECIMAL), CAST(y AS DECIMAL(9, 2))"),
            "SELECT coalesce(CAST(priority AS STRING), 'unknown'), CAST(NULL AS STRING), cast(x AS DECIMAL(18,3)), CAST(y AS DECIMAL(9,2))"
        );
        let e = refused("SELECT CAST(x AS HUGEINT)");
        assert!(e.construct.contains("HUGEINT"), "{e}");
        refused("SELECT x::INTEGER");
    }

    #[test]
    fn strings_and_identifiers_are_requoted() {
        assert_eq!(
            spark(
                r#"SELECT 'it''s', 'a\b', "odd ""name""", 'x -- not a comment' -- getvariable('no')"#
            ),
            r#"SELECT 'it\'s', 'a\\b', `odd "name"`, 'x -- not a comment' -- getvariable('no')"#
        );
        assert_eq!(
            spark("SELECT h.vendor || ' × ' || s"),
            "SELECT h.vendor || ' × ' || s"
        );
        refused("SELECT E'\\n'");
    }

    #[test]
    fn order_by_puts_nulls_last_as_duckdb_does() {
        assert_eq!(
            spark("SELECT row_number() OVER (ORDER BY a, b DESC, c NULLS FIRST) FROM t ORDER BY coalesce(a, b), 2"),
            "SELECT row_number() OVER (ORDER BY a NULLS LAST, b DESC NULLS LAST, c NULLS FIRST) FROM t ORDER BY coalesce(a, b) NULLS LAST, 2 NULLS LAST"
        );
        assert_eq!(
            spark("SELECT max(b) OVER (PARTITION BY s ORDER BY a, b\n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) FROM t"),
            "SELECT max(b) OVER (PARTITION BY s ORDER BY a NULLS LAST, b NULLS LAST\n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) FROM t"
        );
        assert_eq!(
            spark("SELECT a FROM t ORDER BY a LIMIT 3"),
            "SELECT a FROM t ORDER BY a NULLS LAST LIMIT 3"
        );
        refused("SELECT a FROM t ORDER BY ALL");
    }

    #[test]
    fn unknown_constructs_are_refused_by_name() {
        for (sql, construct) in [
            ("SELECT quantile_disc(x, 0.5) FROM t", "quantile_disc(…)"),
            ("SELECT strftime(x, '%Y') FROM t", "strftime(…)"),
            ("SELECT * EXCLUDE (a) FROM t", "EXCLUDE"),
            ("SELECT [1, 2]", "["),
            (
                "SELECT a FROM t QUALIFY row_number() OVER () = 1",
                "QUALIFY",
            ),
            ("SELECT x + INTERVAL 1 DAY", "INTERVAL"),
            ("SELECT main.f(x)", "f(…)"),
            ("SELECT * REPLACE (1 AS a) FROM t", "* REPLACE"),
            ("SELECT DISTINCT ON (a) a FROM t", "DISTINCT ON"),
            ("SELECT 1 UNION BY NAME SELECT 2", "UNION BY NAME"),
            ("SELECT concat(a, b)", "concat(…)"),
            ("SELECT quantile_cont(x, [0.5, 0.9])", "quantile_cont(…)"),
            ("SELECT 1_000", "1_000"),
        ] {
            let e = refused(sql);
            assert_eq!(e.construct, construct, "{sql}: {e}");
        }
    }

    #[test]
    fn a_comment_ending_an_argument_ends_its_line() {
        assert_eq!(
            spark("SELECT median(x -- why\n)"),
            "SELECT percentile(x -- why\n, 0.5D)"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let sql = format!("SELECT {}x{}", "abs(".repeat(100), ")".repeat(100));
        assert!(refused(&sql).reason.contains("nested"));
        refused("SELECT 'ünterminated…");
    }

    #[test]
    fn one_query_only() {
        refused("SELECT 1; SELECT 2");
        refused("SET VARIABLE x = 1");
        refused("   -- nothing\n");
        assert_eq!(spark("SELECT 1;\n"), "SELECT 1;\n");
        refused("SELECT 'open");
        refused("SELECT 1 /* open");
    }

    #[test]
    fn keywords_before_parentheses_are_not_calls() {
        let s = "WITH p AS (SELECT 1 AS a), q AS (SELECT * FROM (VALUES (1)) AS v(a)) SELECT count(*) FILTER (WHERE a IN (1, 2) AND (a > 0) OR NOT (a < 0)) OVER (PARTITION BY a) FROM p JOIN q USING (a) WHERE EXISTS (SELECT 1)";
        assert_eq!(spark(s), s);
    }
}
