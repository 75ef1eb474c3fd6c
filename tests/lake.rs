//! The Parquet lake: `kennzahl export --parquet` writes Hive partitions, and the KPI SQL of
//! queries/kpis runs unchanged on them in plain DuckDB (no kennzahl functions registered),
//! giving exactly the figures kennzahl computes on the workspace.

use crate::util::{kpi_map, Ws};
use kennzahl::kpi::{self, Dimension};
use std::path::Path;

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
    assert!(lake.join("views.sql").exists() && lake.join("manifest.json").exists());
    // A second export into the same folder needs --force.
    let (code, err) = k(w, &["export", "--parquet", l]).unwrap_err();
    assert_eq!(code, Some(1));
    assert!(err.contains("--force"), "{err}");
    k(w, &["export", "--parquet", l, "--force"]).unwrap();

    // Plain DuckDB: an in-memory database with nothing of kennzahl's but the views.
    let plain = duckdb::Connection::open_in_memory().unwrap();
    plain
        .execute_batch(&kennzahl::lake::views_sql(&lake, Some(&lake)).unwrap())
        .unwrap();
    let n: i64 = plain
        .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2000);
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let kpis = kpi::builtin_catalog();
    let mut compared = 0;
    for q in ["2026-Q3", "2026-Q2", "2025-Q4"] {
        for dim in [
            Dimension::All,
            Dimension::School,
            Dimension::SchoolType,
            Dimension::Service,
            Dimension::Priority,
        ] {
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
