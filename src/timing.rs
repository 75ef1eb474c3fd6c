//! Per-stage wall-clock timings for users and for us: where an import, the derived tables,
//! the KPIs and the rendering spend their time. Off unless `--timings` is given or
//! `KENNZAHL_TIMING` is set; then every stage prints one line to stderr when it ends.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

/// When the command started (`begin`), for the total and the share the stages account for.
static START: OnceLock<Instant> = OnceLock::new();
/// The time of the top-level stages so far, in microseconds.
static TOP: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// How many stages are open on this thread: a stage inside another prints indented and
    /// does not count again in the total.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Note the command's start (before anything else runs).
pub fn begin() {
    let _ = START.set(Instant::now());
}

/// 0 = not decided yet, 1 = off, 2 = on.
static STATE: AtomicU8 = AtomicU8::new(0);

/// Turn the timings on (the `--timings` flag).
pub fn enable() {
    STATE.store(2, Ordering::Relaxed);
}

/// Whether timings are printed: `--timings`, or the environment variable `KENNZAHL_TIMING`.
pub fn enabled() -> bool {
    match STATE.load(Ordering::Relaxed) {
        2 => true,
        1 => false,
        _ => {
            let on = std::env::var_os("KENNZAHL_TIMING").is_some_and(|v| !v.is_empty() && v != "0");
            STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
    }
}

/// Whether per-query detail is wanted as well (`KENNZAHL_TIMING=detail`): every KPI query
/// of every breakdown, which is too much for a normal run.
pub fn detail() -> bool {
    enabled() && std::env::var("KENNZAHL_TIMING").is_ok_and(|v| v == "detail")
}

/// A stage being timed; prints `timing: <name> <seconds>` when dropped (if enabled).
#[must_use = "the stage is timed until this value is dropped"]
pub struct Stage {
    name: String,
    start: Instant,
    depth: usize,
}

/// Start timing a stage. Names read as `area: what`, e.g. `import: merge events`.
pub fn stage(name: impl Into<String>) -> Stage {
    let depth = DEPTH.with(|d| {
        let v = d.get();
        d.set(v + 1);
        v
    });
    Stage {
        name: name.into(),
        start: Instant::now(),
        depth,
    }
}

impl Stage {
    /// End the stage now (instead of at the end of the scope).
    pub fn done(self) {}
}

impl Drop for Stage {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
        let secs = self.start.elapsed().as_secs_f64();
        if self.depth == 0 {
            TOP.fetch_add((secs * 1e6) as u64, Ordering::Relaxed);
        }
        if enabled() {
            let name = format!("{}{}", "  ".repeat(self.depth), self.name);
            eprintln!("timing: {name:<44} {secs:>8.2} s");
        }
    }
}

/// Print the total wall time since `begin` and the share of it the top-level stages account
/// for (the indented lines are parts of the line after them), when timings are on.
pub fn report_total() {
    if !enabled() {
        return;
    }
    let Some(start) = START.get() else { return };
    let total = start.elapsed().as_secs_f64();
    let top = TOP.load(Ordering::Relaxed) as f64 / 1e6;
    eprintln!(
        "timing: {:<44} {:>8.2} s ({:.0} % in the stages above)",
        "total (wall)",
        total,
        if total > 0.0 {
            100.0 * top / total
        } else {
            0.0
        }
    );
}

/// Time a closure as one stage.
pub fn time<T>(name: impl Into<String>, f: impl FnOnce() -> T) -> T {
    let _s = stage(name);
    f()
}

/// Print the process's peak resident memory (Linux: VmHWM), when timings are on.
pub fn report_peak_memory() {
    if !enabled() {
        return;
    }
    if let Ok(s) = std::fs::read_to_string("/proc/self/status") {
        if let Some(l) = s.lines().find(|l| l.starts_with("VmHWM:")) {
            let kb: f64 = l
                .trim_start_matches("VmHWM:")
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .unwrap_or(0.0);
            eprintln!(
                "timing: {:<44} {:>8.2} GB",
                "peak memory (VmHWM)",
                kb / 1024.0 / 1024.0
            );
        }
    }
}
