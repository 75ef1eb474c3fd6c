//! Helpers: a temporary workspace and the real binary.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(rel)
}

/// The shared datasets folder beside the project, if present.
pub fn shared_dataset(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join("datasets")
        .join(rel);
    if p.exists() {
        return Some(p);
    }
    skip_unless_ci(&format!(
        "{} is absent (the shared datasets folder is not beside the project)",
        p.display()
    ));
    None
}

/// A test that cannot run here for want of `what`: a failure in CI (which must have it),
/// a visible SKIPPED line elsewhere.
pub fn skip_unless_ci(what: &str) {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false") {
        panic!("{what}, but CI must have it");
    }
    // Written to stderr directly: the test harness captures eprintln! of passing tests,
    // and a skipped test must be visible.
    use std::io::Write;
    let n = SKIPPED.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED ({n} so far): {} needs what is absent: {what}",
        std::thread::current().name().unwrap_or("a test"),
    );
}

/// Tests skipped in this run for want of something (datasets, Spark).
static SKIPPED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub struct Ws {
    pub dir: tempfile::TempDir,
}

impl Ws {
    pub fn new() -> Ws {
        Ws {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("kennzahl").unwrap();
        c.current_dir(self.path())
            .env_remove("KENNZAHL_WORKSPACE")
            .arg("--workspace")
            .arg(self.path());
        c
    }
    /// Run and return stdout, panicking with the full output when it fails.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "kennzahl {args:?} failed ({:?})\nstdout:\n{}\nstderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
    /// Run, expect success, return stdout and stderr.
    pub fn ok_both(&self, args: &[&str]) -> (String, String) {
        let out = self.cmd().args(args).output().unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        );
        assert!(
            out.status.success(),
            "kennzahl {args:?} failed ({:?})\nstdout:\n{stdout}\nstderr:\n{stderr}",
            out.status.code()
        );
        (stdout, stderr)
    }
    /// The response and resolution service seconds of every ticket, as CSV.
    pub fn durations(&self) -> String {
        self.ok(&[
            "sql",
            "--analysis",
            "--format",
            "csv",
            "SELECT ticket_id, response_bsecs, resolution_bsecs FROM ticket_facts ORDER BY ticket_id",
        ])
    }
    /// Run, expect failure with `code`, return stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "kennzahl {args:?}: expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
    /// A workspace initialised with the mini fixture's configuration.
    pub fn mini() -> Ws {
        let ws = Ws::new();
        std::fs::copy(
            fixture("mini/kennzahl.toml"),
            ws.path().join("kennzahl.toml"),
        )
        .unwrap();
        ws.ok(&["init"]);
        ws
    }
    pub fn import_mini(&self) -> String {
        self.import_mini_with(&[])
    }
    pub fn import_mini_with(&self, flags: &[&str]) -> String {
        let f = |n: &str| fixture(&format!("mini/{n}")).display().to_string();
        let files = [
            f("schools.csv"),
            f("tickets.csv"),
            f("events.csv"),
            f("changes.csv"),
        ];
        let mut args = vec!["import"];
        args.extend_from_slice(flags);
        args.extend(files.iter().map(|s| s.as_str()));
        self.ok(&args)
    }
    /// Run `kennzahl demo` with `tickets` tickets into `demo/` (workspace, report) and
    /// `data/` (canonical files, ground truth) of this folder; returns both paths.
    pub fn demo(&self, tickets: usize) -> (PathBuf, PathBuf) {
        let out = self.path().join("demo");
        let data = self.path().join("data");
        self.ok(&[
            "demo",
            "--tickets",
            &tickets.to_string(),
            "--out",
            out.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
        ]);
        (out, data)
    }
    pub fn sql(&self, q: &str) -> String {
        self.ok(&["sql", "--format", "csv", q])
    }
}

/// Parse `kennzahl kpi --format csv` output into (kpi, key) → value.
pub fn kpi_map(csv_text: &str) -> std::collections::BTreeMap<(String, String), Option<f64>> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let mut m = std::collections::BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let v = rec.get(4).unwrap();
        m.insert(
            (
                rec.get(1).unwrap().to_string(),
                rec.get(3).unwrap().to_string(),
            ),
            if v.is_empty() {
                None
            } else {
                Some(v.parse().unwrap())
            },
        );
    }
    m
}

pub fn assert_close(actual: Option<f64>, expected: f64, what: &str) {
    let a = actual.unwrap_or_else(|| panic!("{what}: no value, expected {expected}"));
    assert!(
        (a - expected).abs() <= 1e-6 * expected.abs().max(1.0),
        "{what}: got {a}, expected {expected}"
    );
}

/// The rows of a CSV text as maps column → value.
pub fn csv_maps(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            h.iter()
                .zip(rec.iter())
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        })
        .collect()
}
