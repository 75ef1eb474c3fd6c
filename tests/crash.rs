//! Crash safety and concurrency: an import killed with SIGKILL at any point leaves the
//! workspace exactly as it was before (or, killed after its commit, as after it), the next
//! import succeeds; a second kennzahl process on a workspace in use gets a clear error.

use crate::util::Ws;
use std::path::PathBuf;
use std::time::Duration;

fn demo_files() -> Vec<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data/muster-kommune");
    [
        "schools.csv",
        "tickets.csv.gz",
        "events.csv.gz",
        "changes.csv",
    ]
    .iter()
    .map(|f| d.join(f))
    .collect()
}

/// Everything an import changes, in one line: row counts, the import log, the derived
/// tables and a checksum of the events.
fn state(ws: &Ws) -> String {
    ws.sql(
        "SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM events) AS events,
                (SELECT count(*) FROM schools) AS schools, (SELECT count(*) FROM changes) AS changes,
                (SELECT count(*) FROM imports) AS imports,
                (SELECT count(*) FROM segments) AS segments, (SELECT count(*) FROM ticket_facts) AS facts,
                (SELECT coalesce(sum(hash(source, ticket_id, seq, event_at, kind)), 0) FROM events) AS events_sum,
                (SELECT coalesce(sum(hash(ticket_id, status, updated_at, satisfaction, effort_minutes)), 0) FROM tickets) AS tickets_sum,
                (SELECT coalesce(sum(hash(ticket_id, status, first_resolved_at, resolution_bsecs)), 0) FROM ticket_facts) AS facts_sum",
    )
}

/// Kill `kennzahl ARGS` on `ws` twelve times, at delays spread over a whole run (`full_ms`):
/// reading and staging, merging, deriving, committing. After every kill the workspace holds
/// the state `before` or, killed after the commit, `after` (then `fresh` gives a workspace in
/// the previous state again); at least five kills must land inside the import. The
/// workspace to go on with is returned.
fn kill_at_spread_points(
    mut ws: Ws,
    args: &[&str],
    full_ms: u64,
    (before, after): (&str, &str),
    fresh: impl Fn() -> Ws,
) -> Ws {
    let (mut inside, mut committed) = (0, 0);
    for k in 0..12u64 {
        let delay = 20 + k * full_ms / 10;
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kennzahl"))
            .arg("--workspace")
            .arg(ws.path())
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let now = state(&ws);
        if now == before {
            inside += 1;
        } else if now == after {
            // Killed after its commit: the import is complete; go on from the previous state.
            committed += 1;
            ws = fresh();
        } else {
            panic!("killed after {delay} ms: the workspace holds neither the previous nor the complete state:\nbefore:\n{before}\nnow:\n{now}\nafter:\n{after}");
        }
    }
    assert!(
        inside >= 5,
        "only {inside} of 12 kills landed inside the import ({committed} after it)"
    );
    ws
}

#[test]
fn a_killed_import_leaves_the_previous_state() {
    // The state after a clean import of the demo files into a workspace holding the mini
    // fixture, for comparison.
    let clean = Ws::mini();
    clean.import_mini();
    let before = state(&clean);
    let mut args: Vec<String> = vec!["import".into()];
    args.extend(demo_files().iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let t0 = std::time::Instant::now();
    clean.ok(&args);
    let full_ms = t0.elapsed().as_millis() as u64;
    let after = state(&clean);
    assert_ne!(before, after);

    // Kill at points spread over the whole import: reading and staging, merging, deriving,
    // committing.
    let fresh = || {
        let ws = Ws::mini();
        ws.import_mini();
        ws
    };
    let ws = fresh();
    assert_eq!(state(&ws), before);
    let ws = kill_at_spread_points(ws, &args, full_ms, (&before, &after), fresh);
    // The next import succeeds and gives the complete state.
    ws.ok(&args);
    assert_eq!(state(&ws), after);
}

#[test]
fn a_second_process_on_a_workspace_in_use_gets_a_clear_error() {
    let ws = Ws::mini();
    ws.import_mini();
    let before = state(&ws);
    // This test process holds the database open, as a running import would.
    let held = duckdb::Connection::open(ws.path().join("kennzahl.duckdb")).unwrap();
    let err = ws.fails(
        &[
            "import",
            &crate::util::fixture("mini/tickets.csv")
                .display()
                .to_string(),
        ],
        1,
    );
    assert!(
        err.contains("is in use by another kennzahl process"),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
    drop(held);
    assert_eq!(state(&ws), before);
    ws.ok(&["kpi", "--quarter", "2026-Q1"]);
}

/// The next quarter's import (issue 18): a workspace holding the demo export as at
/// 2026-07-01 (base), and the import of the quarter after it (next: new tickets, and open
/// tickets of base again, complete) killed with SIGKILL at points spread over it. Each kill
/// leaves exactly the state of base (or, after the commit, the complete one), and the next
/// import succeeds and equals an import that was never killed.
#[test]
fn a_killed_next_quarter_import_leaves_the_previous_state() {
    let split = tempfile::tempdir().unwrap();
    crate::import::split_quarter(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data/muster-kommune"),
        split.path(),
        "2026-07-01 00:00:00",
    );
    let files = |set: &str| crate::import::canonical_files(&split.path().join(set));
    let import_args = |set: &str| {
        let mut a = vec!["import".to_string()];
        a.extend(files(set));
        a
    };
    let base_args = import_args("base");
    let next_args = import_args("next");

    // The base state once; every fresh workspace is a copy of its database.
    let pristine = Ws::new();
    pristine.ok(&["init"]);
    pristine.ok(&base_args.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    let before = state(&pristine);
    let fresh = || {
        let ws = Ws::new();
        ws.ok(&["init"]);
        std::fs::copy(
            pristine.path().join("kennzahl.duckdb"),
            ws.path().join("kennzahl.duckdb"),
        )
        .unwrap();
        assert_eq!(state(&ws), before);
        ws
    };
    // The complete state: the next import, never killed.
    let clean = fresh();
    let next: Vec<&str> = next_args.iter().map(|s| s.as_str()).collect();
    let t0 = std::time::Instant::now();
    clean.ok(&next);
    let full_ms = t0.elapsed().as_millis() as u64;
    let after = state(&clean);
    assert_ne!(before, after);

    let ws = kill_at_spread_points(fresh(), &next, full_ms, (&before, &after), fresh);
    ws.ok(&next);
    assert_eq!(state(&ws), after);
}
