//! `kennzahl calendar between|due|holidays|show`: the service-hour calendar from the
//! command line, for daily questions and for testing the arithmetic from outside.

use crate::calendar::{self, hms, parse_budget, parse_instant, Budget, Calendar, State};
use crate::cli::{CalendarArgs, CalendarCommand, Format};
use crate::config::Config;
use anyhow::{anyhow, bail, Context, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::process::ExitCode;

fn rfc3339_local(cal: &Calendar, t: DateTime<Utc>) -> String {
    t.with_timezone(&cal.tz())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

pub fn run(a: CalendarArgs) -> Result<ExitCode> {
    let config = match &a.config {
        Some(p) => Config::load(p)?,
        None => Config::builtin(),
    };
    if let Some(s) = &a.site {
        if !config.calendars.sites.contains_key(s) {
            bail!("--site {s:?}: the configuration has no [sites.{s}.calendar]");
        }
    }
    let cal = config.calendars.for_site(a.site.as_deref());
    match a.command {
        CalendarCommand::Between { start, end, fold } => {
            let s = parse_instant(&start, cal.tz(), fold).map_err(|e| anyhow!("START: {e}"))?;
            let e = parse_instant(&end, cal.tz(), fold).map_err(|e| anyhow!("END: {e}"))?;
            cal.check_covered(s).map_err(|m| anyhow!("START: {m}"))?;
            cal.check_covered(e).map_err(|m| anyhow!("END: {m}"))?;
            if e < s {
                eprintln!("warning: END is before START; the business time is 0");
            }
            let secs = cal.between(s, e);
            println!("{secs}\t{}", hms(secs));
        }
        CalendarCommand::Due {
            start,
            duration,
            fold,
        } => {
            let s = parse_instant(&start, cal.tz(), fold).map_err(|e| anyhow!("START: {e}"))?;
            cal.check_covered(s).map_err(|m| anyhow!("START: {m}"))?;
            let budget = parse_budget(&duration).map_err(|e| anyhow!("DURATION: {e}"))?;
            let due = match budget {
                Budget::Seconds(b) => cal.due(s, b),
                Budget::Days(n) => cal.due_days(s, n),
            }
            .ok_or_else(|| {
                anyhow!(
                    "the due instant lies beyond the calendar table (year {})",
                    calendar::TABLE_LAST_YEAR
                )
            })?;
            println!("{}", rfc3339_local(cal, due));
        }
        CalendarCommand::Holidays {
            state,
            year,
            format,
        } => {
            let st: State = match state {
                Some(s) => s.parse().map_err(|e: String| anyhow!("--state: {e}"))?,
                None => cal.spec().state,
            };
            if !(calendar::holidays::FIRST_YEAR..=calendar::holidays::LAST_YEAR).contains(&year) {
                bail!("--year {year}: holidays are computed for 1995 to 2100");
            }
            let mut list = calendar::holidays::public_holidays(st, year);
            if state_is_config(&a.config, st, cal) {
                // Each partial holiday where the version of the calendar in force on its day
                // keeps it (`partial_holidays` may change with `[[calendar.versions]]`).
                let spec = cal.spec();
                for (_, rules) in spec.versions() {
                    list.extend(
                        calendar::holidays::partial_holidays(st, year, &rules.partial)
                            .into_iter()
                            .filter(|(d, _)| std::ptr::eq(spec.on(*d), rules)),
                    );
                }
                list.sort();
            }
            match format {
                Format::Csv => {
                    println!("date,name");
                    for (d, n) in list {
                        println!("{d},{n}");
                    }
                }
                Format::Json => {
                    let v: Vec<_> = list
                        .iter()
                        .map(|(d, n)| serde_json::json!({"date": d.to_string(), "name": n}))
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&v)?);
                }
                Format::Table => {
                    for (d, n) in list {
                        println!("{d}\t{}\t{n}", weekday_de(d));
                    }
                }
            }
        }
        CalendarCommand::Show { month } => {
            let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                .with_context(|| format!("--month {month:?}: write YYYY-MM, e.g. 2026-12"))?;
            let mut d = first;
            let mut total = 0;
            while d.month() == first.month() {
                let (windows, closure) = cal.day_windows(d);
                let secs = cal.open_seconds_days(d, d);
                total += secs;
                let text = if let Some(c) = closure {
                    format!("geschlossen: {}", c.name)
                } else if windows.is_empty() {
                    "geschlossen".to_string()
                } else {
                    windows
                        .iter()
                        .map(|(s, e)| {
                            format!(
                                "{}–{}",
                                s.format("%H:%M"),
                                if e.date() > d {
                                    "24:00".into()
                                } else {
                                    e.format("%H:%M").to_string()
                                }
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                println!("{d}\t{}\t{}\t{text}", weekday_de(d), hms(secs));
                d = d.succ_opt().unwrap();
            }
            println!("total\t\t{}", hms(total));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Partial holidays are listed only for the configured calendar's own state.
fn state_is_config(_cfg: &Option<std::path::PathBuf>, st: State, cal: &Calendar) -> bool {
    cal.spec().state == st
}

fn weekday_de(d: NaiveDate) -> &'static str {
    ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"][d.weekday().num_days_from_monday() as usize]
}
