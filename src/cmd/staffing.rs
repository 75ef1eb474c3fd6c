//! `kennzahl staffing [--from Q] [--to Q]`: print the staff need per IT service and write the
//! staffing report (staffing-<from>_<to>/).

use crate::cli::StaffingArgs;
use crate::report::{fmt_num, service_label};
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
    print_table(&run, &lang);
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

fn print_table(run: &crate::staffing::Run, lang: &str) {
    let de = lang == "de";
    let e = &run.est;
    let net = run.cfg.net_hours_per_fte;
    let n = |v: f64, unit: &str| fmt_num(Some(v), unit, lang);
    println!(
        "{:<34} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6}",
        if de { "IT-Service" } else { "IT service" },
        if de { "Tickets/J" } else { "tickets/y" },
        "L1 h",
        "L2 h",
        "L3 h",
        if de { "Fahrt h" } else { "travel h" },
        if de { "sonst h" } else { "tasks h" },
        if de { "VZÄ" } else { "FTE" },
    );
    for s in &e.services {
        println!(
            "{:<34} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6}",
            service_label(&s.service, de),
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
        if de {
            "Querschnitt Sicherheit/Datenschutz"
        } else {
            "cross-cutting security/privacy"
        },
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
        if de {
            "Gesamt (Arbeitslast)"
        } else {
            "total (workload)"
        },
        n(e.tickets, "count"),
        "",
        n(e.fte, "fte"),
    );
    println!(
        "{:<34} {:>10} {:>59} {:>6}",
        if de {
            "Gesamt (1st Level nach Erlang C)"
        } else {
            "total (first level by Erlang C)"
        },
        "",
        "",
        n(e.fte_queue, "fte"),
    );
    println!(
        "{} {} %",
        if de {
            "Ticketaufwand gemessen:"
        } else {
            "ticket effort measured:"
        },
        n(e.measured_share * 100.0, "count")
    );
    for sc in run.scenarios.iter().skip(1) {
        if let Some(y) = sc.years.last() {
            println!(
                "{} {:?} {}: {} {}",
                if de { "Szenario" } else { "scenario" },
                sc.name,
                y.year,
                n(y.fte, "fte"),
                if de { "VZÄ" } else { "FTE" }
            );
        }
    }
}
