//! The demo municipality: the KPIs recover the generator's ground truth, which the
//! generator computes from its own timeline and draws (not through SQL).

use crate::util::{kpi_map, Ws};

#[test]
fn kpis_recover_the_ground_truth() {
    let ws = Ws::new();
    // A smaller run of the same generator keeps the test quick.
    let (out, data) = ws.demo(3000);
    assert!(out.join("report-2026-Q3/report.html").exists());
    let truth = std::fs::read_to_string(data.join("ground_truth.csv")).unwrap();
    let mut checked = 0;
    let mut per_quarter = std::collections::BTreeMap::new();
    for line in truth.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (q, metric, value): (&str, &str, f64) = (f[0], f[1], f[2].parse().unwrap());
        let kpis = per_quarter.entry(q.to_string()).or_insert_with(|| {
            let csv = std::process::Command::new(assert_cmd::cargo::cargo_bin("kennzahl"))
                .args([
                    "--workspace",
                    out.to_str().unwrap(),
                    "kpi",
                    "--quarter",
                    q,
                    "--format",
                    "csv",
                ])
                .output()
                .unwrap();
            assert!(
                csv.status.success(),
                "{}",
                String::from_utf8_lossy(&csv.stderr)
            );
            kpi_map(&String::from_utf8(csv.stdout).unwrap())
        });
        // Per-vendor figures carry their key after '@'.
        let (metric, key) = metric.split_once('@').unwrap_or((metric, "all"));
        let got = kpis
            .get(&(metric.to_string(), key.to_string()))
            .copied()
            .flatten();
        if value.is_nan() {
            assert!(
                got.is_none(),
                "{q} {metric}: expected no value, got {got:?}"
            );
        } else {
            let g = got.unwrap_or_else(|| panic!("{q} {metric}: no KPI value, truth {value}"));
            assert!(
                (g - value).abs() <= 1e-9 * value.abs().max(1.0),
                "{q} {metric}: KPI {g}, ground truth {value}"
            );
        }
        checked += 1;
    }
    // Every metric of every quarter was compared.
    assert_eq!(
        checked,
        8 * (25 + 3 * 3),
        "8 quarters × (25 metrics + 3 vendors × 3)"
    );
}

#[test]
fn demo_is_deterministic() {
    let a = kennzahl::demo::generate(500).unwrap();
    let b = kennzahl::demo::generate(500).unwrap();
    assert_eq!(a.tickets.len(), 500);
    // Compared as text: a quarter without data has NaN, which is not equal to itself.
    assert_eq!(
        format!("{:?}", a.ground_truth()),
        format!("{:?}", b.ground_truth())
    );
    let ev = |d: &kennzahl::demo::Demo| d.tickets.iter().map(|t| t.events.len()).sum::<usize>();
    assert_eq!(ev(&a), ev(&b));
    // 32 schools of the model municipality.
    assert_eq!(a.schools.len(), 32);
    assert_eq!(
        a.schools
            .iter()
            .filter(|s| s.school_type == "grundschule")
            .count(),
        18
    );
}
