//! `kennzahl staffing [--from Q] [--to Q]`: print the staff need per IT service and write the
//! staffing report (staffing-<from>_<to>/).

use crate::cli::StaffingArgs;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(workspace: &Path, a: StaffingArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    let formats = crate::report::render::parse_formats(&a.format)?;
    let (from, to) = match (a.from, a.to) {
        (Some(f), Some(t)) => (f, t),
        (None, Some(t)) => (t.prev().prev().prev(), t),
        (Some(f), None) => (f, crate::staffing::default_period(&ws)?.1),
        (None, None) => crate::staffing::default_period(&ws)?,
    };
    let run = crate::staffing::evaluate(&ws, from, to)?;
    let lang = a.lang.unwrap_or_else(|| ws.config.language().to_string());
    let words = crate::report::words_for(&ws, &[], &lang)?;
    print_table(&run, &words);
    if !a.no_report {
        let out = a
            .out
            .unwrap_or_else(|| ws.dir.join(format!("staffing-{}", run.period_slug())));
        let files = crate::staffing::write(&ws, &run, &out, &lang, &formats)?;
        for f in &files {
            println!("{}", f.display());
        }
        eprintln!(
            "staffing {from} – {to} written to {} ({})",
            out.display(),
            formats.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(run: &crate::staffing::Run, w: &crate::words::Words) {
    let e = &run.est;
    let net = run.cfg.net_hours_per_fte;
    let n = |v: f64, unit: &str| w.num(Some(v), unit);
    println!(
        "{:<34} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6}",
        w.get("cli.staffing.it_service"),
        w.get("cli.staffing.tickets_year"),
        "L1 h",
        "L2 h",
        "L3 h",
        w.get("cli.staffing.travel_h"),
        w.get("cli.staffing.tasks_h"),
        w.get("cli.staffing.fte"),
    );
    for s in &e.services {
        println!(
            "{:<34} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6}",
            w.value_label("services", &s.service),
            n(s.tickets, "count"),
            n(s.levels[0].hours(), "hours"),
            n(s.levels[1].hours(), "hours"),
            n(s.levels[2].hours(), "hours"),
            n(s.travel_hours, "hours"),
            n(s.task_hours, "hours"),
            n(s.hours() / net, "fte"),
        );
    }
    println!(
        "{:<34} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6}",
        w.get("cli.staffing.cross_cutting"),
        "",
        "",
        "",
        "",
        "",
        n(e.cross_hours, "hours"),
        n(e.cross_hours / net, "fte"),
    );
    println!(
        "{:<34} {:>10} {:>59} {:>6}",
        w.get("cli.staffing.total_workload"),
        n(e.tickets, "count"),
        "",
        n(e.fte, "fte"),
    );
    println!(
        "{:<34} {:>10} {:>59} {:>6}",
        w.get("cli.staffing.total_queue"),
        "",
        "",
        n(e.fte_queue, "fte"),
    );
    println!(
        "{} {} %",
        w.get("cli.staffing.measured"),
        n(e.measured_share * 100.0, "count")
    );
    for sc in run.scenarios.iter().skip(1) {
        if let Some(y) = sc.years.last() {
            println!(
                "{} {:?} {}: {} {}",
                w.get("cli.staffing.scenario"),
                sc.name,
                y.year,
                n(y.fte, "fte"),
                w.get("cli.staffing.fte")
            );
        }
    }
}
