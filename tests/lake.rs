//! The Parquet lake: `kennzahl export --parquet` writes Hive partitions, and the KPI SQL of
//! queries/kpis runs unchanged on them in plain DuckDB (no kennzahl functions registered),
//! giving exactly the figures kennzahl computes on the workspace; derived for Spark SQL by
//! `--dialect spark`, it gives them in Spark too (pyspark, where installed: `.ci/run`
//! installs it), and the README's steps for both run as written.

use crate::util::{kpi_map, skip_unless_ci, Ws};
use kennzahl::kpi::{self, Dimension};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Run kennzahl on the workspace `w`; stdout on success, else (exit code, stderr).
fn k(w: &Path, args: &[&str]) -> Result<String, (Option<i32>, String)> {
    let out = assert_cmd::Command::cargo_bin("kennzahl")
        .unwrap()
        .env_remove("KENNZAHL_WORKSPACE")
        .arg("--workspace")
        .arg(w)
        .args(args)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).unwrap())
    } else {
        Err((
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }
}

#[test]
fn kpi_sql_runs_unchanged_on_the_parquet_lake() {
    let ws = Ws::new();
    let (out, _data) = ws.demo(2000);
    let lake = ws.path().join("lake");
    let w = out.as_path();
    let l = lake.to_str().unwrap();
    let printed = k(w, &["export", "--parquet", l]).unwrap();
    assert!(printed.contains("ticket_facts"), "{printed}");
    // Hive layout: source=…/quarter=…/ folders.
    let q3 = lake
        .join("tickets")
        .join("source=demo")
        .join("quarter=2026-Q3");
    assert!(q3.is_dir(), "no partition folder {}", q3.display());
    for f in ["views.duckdb.sql", "views.spark.sql", "manifest.json"] {
        assert!(lake.join(f).exists(), "no {f} in the lake");
    }
    // A second export into the same folder needs --force.
    let (code, err) = k(w, &["export", "--parquet", l]).unwrap_err();
    assert_eq!(code, Some(1));
    assert!(err.contains("--force"), "{err}");
    k(w, &["export", "--parquet", l, "--force"]).unwrap();

    // Plain DuckDB: an in-memory database with nothing of kennzahl's but the views.
    let plain = duckdb::Connection::open_in_memory().unwrap();
    plain
        .execute_batch(&kennzahl::lake::views_duckdb_sql(&lake, Some(&lake)).unwrap())
        .unwrap();
    let n: i64 = plain
        .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2000);
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let kpis = kpi::builtin_catalog();
    let mut compared = 0;
    for q in ["2026-Q3", "2026-Q2", "2025-Q4"] {
        for dim in dims() {
            let on_lake = kpi::run_on(&plain, tz, &kpis, q.parse().unwrap(), dim)
                .unwrap_or_else(|e| panic!("{q} by {}: {e:#}", dim.key()));
            let expected = kpi_map(
                &k(
                    w,
                    &[
                        "kpi",
                        "--quarter",
                        q,
                        "--by",
                        &dim.key().replace('_', "-"),
                        "--format",
                        "csv",
                    ],
                )
                .unwrap(),
            );
            assert_eq!(on_lake.len(), expected.len(), "{q} by {}", dim.key());
            for v in &on_lake {
                let e = expected
                    .get(&(v.full_name(), v.key.clone()))
                    .unwrap_or_else(|| {
                        panic!("{q} {} {}: not computed by kennzahl", v.full_name(), v.key)
                    });
                match (v.value, e) {
                    (None, None) => {}
                    (Some(a), Some(b)) => assert!(
                        (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                        "{q} {} {}: lake {a}, workspace {b}",
                        v.full_name(),
                        v.key
                    ),
                    other => panic!("{q} {} {}: {other:?}", v.full_name(), v.key),
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 1000, "only {compared} values compared");
}

/// The five built-in breakdowns (queries/model/dimensions.toml).
fn dims() -> Vec<Dimension> {
    ["all", "school", "school_type", "service", "priority"]
        .iter()
        .map(|k| Dimension::builtin(k).expect("a built-in dimension"))
        .collect()
}

/// A breakdown as `--by` spells it.
fn by(d: Dimension) -> String {
    d.key().replace('_', "-")
}

#[test]
fn print_sql_and_scope_for_each_dialect() {
    let ws = Ws::mini();
    // DuckDB: the KPI file as written, one statement.
    let file = kpi::BUILTIN
        .iter()
        .find(|b| b.name == "resolution_time")
        .unwrap()
        .sql;
    let duck = ws.ok(&["kpi", "--print-sql", "resolution_time"]);
    assert!(duck.contains(file.trim_end()), "{duck}");
    assert!(duck.trim_end().ends_with(';'), "{duck}");
    assert_eq!(
        duck,
        ws.ok(&[
            "kpi",
            "--print-sql",
            "resolution_time",
            "--dialect",
            "duckdb"
        ])
    );
    // Spark: derived from it.
    let spark = ws.ok(&[
        "kpi",
        "--print-sql",
        "resolution_time",
        "--dialect",
        "spark",
    ]);
    for s in [
        "percentile(resolution_bsecs, 0.5D) / 3600.0D AS median",
        "first_resolved_at >= system.session.q_start",
    ] {
        assert!(spark.contains(s), "no {s:?} in\n{spark}");
    }
    for s in ["getvariable", "quantile_cont"] {
        assert!(!spark.contains(s), "{s:?} left in\n{spark}");
    }
    // Every built-in KPI has a Spark form.
    for b in kpi::BUILTIN {
        ws.ok(&["kpi", "--print-sql", b.name, "--dialect", "spark"]);
    }
    // The scope: one statement a line, each ending in `;`.
    let scope = ws.ok(&[
        "kpi",
        "--quarter",
        "2026-Q3",
        "--by",
        "priority",
        "--print-scope",
        "--dialect",
        "spark",
    ]);
    let lines: Vec<&str> = scope.lines().collect();
    assert_eq!(lines.len(), 9, "{scope}");
    assert!(lines.iter().all(|l| l.ends_with(';')), "{scope}");
    assert_eq!(lines[0], "SET TIME ZONE 'UTC';");
    assert!(lines.contains(
        &"DECLARE OR REPLACE VARIABLE q_start TIMESTAMP DEFAULT TIMESTAMP '2026-06-30 22:00:00';"
    ));
    assert!(scope.contains("coalesce(CAST(priority AS STRING), 'unknown') AS dim"));
    let duck_scope = ws.ok(&["kpi", "--quarter", "2026-Q3", "--print-scope"]);
    assert!(duck_scope.starts_with("SET VARIABLE q_start = TIMESTAMP '2026-06-30 22:00:00';\n"));
    assert_eq!(duck_scope.lines().count(), 8, "{duck_scope}");
}

#[test]
fn bad_dialects_and_kpis_spark_cannot_run_are_refused() {
    let ws = Ws::mini();
    // A dialect kennzahl does not know: a usage error listing the known ones.
    let e = ws.fails(
        &[
            "kpi",
            "--print-sql",
            "tickets_created",
            "--dialect",
            "trino",
        ],
        2,
    );
    assert!(
        e.contains("trino") && e.contains("duckdb") && e.contains("spark"),
        "{e}"
    );
    // A KPI that does not exist: the known ones.
    let e = ws.fails(&["kpi", "--print-sql", "nope"], 1);
    assert!(
        e.contains("\"nope\"") && e.contains("tickets_created"),
        "{e}"
    );
    // --dialect without anything to print.
    let e = ws.fails(&["kpi", "--quarter", "2026-Q3", "--dialect", "spark"], 1);
    assert!(e.contains("--print-sql"), "{e}");
    // A workspace KPI with a construct Spark has no exact equivalent for.
    let dir = ws.path().join("queries").join("kpis");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("my_median.sql"),
        "SELECT dim AS key,\n       quantile_disc(response_bsecs, 0.5) / 3600.0 AS value\nFROM kt\nGROUP BY ALL\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("my_median.toml"),
        "name = \"my_median\"\ntitle_de = \"x\"\ntitle_en = \"x\"\ndimensions = [\"all\"]\ndefinition = \"x\"\n[measures]\nvalue = { unit = \"service_hours\", de = \"x\", en = \"x\" }\n",
    )
    .unwrap();
    let out = ws
        .cmd()
        .args(["kpi", "--print-sql", "my_median", "--dialect", "spark"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "printed SQL that would fail");
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("KPI my_median") && e.contains("line 2") && e.contains("quantile_disc(…)"),
        "{e}"
    );
    // DuckDB runs it as written.
    assert!(ws
        .ok(&["kpi", "--print-sql", "my_median"])
        .contains("quantile_disc"));
}

/// The Python with pyspark 4 and duckdb (`.ci/run` installs them into a venv it keeps
/// between runs) and Java for Spark: `KENNZAHL_SPARK_PYTHON`, else that venv. Absent: a
/// failure in CI, a SKIPPED line elsewhere.
fn lake_python() -> Option<PathBuf> {
    let py = std::env::var_os("KENNZAHL_SPARK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/kennzahl-spark-venv/bin/python")
        });
    let ok = std::process::Command::new(&py)
        .args(["-c", "import pyspark, duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        skip_unless_ci(&format!(
            "{} with pyspark and duckdb (.ci/run installs them)",
            py.display()
        ));
        return None;
    }
    let java = std::process::Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !java && std::env::var_os("JAVA_HOME").is_none() {
        skip_unless_ci("java for Spark (apt-get install default-jre-headless)");
        return None;
    }
    Some(py)
}

/// The fenced code block right after `<!-- tested: NAME -->` in README.md.
fn readme_block(readme: &str, name: &str) -> String {
    let marker = format!("<!-- tested: {name} -->");
    let at = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no {marker}"));
    let rest = &readme[at + marker.len()..];
    let open = rest.find("```").unwrap();
    assert!(
        rest[..open].trim().is_empty(),
        "{marker} is not right before a code block"
    );
    let body = open + rest[open..].find('\n').unwrap() + 1;
    let end = body + rest[body..].find("\n```").unwrap();
    rest[body..=end].to_string()
}

/// Run a script with `program` in `dir`; its stdout, or a panic with everything.
fn run_script(program: &Path, script: &Path, dir: &Path) -> String {
    let out = std::process::Command::new(program)
        .arg(script)
        .current_dir(dir)
        .env_remove("KENNZAHL_WORKSPACE")
        .env(
            "PATH",
            format!(
                "{}:{}",
                Path::new(env!("CARGO_BIN_EXE_kennzahl"))
                    .parent()
                    .unwrap()
                    .display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} {} failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        program.display(),
        script.display(),
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// (quarter, kpi, dimension, key) → value, from CSV with those columns (and maybe unit).
type Values = BTreeMap<(String, String, String, String), Option<f64>>;

fn values(csv_text: &str) -> Values {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (q, k, d, key, v) = (
        col("quarter"),
        col("kpi"),
        col("dimension"),
        col("key"),
        col("value"),
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let val = rec.get(v).unwrap();
            (
                (
                    rec[q].to_string(),
                    rec[k].to_string(),
                    rec[d].to_string(),
                    rec[key].to_string(),
                ),
                (!val.is_empty()).then(|| val.parse().unwrap()),
            )
        })
        .collect()
}

/// Compare an engine's values with kennzahl's: the same (quarter, kpi, breakdown, key)
/// rows; counts exactly; every other number to 1e-9 of its size. Why not exactly: the
/// engines add doubles in another order (partial sums per thread and partition) and
/// interpolate quantiles by algebraically equal formulas (DuckDB lo + (hi − lo)·f, Spark
/// (1 − f)·lo + f·hi), so the last bits can differ (about 1e-16 of the value); 1e-9 is far
/// below any digit a report shows and far above that rounding.
fn compare(engine: &str, got: &Values, want: &Values, units: &BTreeMap<String, String>) {
    let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{engine}: {} values kennzahl has are missing, e.g. {:?}; {} are extra, e.g. {:?}",
        missing.len(),
        missing.iter().take(5).collect::<Vec<_>>(),
        extra.len(),
        extra.iter().take(5).collect::<Vec<_>>()
    );
    for (k, w) in want {
        let g = got[k];
        let exact = units.get(&k.1).is_some_and(|u| u == "count");
        let same = match (g, *w) {
            (None, None) => true,
            (Some(a), Some(b)) if exact => a == b,
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            _ => false,
        };
        assert!(same, "{engine}: {k:?}: {g:?}, kennzahl {w:?}");
    }
}

/// A table as Spark's `DataFrame.show()` (`|`) or DuckDB's `show()` (`│`, with a row of
/// types under the header) prints it: the header and the rows, cells trimmed.
fn shown_table(out: &str, engine: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bar = if engine == "spark" { '|' } else { '│' };
    let mut rows = out.lines().filter(|l| l.starts_with(bar)).map(|l| {
        l.trim_matches(bar)
            .split(bar)
            .map(|c| c.trim().to_string())
            .collect::<Vec<_>>()
    });
    let header = rows.next().unwrap_or_else(|| panic!("no table in\n{out}"));
    if engine != "spark" {
        rows.next(); // the types
    }
    (header, rows.collect())
}

/// The README's lake steps as written, then every built-in KPI for every quarter of the demo
/// and every breakdown, in DuckDB and in Spark over the lake, against `kennzahl kpi`.
#[test]
fn lake_kpis_in_spark_and_duckdb_equal_kennzahl_and_the_readme_runs() {
    let Some(py) = lake_python() else { return };
    let ws = Ws::new();
    let (demo, _) = ws.demo(2000);
    let w = demo.as_path();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();

    // 1. The README: the shell steps in the folder that holds the `demo` workspace, with
    //    this build's kennzahl first on PATH; then the Python steps in lake/.
    let sh = readme_block(&readme, "lake-sh");
    let script = ws.write("readme-lake.sh", &format!("set -euo pipefail\n{sh}"));
    run_script(Path::new("bash"), &script, ws.path());
    let lake = ws.path().join("lake");

    // The table list and the layout the README shows are what was written.
    let mut listed: Vec<String> = readme_block(&readme, "lake-tables")
        .lines()
        .flat_map(|l| l.split_once(':').unwrap().1.split_whitespace())
        .map(String::from)
        .collect();
    listed.sort();
    let mut tables: Vec<String> = kennzahl::lake::TABLES
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    tables.sort();
    assert_eq!(listed, tables, "README's table list");
    for line in readme_block(&readme, "lake-layout").lines() {
        for word in line.split_whitespace().take_while(|w| !w.starts_with('(')) {
            let rel = word
                .strip_prefix("lake/")
                .unwrap_or_else(|| panic!("{line}"));
            assert!(
                lake.join(rel).exists(),
                "README shows {word}, the export has none"
            );
        }
    }

    // The quarter and breakdown the README's scope names.
    let arg = |flag: &str| {
        let mut words = sh.split_whitespace();
        words.find(|w| *w == flag);
        words.next().unwrap().to_string()
    };
    let (rq, rby) = (arg("--quarter"), arg("--by"));
    let want = values(
        &k(
            w,
            &["kpi", "--quarter", &rq, "--by", &rby, "--format", "csv"],
        )
        .unwrap(),
    );
    let kpi_name = readme_block(&readme, "lake-sh")
        .split_whitespace()
        .skip_while(|w| *w != "--print-sql")
        .nth(1)
        .unwrap()
        .to_string();
    for engine in ["duckdb", "spark"] {
        let code = readme_block(&readme, &format!("lake-{engine}.py"));
        let file = ws.write(&format!("readme-{engine}.py"), &code);
        let t = Instant::now();
        let out = run_script(&py, &file, &lake);
        let secs = t.elapsed().as_secs_f64();
        // Every key kennzahl has for the KPI is printed, with its values (as far as the
        // table shows them: DuckDB leaves out columns of a wide table).
        let (header, rows) = shown_table(&out, engine);
        assert_eq!(header[0], "key", "{out}");
        let dim = rby.replace('-', "_");
        let keys: Vec<&String> = want
            .keys()
            .filter(|k| k.1.starts_with(&format!("{kpi_name}.")))
            .map(|k| &k.3)
            .collect();
        assert!(!keys.is_empty());
        for key in keys {
            let row = rows
                .iter()
                .find(|r| r[0] == *key)
                .unwrap_or_else(|| panic!("README's {engine} step printed no {key}:\n{out}"));
            for (i, m) in header.iter().enumerate().skip(1) {
                if m == "…" {
                    continue;
                }
                let wk = (
                    rq.clone(),
                    format!("{kpi_name}.{m}"),
                    dim.clone(),
                    key.clone(),
                );
                let shown = &row[i];
                match want.get(&wk) {
                    Some(Some(v)) => assert!(
                        (shown.parse::<f64>().unwrap() - v).abs() <= 1e-9 * v.abs().max(1.0),
                        "{wk:?}: {engine} shows {shown}, kennzahl {v}"
                    ),
                    Some(None) => assert_eq!(shown, "NULL", "{wk:?}"),
                    None => panic!("{wk:?}: not a measure kennzahl has\n{out}"),
                }
            }
        }
        eprintln!("README's {engine} step: {secs:.1} s");
    }

    // 2. Every built-in KPI, every quarter of the demo, every breakdown.
    let sqldir = ws.path().join("sql");
    let kpis_csv = k(w, &["kpi", "--list", "--format", "csv"]).unwrap();
    std::fs::create_dir_all(&sqldir).unwrap();
    std::fs::write(sqldir.join("kpis.csv"), &kpis_csv).unwrap();
    let mut units = BTreeMap::new();
    let mut names = Vec::new();
    for rec in csv::Reader::from_reader(kpis_csv.as_bytes()).records() {
        let rec = rec.unwrap();
        units.insert(rec[0].to_string(), rec[1].to_string());
        let kpi = rec[0].split('.').next().unwrap().to_string();
        if !names.contains(&kpi) {
            names.push(kpi);
        }
    }
    assert_eq!(names.len(), kpi::BUILTIN.len());
    let mut quarters = Vec::new();
    let mut q = kennzahl::demo::LAST_QUARTER;
    for _ in 0..8 {
        quarters.push(q.to_string());
        q = q.prev();
    }
    let mut want = Values::new();
    for q in &quarters {
        for d in dims() {
            want.extend(values(
                &k(
                    w,
                    &["kpi", "--quarter", q, "--by", &by(d), "--format", "csv"],
                )
                .unwrap(),
            ));
        }
    }
    for engine in ["duckdb", "spark"] {
        let dir = sqldir.join(engine).join("scope");
        std::fs::create_dir_all(&dir).unwrap();
        for name in &names {
            let sql = k(w, &["kpi", "--print-sql", name, "--dialect", engine]).unwrap();
            std::fs::write(sqldir.join(engine).join(format!("{name}.sql")), sql).unwrap();
        }
        for q in &quarters {
            for d in dims() {
                let scope = k(
                    w,
                    &[
                        "kpi",
                        "--quarter",
                        q,
                        "--by",
                        &by(d),
                        "--print-scope",
                        "--dialect",
                        engine,
                    ],
                )
                .unwrap();
                std::fs::write(dir.join(format!("{q}_{}.sql", d.key())), scope).unwrap();
            }
        }
    }
    let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spark/run_kpis.py");
    for engine in ["duckdb", "spark"] {
        let out = ws.path().join(format!("{engine}.csv"));
        let t = Instant::now();
        // Spark's log goes to the panic message, not into the test's output, unless it fails.
        let run = std::process::Command::new(&py)
            .arg(&runner)
            .args(["--engine", engine])
            .arg(&lake)
            .arg(&sqldir)
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{engine}: run_kpis.py failed\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let secs = t.elapsed().as_secs_f64();
        let got = values(&std::fs::read_to_string(&out).unwrap());
        compare(engine, &got, &want, &units);
        // Straight to stderr: the time of this step is wanted in CI's log.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "lake: {engine}: {} values of {} KPIs, {} quarters, {} breakdowns equal `kennzahl kpi` ({secs:.1} s)",
            got.len(),
            names.len(),
            quarters.len(),
            dims().len()
        );
    }
}
