//! `kennzahl demo`: generate the demo municipality, import it, write the latest report;
//! `kennzahl demo --provider`: the same for a provider of several school authorities, with
//! the provider's report and every authority's pack.

use crate::cli::DemoArgs;
use crate::demo;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(a: DemoArgs) -> Result<ExitCode> {
    if a.provider {
        return provider(a);
    }
    let t0 = Instant::now();
    let out = a.out.unwrap_or_else(|| PathBuf::from("demo"));
    let data = a.data.unwrap_or_else(|| match a.tickets {
        Some(_) => out.join("data"),
        None => PathBuf::from("sample-data").join("muster-kommune"),
    });
    let n = a.tickets.unwrap_or(demo::DEFAULT_TICKETS);
    // Streamed: the tickets and events go to their files a chunk at a time (ten million
    // tickets would not fit in memory with their events).
    let (d, events) = demo::generate_into(n, &data)?;
    eprintln!(
        "generated {} tickets, {events} events, {} changes, {} outages, {} schools into {} ({:.1} s)",
        d.summary.briefs.len(),
        d.changes.len(),
        d.outages.len(),
        d.schools.len(),
        data.display(),
        t0.elapsed().as_secs_f64()
    );
    let (from, to) = (demo::LAST_QUARTER.prev().prev().prev(), demo::LAST_QUARTER);
    let truth = d.staffing_truth(from, to);
    eprintln!(
        "simulated workload {from} – {to}: {:.0} h effort, {:.0} h travel, {:.0} h non-ticket work a year, {:.2} FTE with the cross-cutting share (the team: {} FTE)",
        truth.effort_hours, truth.travel_hours, truth.task_hours, truth.fte, demo::TEAM_FTE
    );
    if a.no_report {
        return Ok(ExitCode::SUCCESS);
    }
    // A fresh workspace each time: the demo is reproducible.
    let ws = fresh_workspace(&out, demo::DEMO_CONFIG)?;
    import_files(&ws, &data)?;
    // The printer vendor's own export, a second source (queries/links/ compare the two).
    let profile = crate::import::profile::builtin("vendor-export").context("built-in profile")?;
    let ((reports, _, _), _) =
        crate::import::import_profile(&ws, &profile, &[data.join(demo::VENDOR_FILE)])?;
    for r in &reports {
        eprintln!("{r}");
    }
    // The staffing report first, so the quarterly report links it.
    let run = crate::staffing::evaluate(&ws, from, to)?;
    let formats: Vec<String> = crate::report::render::ALL
        .iter()
        .map(|s| s.to_string())
        .collect();
    crate::staffing::write(
        &ws,
        &run,
        &out.join(format!("staffing-{}", run.period_slug())),
        ws.config.language(),
        &formats,
    )?;
    eprintln!(
        "staffing {from} – {to}: {:.1} FTE by workload, {:.1} with the first level by Erlang C",
        run.est.fte, run.est.fte_queue
    );
    let q = demo::LAST_QUARTER;
    let report_dir = out.join(format!("report-{q}"));
    let job = crate::report::job::Job {
        spec: "quarterly",
        subject: crate::report::eval::Subject::All,
        quarter: q,
        lang: ws.config.language(),
        formats: &formats,
        dir: &report_dir,
        stem: "report",
        annexes: true,
        source: None,
    };
    let r = crate::report::job::write(&ws, &job)?;
    eprintln!("done in {:.1} s", t0.elapsed().as_secs_f64());
    println!("{}", r.dir.join("report.html").display());
    Ok(ExitCode::SUCCESS)
}

/// A new workspace in `out` with `config` as its kennzahl.toml (an earlier database there is
/// removed: the demo is reproducible).
fn fresh_workspace(out: &Path, config: &str) -> Result<Workspace> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for f in [crate::workspace::DB_FILE, "kennzahl.duckdb.wal"] {
        let _ = std::fs::remove_file(out.join(f));
    }
    std::fs::write(out.join(crate::config::CONFIG_FILE), config)?;
    let ws = Workspace::open(out, true)?;
    ws.init_salt()?;
    Ok(ws)
}

/// `kennzahl demo --provider`: generate the provider demo (`demo::provider`) into `<out>/data`,
/// import it into `<out>`, write the provider's staffing and quarterly report of the last
/// quarter and every authority's pack with the comparison (`report --each-authority`).
fn provider(a: DemoArgs) -> Result<ExitCode> {
    use crate::demo::provider as p;
    let t0 = Instant::now();
    let out = a.out.unwrap_or_else(|| PathBuf::from("demo-provider"));
    let data = a.data.unwrap_or_else(|| out.join("data"));
    let n = a.tickets.unwrap_or(p::DEFAULT_TICKETS);
    let k = a.authorities.unwrap_or(p::DEFAULT_AUTHORITIES);
    let s = p::generate(n, k, &data)?;
    for x in &s.authorities {
        eprintln!(
            "  {} ({}, {}): {} schools, {} devices, {} tickets, {} events, {} changes",
            x.name, x.id, x.state, x.schools, x.devices, x.tickets, x.events, x.changes
        );
    }
    for d in &s.degradations {
        eprintln!(
            "  worse on purpose: {} in {} (first response ×{}, on-site work ×{})",
            d.authority, d.quarter, d.response_factor, d.work_factor
        );
    }
    for c in &s.target_changes {
        eprintln!(
            "  target changed: {} P{} {} {} → {} from {} (kennzahl.toml states the current one)",
            c.authority, c.priority, c.target, c.before, c.after, c.valid_from
        );
    }
    eprintln!(
        "generated the provider {} with {} authorities and {n} tickets into {} (truth: ground_truth.csv, truth.toml) ({:.1} s)",
        s.provider,
        s.authorities.len(),
        data.display(),
        t0.elapsed().as_secs_f64()
    );
    if a.no_report {
        return Ok(ExitCode::SUCCESS);
    }
    let config = std::fs::read_to_string(data.join(crate::config::CONFIG_FILE))?;
    let ws = fresh_workspace(&out, &config)?;
    import_files(&ws, &data)?;
    let q = demo::LAST_QUARTER;
    let from = q.prev().prev().prev();
    let formats: Vec<String> = crate::report::render::ALL
        .iter()
        .map(|s| s.to_string())
        .collect();
    let lang = ws.config.language().to_string();
    // The provider's staffing report first, so its quarterly report links it.
    let run = crate::staffing::evaluate(&ws, from, q)?;
    crate::staffing::write(
        &ws,
        &run,
        &out.join(format!("staffing-{}", run.period_slug())),
        &lang,
        &formats,
    )?;
    let report = out.join(format!("report-{q}"));
    crate::packs::quarterly(&ws, q, &lang, &formats, &report, true)?;
    eprintln!("the provider's report {q} written to {}", report.display());
    let packs = crate::packs::Packs {
        ids: ws
            .config
            .authority_ids()
            .into_iter()
            .map(String::from)
            .collect(),
        comparison: true,
        quarter: q,
        lang: &lang,
        formats: &formats,
        root: out.join("authorities"),
        flat: false,
        annexes: true,
    };
    crate::packs::write_packs(&ws, &packs)?;
    eprintln!(
        "every authority's pack in {} ({}/<id>/report-{q}/, staffing-*/, comparison-{q}/); done in {:.1} s",
        packs.root.display(),
        packs.root.display(),
        t0.elapsed().as_secs_f64()
    );
    println!("{}", report.join("report.html").display());
    println!("{}", packs.root.display());
    Ok(ExitCode::SUCCESS)
}

/// Import the demo's canonical files from `data` (the import reports on stderr).
fn import_files(ws: &Workspace, data: &Path) -> Result<()> {
    let files: Vec<PathBuf> = demo::CANONICAL_FILES.iter().map(|f| data.join(f)).collect();
    let (reports, _, _) = crate::import::import_canonical(ws, &files)?;
    for r in &reports {
        eprintln!("{r}");
    }
    Ok(())
}
