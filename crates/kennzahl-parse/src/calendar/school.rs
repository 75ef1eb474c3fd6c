//! School holidays (Schulferien) per state: the table shipped with kennzahl
//! (`data/school-holidays-de.csv`, KMK calendar 2024–2029) and user files in the
//! same format (`state,start,end,name[,name_en]`, dates inclusive) that add years.

use super::holidays::State;
use chrono::NaiveDate;
use std::path::Path;
use std::sync::OnceLock;

/// One school break of a state, first and last free day inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolBreak {
    pub state: State,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub name: String,
}

const BUILTIN: &str = include_str!("../../../../data/school-holidays-de.csv");

/// The shipped table, parsed once.
pub fn builtin() -> &'static [SchoolBreak] {
    static CELL: OnceLock<Vec<SchoolBreak>> = OnceLock::new();
    CELL.get_or_init(|| {
        parse(BUILTIN, "data/school-holidays-de.csv")
            .expect("shipped school holiday table is valid")
    })
}

pub fn read_file(path: &Path) -> Result<Vec<SchoolBreak>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&text, &path.display().to_string())
}

/// Parse the CSV format; errors name the file and line.
pub fn parse(text: &str, file: &str) -> Result<Vec<SchoolBreak>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("{file}: {e}"))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        let state: State = get(0)
            .parse()
            .map_err(|e| format!("{file}:{line}: column state: {e}"))?;
        let date = |i: usize, col: &str| {
            NaiveDate::parse_from_str(get(i), "%Y-%m-%d").map_err(|_| {
                format!(
                    "{file}:{line}: column {col}: {:?} is not a date YYYY-MM-DD",
                    get(i)
                )
            })
        };
        let start = date(1, "start")?;
        let end = date(2, "end")?;
        if end < start {
            return Err(format!("{file}:{line}: the break ends before it starts"));
        }
        out.push(SchoolBreak {
            state,
            start,
            end,
            name: get(3).to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_has_all_rows() {
        // 574 data rows per the dataset README.
        assert_eq!(builtin().len(), 574);
        assert!(builtin()
            .iter()
            .any(|b| b.state == State::NW
                && b.start == NaiveDate::from_ymd_opt(2026, 7, 20).unwrap()));
    }

    #[test]
    fn bad_line_is_named() {
        let e = parse(
            "state,start,end,name\nNW,2026-01-01,2026-01-02,x\nNW,2026-13-01,2026-01-02,y\n",
            "f.csv",
        )
        .unwrap_err();
        assert_eq!(
            e,
            "f.csv:3: column start: \"2026-13-01\" is not a date YYYY-MM-DD"
        );
    }
}
