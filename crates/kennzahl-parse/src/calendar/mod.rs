//! The business calendar: service hours, public, partial and school holidays, extra
//! closed days, their versions in time (each local day by the rules in force on it), and
//! the arithmetic of business time on UTC instants.
//!
//! A [`Calendar`] is compiled once from a [`CalendarSpec`] into a sorted table of open
//! intervals (UTC seconds) with a cumulative sum of open seconds, plus an index from
//! UTC day to the first interval of that day. `between` is then two O(1) look-ups and
//! `due` one binary search: both run for every ticket segment of every report.

pub mod holidays;
pub mod ics;
pub mod school;
pub mod spec;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

pub use holidays::{PartialHoliday, State};
pub use spec::{CalendarConfig, CalendarSpec, CalendarVersion, Window};

/// Local dates the open-interval table covers. Instants before the first or after the
/// last covered day count as closed.
pub const TABLE_FIRST_YEAR: i32 = holidays::FIRST_YEAR;
pub const TABLE_LAST_YEAR: i32 = holidays::LAST_YEAR;

const DAY: i64 = 86_400;

/// Why a day is closed (holiday name, school break, configured closure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub name: String,
    pub kind: ClosureKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosureKind {
    PublicHoliday,
    PartialHoliday,
    SchoolHoliday,
    Configured,
}

/// A compiled calendar. Cheap to share (`Arc`) between threads and DuckDB callbacks.
#[derive(Debug, Clone)]
pub struct Calendar {
    spec: CalendarSpec,
    closed: BTreeMap<NaiveDate, Closure>,
    starts: Vec<i64>,
    ends: Vec<i64>,
    /// Open seconds before interval i.
    cum: Vec<i64>,
    /// Open seconds up to the end of interval i (`cum[i] + ends[i] - starts[i]`).
    cum_end: Vec<i64>,
    /// UTC second of day 0 of `day_index`.
    base: i64,
    /// day_index[d] = number of intervals starting before `base + d * DAY`.
    day_index: Vec<u32>,
    /// The instants the table covers: local midnight of its first day up to (excluding)
    /// local midnight after its last day, as UTC seconds.
    covered: (i64, i64),
}

/// Resolve a local wall-clock time to an instant. In a gap (spring forward) the instant of
/// the switch is taken; in a fold (fall back) `prefer_later` picks the second occurrence.
fn local_to_utc(tz: &Tz, ndt: NaiveDateTime, prefer_later: bool) -> i64 {
    match tz.from_local_datetime(&ndt) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(a, b) => {
            if prefer_later {
                b.timestamp().max(a.timestamp())
            } else {
                a.timestamp().min(b.timestamp())
            }
        }
        LocalResult::None => {
            // Walk forward minute by minute to the first valid local time (gaps are < 3h).
            let mut probe = ndt;
            for _ in 0..240 {
                probe += Duration::minutes(1);
                if let LocalResult::Single(t) | LocalResult::Ambiguous(t, _) =
                    tz.from_local_datetime(&probe)
                {
                    // Gaps start on a whole minute, so the first valid minute is the switch instant.
                    return t.timestamp();
                }
            }
            ndt.and_utc().timestamp()
        }
    }
}

/// Local midnight at the start of `day` in `tz`, as UTC seconds (where midnight falls into
/// a switch to summer time, the switch instant): the instant a `valid_from` date begins.
pub fn local_midnight(tz: &Tz, day: NaiveDate) -> i64 {
    local_to_utc(tz, day.and_time(chrono::NaiveTime::MIN), false)
}

impl Calendar {
    /// Compile a spec into the interval table (local years 1995–2100).
    pub fn build(spec: CalendarSpec) -> Calendar {
        let closed = spec.closed_days(TABLE_FIRST_YEAR, TABLE_LAST_YEAR);
        let tz = spec.tz;
        let first = NaiveDate::from_ymd_opt(TABLE_FIRST_YEAR, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(TABLE_LAST_YEAR, 12, 31).unwrap();
        let mut starts = Vec::with_capacity(60_000);
        let mut ends = Vec::with_capacity(60_000);
        let mut day = first;
        // The versions of the rules (`[[calendar.versions]]`): each day by the one in force.
        let versions = spec.versions();
        let mut v = 0usize;
        while day <= last {
            while versions
                .get(v + 1)
                .is_some_and(|(from, _)| from.is_some_and(|f| f <= day))
            {
                v += 1;
            }
            let rules = versions[v].1;
            if !closed.contains_key(&day) {
                let wd = day.weekday().num_days_from_monday() as usize;
                for w in &rules.weekly[wd] {
                    let s = local_to_utc(
                        &tz,
                        day.and_time(chrono::NaiveTime::MIN)
                            + Duration::seconds(i64::from(w.start)),
                        false,
                    );
                    let e = local_to_utc(
                        &tz,
                        day.and_time(chrono::NaiveTime::MIN) + Duration::seconds(i64::from(w.end)),
                        true,
                    );
                    if e > s {
                        // Windows touching across midnight are merged so that an interval is maximal.
                        if ends.last() == Some(&s) {
                            *ends.last_mut().unwrap() = e;
                        } else {
                            starts.push(s);
                            ends.push(e);
                        }
                    }
                }
            }
            day = day.succ_opt().unwrap();
        }
        let mut cum = Vec::with_capacity(starts.len());
        let mut cum_end = Vec::with_capacity(starts.len());
        let mut acc = 0i64;
        for (s, e) in starts.iter().zip(&ends) {
            cum.push(acc);
            acc += e - s;
            cum_end.push(acc);
        }
        // UTC midnight two days before the first local day covers every zone offset.
        let base = first.and_time(chrono::NaiveTime::MIN).and_utc().timestamp() - 2 * DAY;
        let days = ((last.and_time(chrono::NaiveTime::MIN).and_utc().timestamp() - base) / DAY + 4)
            as usize;
        let mut day_index = Vec::with_capacity(days + 1);
        let mut k = 0usize;
        for d in 0..=days {
            let t = base + d as i64 * DAY;
            while k < starts.len() && starts[k] < t {
                k += 1;
            }
            day_index.push(k as u32);
        }
        drop(versions);
        let covered = (
            local_to_utc(&tz, first.and_time(chrono::NaiveTime::MIN), false),
            local_to_utc(
                &tz,
                (last + Duration::days(1)).and_time(chrono::NaiveTime::MIN),
                false,
            ),
        );
        Calendar {
            spec,
            closed,
            starts,
            ends,
            cum,
            cum_end,
            base,
            day_index,
            covered,
        }
    }

    pub fn spec(&self) -> &CalendarSpec {
        &self.spec
    }

    pub fn tz(&self) -> Tz {
        self.spec.tz
    }

    /// A digest of everything the arithmetic depends on (the zone and every open interval),
    /// so results stored with this calendar can tell that it changed (derived tables).
    pub fn digest(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(self.spec.tz.name().as_bytes());
        for (s, e) in self.starts.iter().zip(&self.ends) {
            h.update(s.to_le_bytes());
            h.update(e.to_le_bytes());
        }
        h.finalize().into()
    }

    /// Number of open intervals in the table (for benchmarks and diagnostics).
    pub fn interval_count(&self) -> usize {
        self.starts.len()
    }

    /// Index of the last interval starting at or before `t`, plus one (0 = none).
    #[inline]
    fn upto(&self, t: i64) -> usize {
        let d = (t - self.base).div_euclid(DAY);
        if d < 0 {
            return 0;
        }
        let d = d as usize;
        if d + 1 >= self.day_index.len() {
            return self.starts.len();
        }
        let lo = self.day_index[d] as usize;
        let hi = self.day_index[d + 1] as usize;
        let mut k = lo;
        while k < hi && self.starts[k] <= t {
            k += 1;
        }
        k
    }

    /// Open seconds from the start of the table up to `t`.
    #[inline]
    pub fn cumulative(&self, t: i64) -> i64 {
        let k = self.upto(t);
        if k == 0 {
            return 0;
        }
        let i = k - 1;
        self.cum[i] + t.min(self.ends[i]) - self.starts[i]
    }

    /// Business seconds between two UTC instants (seconds since the epoch): the real
    /// elapsed seconds inside open windows. `end <= start` gives 0.
    #[inline]
    pub fn between_secs(&self, start: i64, end: i64) -> i64 {
        if end <= start {
            return 0;
        }
        self.cumulative(end) - self.cumulative(start)
    }

    pub fn between(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
        self.between_secs(start.timestamp(), end.timestamp())
    }

    /// Whether the table covers the instant `t` (UTC seconds). Outside it the calendar knows
    /// no opening hours, so business time there is unknown, never zero.
    #[inline]
    pub fn covers(&self, t: i64) -> bool {
        t >= self.covered.0 && t < self.covered.1
    }

    /// The first covered instant and the first one after the table, as UTC seconds.
    pub fn covered_range(&self) -> (i64, i64) {
        self.covered
    }

    /// An error naming `t` when the table does not cover it (1995-01-01 to 2100-12-31,
    /// local time): exports carry placeholder dates such as 1970-01-01 or 9999-12-31.
    pub fn check_covered(&self, t: DateTime<Utc>) -> Result<(), String> {
        if self.covers(t.timestamp()) {
            Ok(())
        } else {
            Err(format!(
                "{} lies outside the calendar table ({TABLE_FIRST_YEAR}-01-01 to {TABLE_LAST_YEAR}-12-31, local time): no business time can be computed for it (a placeholder date?)",
                t.to_rfc3339()
            ))
        }
    }

    /// The instant at which `budget` business seconds counted from `start` are used up.
    /// A budget ending exactly at a closing time yields that closing time. `None` when
    /// the budget runs past the end of the table (year 2100).
    #[inline]
    pub fn due_secs(&self, start: i64, budget: i64) -> Option<i64> {
        if budget <= 0 {
            return Some(start);
        }
        let target = self.cumulative(start) + budget;
        let k = self.cum_end.partition_point(|&c| c < target);
        if k >= self.starts.len() {
            return None;
        }
        Some((self.starts[k] + (target - self.cum[k])).max(start))
    }

    pub fn due(&self, start: DateTime<Utc>, budget_secs: i64) -> Option<DateTime<Utc>> {
        self.due_secs(start.timestamp(), budget_secs)
            .and_then(|s| DateTime::from_timestamp(s, 0))
    }

    /// `n` service days after `start`: the same local clock time on the n-th following
    /// open day, clipped to that day's open hours (before opening → opening, after
    /// closing → closing). A start in closed time counts from the next opening.
    pub fn due_days(&self, start: DateTime<Utc>, n: u32) -> Option<DateTime<Utc>> {
        let s = self.next_open(start.timestamp())?;
        let tz = self.spec.tz;
        let local = DateTime::from_timestamp(s, 0)?
            .with_timezone(&tz)
            .naive_local();
        let mut day = local.date();
        let mut left = n;
        while left > 0 {
            day = day.succ_opt()?;
            if day.year() > TABLE_LAST_YEAR {
                return None;
            }
            if self.is_open_day(day) {
                left -= 1;
            }
        }
        let want = local_to_utc(&tz, day.and_time(local.time()), false);
        let (o, c) = self.day_bounds(day)?;
        DateTime::from_timestamp(want.clamp(o, c), 0)
    }

    /// First and last open instant of a local day, if it opens at all.
    fn day_bounds(&self, day: NaiveDate) -> Option<(i64, i64)> {
        let tz = self.spec.tz;
        let from = local_to_utc(&tz, day.and_time(chrono::NaiveTime::MIN), false);
        let to = local_to_utc(&tz, day.succ_opt()?.and_time(chrono::NaiveTime::MIN), false);
        let k0 = self.starts.partition_point(|&x| x < from);
        let k1 = self.starts.partition_point(|&x| x < to);
        if k0 == k1 {
            return None;
        }
        Some((self.starts[k0], self.ends[k1 - 1]))
    }

    fn is_open_day(&self, day: NaiveDate) -> bool {
        !self.closed.contains_key(&day)
            && !self.spec.on(day).weekly[day.weekday().num_days_from_monday() as usize].is_empty()
    }

    /// Whether the service desk is open at `t`.
    pub fn is_open(&self, t: i64) -> bool {
        let k = self.upto(t);
        k > 0 && t < self.ends[k - 1]
    }

    /// The first instant at or after `t` at which the desk is open.
    pub fn next_open(&self, t: i64) -> Option<i64> {
        if self.is_open(t) {
            return Some(t);
        }
        let k = self.upto(t);
        self.starts.get(k).copied()
    }

    /// Open seconds of the local days `from..=to`.
    pub fn open_seconds_days(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let tz = self.spec.tz;
        let a = local_to_utc(&tz, from.and_time(chrono::NaiveTime::MIN), false);
        let b = match to.succ_opt() {
            Some(n) => local_to_utc(&tz, n.and_time(chrono::NaiveTime::MIN), false),
            None => return 0,
        };
        self.between_secs(a, b)
    }

    /// The open windows of a local day as local (start, end) times, and why it is closed if it is.
    pub fn day_windows(
        &self,
        day: NaiveDate,
    ) -> (Vec<(NaiveDateTime, NaiveDateTime)>, Option<&Closure>) {
        if let Some(c) = self.closed.get(&day) {
            return (Vec::new(), Some(c));
        }
        let tz = self.spec.tz;
        let from = local_to_utc(&tz, day.and_time(chrono::NaiveTime::MIN), false);
        let to = match day.succ_opt() {
            Some(n) => local_to_utc(&tz, n.and_time(chrono::NaiveTime::MIN), false),
            None => return (Vec::new(), None),
        };
        let k0 = self.starts.partition_point(|&x| x < from);
        let mut out = Vec::new();
        let mut k = k0;
        while k < self.starts.len() && self.starts[k] < to {
            let s = DateTime::from_timestamp(self.starts[k], 0)
                .unwrap()
                .with_timezone(&tz)
                .naive_local();
            let e = DateTime::from_timestamp(self.ends[k].min(to), 0)
                .unwrap()
                .with_timezone(&tz)
                .naive_local();
            out.push((s, e));
            k += 1;
        }
        (out, None)
    }

    /// Every open window of the table as (local day, UTC start, UTC end) in seconds, split
    /// at local midnight so that each window lies within its day (a calendar open around
    /// the clock has one window a day). In order; the days are those of the table.
    pub fn local_day_windows(&self) -> Vec<(NaiveDate, i64, i64)> {
        let tz = self.spec.tz;
        let midnight = |d: NaiveDate| local_to_utc(&tz, d.and_time(chrono::NaiveTime::MIN), false);
        let mut out = Vec::with_capacity(self.starts.len() + 16);
        let mut day = NaiveDate::from_ymd_opt(TABLE_FIRST_YEAR, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(TABLE_LAST_YEAR, 12, 31).unwrap();
        let mut k = 0usize;
        let mut from = midnight(day);
        while day <= last {
            let next = day.succ_opt().unwrap();
            let to = midnight(next);
            // Skip intervals that end before this day; an interval may run into later days.
            while k < self.starts.len() && self.ends[k] <= from {
                k += 1;
            }
            let mut j = k;
            while j < self.starts.len() && self.starts[j] < to {
                let (s, e) = (self.starts[j].max(from), self.ends[j].min(to));
                if e > s {
                    out.push((day, s, e));
                }
                j += 1;
            }
            day = next;
            from = to;
        }
        out
    }

    /// The UTC instants (seconds) of local midnight on 1 January of `year` and of the next
    /// year: the bounds of the calendar year in this calendar's zone.
    pub fn year_bounds(&self, year: i32) -> Option<(i64, i64)> {
        let tz = self.spec.tz;
        let jan1 = |y| NaiveDate::from_ymd_opt(y, 1, 1).map(|d| d.and_time(chrono::NaiveTime::MIN));
        Some((
            local_to_utc(&tz, jan1(year)?, false),
            local_to_utc(&tz, jan1(year + 1)?, false),
        ))
    }

    /// Why a local day is closed, if it is closed by a holiday or closure.
    pub fn closure(&self, day: NaiveDate) -> Option<&Closure> {
        self.closed.get(&day)
    }
}

/// Parse a user-written instant: RFC 3339 with offset, or a local time without offset
/// (`2026-03-29 02:30`, `2026-03-29T02:30:00`, `2015-02-26 16:59:59.700`) in the calendar's
/// zone. A nonexistent or
/// ambiguous local time is an error unless `fold` says which to take.
pub fn parse_instant(s: &str, tz: Tz, fold: Option<Fold>) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    // Fractional seconds as exports write them (`16:59:59.700`, read by the import too).
    // Business time counts whole seconds, as the KPIs do: the instant is floored to its
    // second by `between`/`due`.
    let formats = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    let ndt = formats
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| d.and_time(chrono::NaiveTime::MIN)))
        .ok_or_else(|| {
            format!("cannot read {s:?} as a time: use RFC 3339 (2026-03-02T08:00:00+01:00) or a local time (2026-03-02 08:00)")
        })?;
    match tz.from_local_datetime(&ndt) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => match fold {
            Some(Fold::Earlier) => Ok(a.with_timezone(&Utc)),
            Some(Fold::Later) => Ok(b.with_timezone(&Utc)),
            None => Err(format!(
                "{s:?} occurs twice in {tz} (clocks go back): add --fold earlier or --fold later, or give an offset"
            )),
        },
        LocalResult::None => match fold {
            Some(_) => Ok(DateTime::from_timestamp(local_to_utc(&tz, ndt, false), 0).unwrap()),
            None => Err(format!(
                "{s:?} does not exist in {tz} (clocks go forward): give an offset, or --fold earlier|later to take the switch instant"
            )),
        },
    }
}

/// Which occurrence of an ambiguous local time to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Fold {
    Earlier,
    Later,
}

/// Format seconds as h:mm:ss (hours not wrapped at 24).
pub fn hms(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.abs();
    format!("{sign}{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

/// Parse a business duration: `4h`, `90m`, `30s`, `1h30m`, `2d` (service days) or a bare
/// number of hours. Returns seconds or service days.
pub fn parse_budget(s: &str) -> Result<Budget, String> {
    let t = s.trim();
    if let Some(d) = t.strip_suffix('d') {
        return d
            .trim()
            .parse::<u32>()
            .map(Budget::Days)
            .map_err(|_| format!("cannot read {s:?} as service days: write e.g. 2d"));
    }
    if let Ok(h) = t.parse::<f64>() {
        if h >= 0.0 && h.is_finite() {
            return Ok(Budget::Seconds((h * 3600.0).round() as i64));
        }
    }
    let mut total = 0i64;
    let mut num = String::new();
    let mut seen = false;
    for ch in t.chars() {
        if ch.is_ascii_digit() || ch == '.' {
            num.push(ch);
            continue;
        }
        let mult = match ch {
            'h' => 3600.0,
            'm' => 60.0,
            's' => 1.0,
            _ => {
                return Err(format!(
                    "cannot read {s:?} as a duration: write e.g. 4h, 90m, 1h30m or 2d"
                ))
            }
        };
        let n: f64 = num.parse().map_err(|_| {
            format!("cannot read {s:?} as a duration: write e.g. 4h, 90m, 1h30m or 2d")
        })?;
        total += (n * mult).round() as i64;
        num.clear();
        seen = true;
    }
    if !num.is_empty() || !seen {
        return Err(format!(
            "cannot read {s:?} as a duration: write e.g. 4h, 90m, 1h30m or 2d"
        ));
    }
    Ok(Budget::Seconds(total))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    Seconds(i64),
    Days(u32),
}
