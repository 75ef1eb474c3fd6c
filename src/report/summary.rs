//! The management summary: headline KPIs with their target light and the change against the
//! previous quarter, and the sentences that say it in words. A change is called a change only
//! when its 95 % interval excludes zero: medians by a percentile bootstrap over the tickets
//! behind them (the KPI's sample query; each replicate's median drawn as order statistics,
//! `stats`), rates by Newcombe's interval for the difference of
//! two proportions, counts by the normal approximation to the difference of two Poisson counts,
//! means by Welch's normal interval. A KPI without a `stat` shows its change without a verdict.

use super::eval::Eval;
use super::model::Headline;
use super::spec;
use crate::kpi::{Dimension, Stat};
use anyhow::{Context, Result};

use crate::stats::Z_95 as Z95;
/// Bootstrap replicates: the interval's end points move by well under the printed precision
/// between seeds at this count (checked on the demo).
const REPS: usize = 2000;

/// The 95 % interval of (this quarter − previous quarter) in the measure's unit
/// (percentage points for percentages).
pub fn change_interval(
    e: &Eval,
    store: &mut super::eval::Store,
    stat: Stat,
    full: &str,
    dim: Dimension,
    key: &str,
    (a, b): (Option<f64>, Option<f64>),
) -> Result<Option<(f64, f64)>> {
    match stat {
        Stat::Count => {
            let (Some(a), Some(b)) = (a, b) else {
                return Ok(None);
            };
            let h = Z95 * (a + b).sqrt();
            Ok(Some((a - b - h, a - b + h)))
        }
        Stat::Proportion | Stat::Median | Stat::Mean => {
            let cur = store.sample(e, full, e.q, dim, key)?;
            let prev = store.sample(e, full, e.q.prev(), dim, key)?;
            Ok(match stat {
                Stat::Proportion => {
                    let x1 = cur.iter().filter(|v| **v > 0.5).count() as u64;
                    let x2 = prev.iter().filter(|v| **v > 0.5).count() as u64;
                    crate::stats::newcombe_diff(x1, cur.len() as u64, x2, prev.len() as u64, Z95)
                        .map(|(lo, hi)| (lo * 100.0, hi * 100.0))
                }
                Stat::Median => {
                    crate::stats::bootstrap_median_diff(&cur, &prev, REPS, 0.95, seed(full))
                        .map(|i| (i.lo, i.hi))
                }
                _ => welch(&cur, &prev),
            })
        }
    }
}

fn seed(full: &str) -> u64 {
    // Stable across runs and platforms: the report must not change when rerun.
    full.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x1000_0000_01b3)
    })
}

fn welch(a: &[f64], b: &[f64]) -> Option<(f64, f64)> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let mv = |x: &[f64]| {
        let m = x.iter().sum::<f64>() / x.len() as f64;
        let v = x.iter().map(|y| (y - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64;
        (m, v)
    };
    let ((ma, va), (mb, vb)) = (mv(a), mv(b));
    let h = Z95 * (va / a.len() as f64 + vb / b.len() as f64).sqrt();
    Some((ma - mb - h, ma - mb + h))
}

/// The per-ticket values behind `kpi.measure` for one quarter, by key (NULLs left out).
pub fn samples(
    e: &Eval,
    full: &str,
    q: crate::quarter::Quarter,
    dim: Dimension,
) -> Result<std::collections::HashMap<String, Vec<f64>>> {
    let (k, m) = full.split_once('.').unwrap_or((full, "value"));
    let kpi = e
        .kpis
        .iter()
        .find(|x| x.meta.name == k)
        .context("unknown KPI")?;
    let mut out = std::collections::HashMap::new();
    let Some(sql) = &kpi.sample_sql else {
        return Ok(out);
    };
    crate::kpi::scope(e.ws, q, dim)?;
    let wrapped = format!("SELECT key, CAST(\"{m}\" AS DOUBLE) FROM ({sql}) WHERE \"{m}\" IS NOT NULL AND key IS NOT NULL");
    let mut st = e.ws.conn.prepare(&wrapped).with_context(|| {
        format!(
            "KPI {k} ({}): the sample query does not return a column {m:?}",
            kpi.origin
        )
    })?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let key: String = r.get(0)?;
        let v: f64 = r.get(1)?;
        out.entry(key).or_insert_with(Vec::new).push(v);
    }
    Ok(out)
}

/// One headline KPI of a summary: this quarter's value `a` against the previous quarter's
/// `b`, with the change, the interval of the change (when the spec asks for one), the trend
/// it supports, and the target with its traffic light.
pub fn headline(
    e: &Eval,
    h: &spec::Headline,
    unit: &str,
    a: Option<f64>,
    b: Option<f64>,
    interval: Option<(f64, f64)>,
) -> Headline {
    let delta_v = match (a, b) {
        (Some(a), Some(b)) => Some(a - b),
        _ => None,
    };
    let significant = interval.map(|(lo, hi)| lo > 0.0 || hi < 0.0);
    let (target, light) = target_and_light(e, h, unit, a);
    Headline {
        note: String::new(),
        kpi: h.kpi.clone(),
        title: match &h.label {
            Some(l) => e.w(l).to_string(),
            None => e.title_of(&h.kpi),
        },
        unit: unit.to_string(),
        value: e.num(a, unit),
        raw: a,
        previous: e.num(b, unit),
        delta: change_text(e, unit, delta_v),
        interval: interval_text(e, unit, interval),
        trend: trend(delta_v, significant, h.better).into(),
        significant,
        target,
        light: light.into(),
        light_label: match light {
            "green" | "amber" | "red" => e.w(&format!("summary.light.{light}")).to_string(),
            _ => String::new(),
        },
    }
}

/// A change `d` of a KPI in `unit` as the reader sees it, with its sign ("+1,2 h", "-3"): a
/// change of a percentage is in percentage points, and a value that rounds to zero carries no
/// sign ("-0,0 h" reads as a change).
fn signed(e: &Eval, unit: &str, d: f64) -> String {
    let (dunit, pp) = change_unit(e, unit);
    let s = e.num(Some(d), dunit);
    let s = if s.chars().filter(|c| c.is_ascii_digit()).all(|c| c == '0') {
        s.trim_start_matches('-').to_string()
    } else {
        s
    };
    let zero = s.chars().filter(|c| c.is_ascii_digit()).all(|c| c == '0');
    let s = if d > 0.0 && !zero { format!("+{s}") } else { s };
    format!("{s}{pp}")
}

/// The unit a change of a KPI in `unit` is shown in, and the suffix naming it: a change of a
/// percentage is in percentage points, anything else in its own unit without a suffix.
fn change_unit<'a>(e: &'a Eval, unit: &'a str) -> (&'a str, &'a str) {
    if unit == "percent" {
        ("percent_points", e.w("summary.percent_points"))
    } else {
        (unit, "")
    }
}

/// The change against the previous quarter as shown: "–" without one, "±0" when it rounds
/// to zero (what the reader sees decides, not the raw difference), else signed.
fn change_text(e: &Eval, unit: &str, delta: Option<f64>) -> String {
    let Some(d) = delta else {
        return "–".into();
    };
    let (dunit, pp) = change_unit(e, unit);
    let shown = e.num(Some(d.abs()), dunit);
    if shown
        .trim_start_matches(['0', ',', '.'])
        .chars()
        .all(|c| !c.is_ascii_digit())
    {
        format!("±{}{pp}", e.num(Some(0.0), dunit))
    } else {
        signed(e, unit, d)
    }
}

/// The interval of the change as text ("+0,2 h bis +1,4 h"), empty without one.
fn interval_text(e: &Eval, unit: &str, interval: Option<(f64, f64)>) -> String {
    interval
        .map(|(lo, hi)| {
            e.wf(
                "summary.interval",
                &[("lo", &signed(e, unit, lo)), ("hi", &signed(e, unit, hi))],
            )
        })
        .unwrap_or_default()
}

/// The trend a change supports: only a change whose interval excludes zero is "better",
/// "worse" (by the KPI's better direction) or "changed"; one whose interval includes zero is
/// "unchanged"; without a change or an interval there is no trend ("none").
fn trend(delta: Option<f64>, significant: Option<bool>, better: spec::Better) -> &'static str {
    match (delta, significant, better) {
        (None, _, _) => "none",
        (Some(_), Some(false), _) => "unchanged",
        (Some(d), Some(true), spec::Better::Higher) => {
            if d > 0.0 {
                "better"
            } else {
                "worse"
            }
        }
        (Some(d), Some(true), spec::Better::Lower) => {
            if d < 0.0 {
                "better"
            } else {
                "worse"
            }
        }
        (Some(_), Some(true), spec::Better::Neither) => "changed",
        (Some(_), None, _) => "none",
    }
}

/// The target as text ("≥ 90 %") and the traffic light of value `a` against it: green when
/// met, amber within the tolerance (10 % of the target unless the spec says otherwise), red
/// beyond; "none" without a target, a value, or a better direction.
fn target_and_light(
    e: &Eval,
    h: &spec::Headline,
    unit: &str,
    a: Option<f64>,
) -> (String, &'static str) {
    match (h.target, a) {
        (Some(t), Some(v)) => {
            let tol = h.tolerance.unwrap_or(0.1);
            let light = match h.better {
                spec::Better::Higher if v >= t => "green",
                spec::Better::Higher if v >= t * (1.0 - tol) => "amber",
                spec::Better::Lower if v <= t => "green",
                spec::Better::Lower if v <= t * (1.0 + tol) => "amber",
                spec::Better::Neither => "none",
                _ => "red",
            };
            let op = match h.better {
                spec::Better::Higher => "≥ ",
                spec::Better::Lower => "≤ ",
                spec::Better::Neither => "",
            };
            (format!("{op}{}", e.num(Some(t), unit)), light)
        }
        (Some(t), None) => (e.num(Some(t), unit), "none"),
        _ => (String::new(), "none"),
    }
}

/// One sentence per headline that has a previous quarter, in the report's language.
pub fn sentences(e: &Eval, hs: &[Headline]) -> Vec<String> {
    let prev = e.q.prev().to_string();
    let mut out = Vec::new();
    for h in hs {
        if h.trend == "none" && h.previous == "–" {
            continue;
        }
        let mut s = e.wf(
            "summary.sentence",
            &[
                ("title", &h.title),
                ("value", &h.value),
                ("previous", &h.previous),
                ("quarter", &prev),
            ],
        );
        if !h.interval.is_empty() {
            s.push_str(&e.wf(
                "summary.sentence_interval",
                &[("delta", &h.delta), ("interval", &h.interval)],
            ));
        }
        let verdict = match h.trend.as_str() {
            "better" => e.w("summary.a_real_improvement"),
            "worse" => e.w("summary.a_real_deterioration"),
            "changed" => e.w("summary.a_real_change"),
            "unchanged" => e.w("summary.within_chance_variation_not_a"),
            _ => "",
        };
        if !verdict.is_empty() {
            s.push(' ');
            s.push_str(verdict);
        }
        match h.light.as_str() {
            "green" => s.push_str(&e.wf("summary.target_met", &[("target", &h.target)])),
            "amber" => {
                s.push_str(&e.wf("summary.target_narrowly_missed", &[("target", &h.target)]))
            }
            "red" => s.push_str(&e.wf("summary.target_missed", &[("target", &h.target)])),
            _ => {}
        }
        s.push('.');
        out.push(s);
    }
    out
}
