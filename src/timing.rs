//! Per-stage wall-clock timings for users and for us: where an import, the derived tables,
//! the KPIs and the rendering spend their time. Off unless `--timings` is given or
//! `KENNZAHL_TIMING` is set; then every stage prints one line to stderr when it ends.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

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

/// A stage being timed; prints `timing: <name> <seconds>` when dropped (if enabled).
#[must_use = "the stage is timed until this value is dropped"]
pub struct Stage {
    name: String,
    start: Instant,
}

/// Start timing a stage. Names read as `area: what`, e.g. `import: merge events`.
pub fn stage(name: impl Into<String>) -> Stage {
    Stage {
        name: name.into(),
        start: Instant::now(),
    }
}

impl Stage {
    /// End the stage now (instead of at the end of the scope).
    pub fn done(self) {}
}

impl Drop for Stage {
    fn drop(&mut self) {
        if enabled() {
            eprintln!(
                "timing: {:<44} {:>8.2} s",
                self.name,
                self.start.elapsed().as_secs_f64()
            );
        }
    }
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
