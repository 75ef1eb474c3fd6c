//! Criterion benchmark of the calendar arithmetic: `between` and `due` on instants spread
//! over two years (2025–2026) of the model municipality's calendar. Target: at least
//! 10 million evaluations per second per core (results in benches/README.md).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use kennzahl::calendar::{Calendar, CalendarSpec};
use std::hint::black_box;

fn pairs(n: usize) -> Vec<(i64, i64)> {
    // A fixed linear congruential sequence: deterministic and cheap.
    let start = 1_735_689_600i64; // 2025-01-01T00:00:00Z
    let span = 2 * 365 * 86_400i64;
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 17) as i64
    };
    (0..n)
        .map(|_| {
            let a = start + next().rem_euclid(span);
            let b = a + next().rem_euclid(30 * 86_400);
            (a, b)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let cal = Calendar::build(CalendarSpec::default());
    let input = pairs(10_000);
    let mut g = c.benchmark_group("calendar");
    g.throughput(Throughput::Elements(input.len() as u64));
    g.bench_function("between", |b| {
        b.iter(|| {
            let mut s = 0i64;
            for (a, e) in &input {
                s += cal.between_secs(black_box(*a), black_box(*e));
            }
            s
        })
    });
    let budgets: Vec<(i64, i64)> = input.iter().map(|(a, e)| (*a, (e - a) / 8)).collect();
    g.bench_function("due", |b| {
        b.iter(|| {
            let mut s = 0i64;
            for (a, d) in &budgets {
                s += cal.due_secs(black_box(*a), black_box(*d)).unwrap_or(0);
            }
            s
        })
    });
    g.bench_function("build_calendar_1995_2100", |b| {
        b.iter_batched(
            CalendarSpec::default,
            Calendar::build,
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // criterion's own plots need system fonts that plotters' embedded-font mode does not load.
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
