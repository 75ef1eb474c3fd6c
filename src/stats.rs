//! Statistics for the quarterly report's judgements: confidence intervals that decide whether
//! a change against the previous quarter is called a change, and the u-chart that flags
//! schools whose weekly ticket rate leaves its control limits. Pure Rust on slices the report
//! has already read from DuckDB; no SQL here.
//!
//! Why these methods:
//!
//! * **Rates** (shares of tickets: first-contact resolution, SLA met, reopened …) use the
//!   Wilson score interval for one proportion and Newcombe's hybrid score interval (method 10
//!   in Newcombe 1998, "Interval estimation for the difference between independent
//!   proportions: comparison of eleven methods", Stat. Med. 17:873–890) for the difference of
//!   two. Both are closed formulas, stay inside [0, 1] and [−1, 1], behave at 0 and 100 %
//!   (where the textbook Wald interval collapses to a point), and Newcombe found coverage close
//!   to nominal for small samples such as one school's quarter.
//! * **Durations** (response and resolution times in business hours) are skewed, so the report
//!   prints medians; a median has no simple standard error, hence the percentile bootstrap:
//!   each quarter's sample is resampled independently with replacement and the interval is
//!   read off the distribution of the resampled difference of medians. The generator is a
//!   seeded ChaCha8, so a report is reproducible to the digit. Medians and quantiles use
//!   DuckDB's `quantile_cont` definition, so the figure printed beside the interval is the one
//!   the SQL computed. A replicate's median is drawn without drawing the resample: a
//!   resample of n values is F⁻¹(U₁) … F⁻¹(Uₙ) for n uniforms Uᵢ and the sample's quantile
//!   function F⁻¹, which is monotone, so its middle order statistics are F⁻¹ of the uniforms'
//!   middle order statistics, U₍ₘ₎ ~ Beta(m, n−m+1) and U₍ₘ₊₁₎ = U₍ₘ₎ + (1−U₍ₘ₎)·(1 − V^{1/(n−m)})
//!   for uniform V. That is the bootstrap distribution of the median exactly (not an
//!   approximation), at O(1) per replicate after one sort instead of O(n): a million tickets
//!   cost the sort, not 2,000 resamples of them (a test compares it with resampling).
//! * **Control charts**: tickets are counts over an exposure (devices) that differs between
//!   schools and weeks, which is the u-chart's case (Montgomery, *Introduction to Statistical
//!   Quality Control*, control charts for nonconformities): limits ū ± 3·√(ū/nᵢ) per
//!   subgroup. The exposure unit is 100 devices per week, so a rate is tickets per 100
//!   devices and week.
//!
//! A difference counts as a change only when its interval excludes 0 ([`significant`],
//! [`Change`]).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The standard normal quantile for a two-sided 95 % interval, Φ⁻¹(0.975).
pub const Z_95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for the proportion `successes / n` with normal quantile `z`
/// (e.g. [`Z_95`]), as `(lower, upper)`:
///
/// `(x + z²/2 ± z·√(x(n−x)/n + z²/4)) / (n + z²)`
///
/// The bounds are exactly 0 when `successes == 0` and exactly 1 when `successes == n`.
/// `None` when `n == 0`, `successes > n`, or `z` is negative or not finite.
pub fn wilson(successes: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 || successes > n || !z.is_finite() || z < 0.0 {
        return None;
    }
    let (x, nf) = (successes as f64, n as f64);
    let z2 = z * z;
    let denom = nf + z2;
    let centre = (x + z2 / 2.0) / denom;
    let half = z * (x * (nf - x) / nf + z2 / 4.0).sqrt() / denom;
    let lo = if successes == 0 { 0.0 } else { centre - half };
    let hi = if successes == n { 1.0 } else { centre + half };
    Some((lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0)))
}

/// Newcombe's hybrid score interval (method 10, Newcombe 1998) for the difference of two
/// independent proportions p₁ − p₂ = `x1/n1 − x2/n2`, from the Wilson intervals
/// (l₁, u₁) and (l₂, u₂) of each:
///
/// `(d − √((p₁−l₁)² + (u₂−p₂)²),  d + √((u₁−p₁)² + (p₂−l₂)²))`, d = p₁ − p₂.
///
/// Lies within [−1, 1] and contains d. `None` when either Wilson interval is `None`.
pub fn newcombe_diff(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> Option<(f64, f64)> {
    let (l1, u1) = wilson(x1, n1, z)?;
    let (l2, u2) = wilson(x2, n2, z)?;
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let d = p1 - p2;
    let lo = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let hi = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    Some((lo.clamp(-1.0, 1.0), hi.clamp(-1.0, 1.0)))
}

/// The continuous quantile `q` of `xs` as DuckDB's `quantile_cont(x, q)` computes it: the
/// position (n−1)·q in the sorted values, linearly interpolated between its two neighbours
/// as `lo·(1−d) + hi·d` (DuckDB's own formula, so results agree to the last bit).
///
/// `None` when `xs` is empty or `q` is outside [0, 1] (or NaN). Values are ordered by
/// [`f64::total_cmp`]; callers pass finite values (as SQL durations are). O(n): copies `xs`
/// and selects, no full sort.
pub fn quantile_cont(xs: &[f64], q: f64) -> Option<f64> {
    if xs.is_empty() || !(0.0..=1.0).contains(&q) {
        return None;
    }
    Some(quantile_in_place(&mut xs.to_vec(), q))
}

/// The median as DuckDB's `quantile_cont(x, 0.5)` (and `median(x)`): the middle value, or the
/// mean of the two middle values for an even count. `None` for an empty slice.
pub fn median(xs: &[f64]) -> Option<f64> {
    quantile_cont(xs, 0.5)
}

/// [`quantile_cont`] on a non-empty buffer it may reorder; `q` in [0, 1].
fn quantile_in_place(v: &mut [f64], q: f64) -> f64 {
    debug_assert!(!v.is_empty() && (0.0..=1.0).contains(&q));
    let rn = (v.len() - 1) as f64 * q;
    let frn = rn.floor();
    let (k, d) = (frn as usize, rn - frn);
    let (_, &mut lo, above) = v.select_nth_unstable_by(k, f64::total_cmp);
    if d == 0.0 {
        return lo;
    }
    // The next order statistic is the smallest value above position k.
    let hi = above
        .iter()
        .copied()
        .min_by(f64::total_cmp)
        .expect("d > 0 implies a value above position k");
    lo * (1.0 - d) + hi * d
}

/// A confidence interval `[lo, hi]` around a point `estimate`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// The statistic on the observed samples (the figure the report prints).
    pub estimate: f64,
    pub lo: f64,
    pub hi: f64,
}

impl Interval {
    /// Whether `x` lies in the closed interval.
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// Whether the interval excludes 0; see [`significant`].
    pub fn significant(&self) -> bool {
        significant(self.lo, self.hi)
    }

    /// The [`Change`] this interval for a difference supports.
    pub fn change(&self) -> Change {
        Change::classify(self.lo, self.hi)
    }
}

/// True when the interval `[lo, hi]` for a difference excludes 0, i.e. the change is
/// statistically distinguishable at the interval's level. An interval touching 0, or with a
/// NaN bound, is not significant.
pub fn significant(lo: f64, hi: f64) -> bool {
    lo > 0.0 || hi < 0.0
}

/// How the report words a difference (current − previous) given its interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The whole interval lies above 0.
    Increase,
    /// The whole interval lies below 0.
    Decrease,
    /// The interval contains 0: no change is claimed.
    NotDistinguishable,
}

impl Change {
    /// Classify the interval `[lo, hi]` of a difference.
    pub fn classify(lo: f64, hi: f64) -> Change {
        if lo > 0.0 {
            Change::Increase
        } else if hi < 0.0 {
            Change::Decrease
        } else {
            Change::NotDistinguishable
        }
    }
}

/// Checks shared by the bootstrap functions.
fn bootstrap_args_ok(reps: usize, level: f64) -> bool {
    reps > 0 && level > 0.0 && level < 1.0
}

/// An index uniform in `0..n` (n > 0), drawn as `u32` when it fits so that the sequence does
/// not depend on the platform's `usize` (resampling, the tests' reference).
#[cfg(test)]
fn draw(rng: &mut ChaCha8Rng, n: usize) -> usize {
    match u32::try_from(n) {
        Ok(n) => rng.random_range(0..n) as usize,
        Err(_) => rng.random_range(0..n as u64) as usize,
    }
}

/// The median of a resample (with replacement) of `xs`, drawn into `buf`: the reference
/// the order-statistic draw is tested against.
#[cfg(test)]
fn resampled_median(xs: &[f64], rng: &mut ChaCha8Rng, buf: &mut Vec<f64>) -> f64 {
    buf.clear();
    buf.extend((0..xs.len()).map(|_| xs[draw(rng, xs.len())]));
    quantile_in_place(buf, 0.5)
}

/// A uniform draw in (0, 1), never 0 (53 random bits).
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    loop {
        let u = (rng.random::<u64>() >> 11) as f64 / (1u64 << 53) as f64;
        if u > 0.0 {
            return u;
        }
    }
}

/// A standard normal draw (Box–Muller; one of the pair).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let (u, v) = (unit(rng), unit(rng));
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// A Gamma(shape, 1) draw for shape ≥ 1 (Marsaglia and Tsang 2000, "A simple method for
/// generating gamma variables", ACM TOMS 26:363–372).
fn gamma(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u = unit(rng);
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// A Beta(a, b) draw for a, b ≥ 1.
fn beta(rng: &mut ChaCha8Rng, a: f64, b: f64) -> f64 {
    let x = gamma(rng, a);
    let y = gamma(rng, b);
    x / (x + y)
}

/// The sample's quantile function F⁻¹(u) = x₍⌈n·u⌉₎ on sorted values.
fn inverse(sorted: &[f64], u: f64) -> f64 {
    let n = sorted.len();
    let k = ((u * n as f64).ceil() as usize).clamp(1, n);
    sorted[k - 1]
}

/// The median (`quantile_cont` 0.5) of one bootstrap resample of `sorted`, drawn through
/// the uniforms' middle order statistics (module doc).
fn bootstrap_median_draw(sorted: &[f64], rng: &mut ChaCha8Rng) -> f64 {
    let n = sorted.len();
    if n == 1 {
        return sorted[0];
    }
    let m = n.div_ceil(2);
    let um = beta(rng, m as f64, (n - m + 1) as f64);
    if n % 2 == 1 {
        return inverse(sorted, um);
    }
    // The next order statistic: the least of the n − m uniforms above U₍ₘ₎.
    let next = um + (1.0 - um) * (1.0 - unit(rng).powf(1.0 / (n - m) as f64));
    (inverse(sorted, um) + inverse(sorted, next)) / 2.0
}

fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// The percentile interval at `level` of the bootstrap replicates `stats`.
fn percentile_interval(estimate: f64, stats: &mut [f64], level: f64) -> Interval {
    let alpha = (1.0 - level) / 2.0;
    Interval {
        estimate,
        lo: quantile_in_place(stats, alpha),
        hi: quantile_in_place(stats, 1.0 - alpha),
    }
}

/// Percentile bootstrap interval at `level` (e.g. 0.95) for `median(xs)`, from `reps`
/// resamples with replacement, drawn by a ChaCha8 generator seeded with `seed` (same
/// arguments, same interval). The percentiles are read with [`quantile_cont`].
///
/// `None` when `xs` is empty, `reps` is 0 or `level` is not in (0, 1).
pub fn bootstrap_median(xs: &[f64], reps: usize, level: f64, seed: u64) -> Option<Interval> {
    if xs.is_empty() || !bootstrap_args_ok(reps, level) {
        return None;
    }
    let estimate = median(xs)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let xs = sorted(xs);
    let mut stats: Vec<f64> = (0..reps)
        .map(|_| bootstrap_median_draw(&xs, &mut rng))
        .collect();
    Some(percentile_interval(estimate, &mut stats, level))
}

/// Percentile bootstrap interval at `level` for `median(cur) − median(prev)`: each of the
/// `reps` replicates resamples `cur` and then `prev` independently with replacement (each at
/// its own size) from one ChaCha8 generator seeded with `seed`, so the result is reproducible.
/// The interval's `estimate` is the observed difference of medians.
///
/// `None` when either sample is empty, `reps` is 0 or `level` is not in (0, 1). Cost is
/// one sort of each sample and O(1) per replicate (the medians drawn as order statistics).
pub fn bootstrap_median_diff(
    cur: &[f64],
    prev: &[f64],
    reps: usize,
    level: f64,
    seed: u64,
) -> Option<Interval> {
    if cur.is_empty() || prev.is_empty() || !bootstrap_args_ok(reps, level) {
        return None;
    }
    let estimate = median(cur)? - median(prev)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (cur, prev) = (sorted(cur), sorted(prev));
    let mut stats: Vec<f64> = (0..reps)
        .map(|_| {
            let c = bootstrap_median_draw(&cur, &mut rng);
            c - bootstrap_median_draw(&prev, &mut rng)
        })
        .collect();
    Some(percentile_interval(estimate, &mut stats, level))
}

/// One subgroup of a [`UChart`] (for us: one school's week, or one school).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct USubgroup {
    /// cᵢ / nᵢ, tickets per 100 devices; `None` when the exposure is not positive.
    pub rate: Option<f64>,
    /// (LCL, UCL) = ū ∓ 3·√(ū/nᵢ), the lower limit clipped at 0; `None` when not judged.
    pub limits: Option<(f64, f64)>,
    /// The rate lies strictly below the lower or above the upper limit.
    pub outside: bool,
}

/// A u-chart: the centre line and one judged subgroup per input.
#[derive(Debug, Clone, PartialEq)]
pub struct UChart {
    /// ū = Σcᵢ / Σnᵢ over the subgroups with positive exposure; `None` when there are none.
    pub centre: Option<f64>,
    /// In the order of the input.
    pub subgroups: Vec<USubgroup>,
}

/// The u-chart (Montgomery, *Introduction to Statistical Quality Control*, "control charts
/// for nonconformities") for `counts` cᵢ over `exposures` nᵢ: centre line ū = Σc/Σn, and for
/// each subgroup the limits ū ± 3·√(ū/nᵢ), the lower clipped at 0, and whether cᵢ/nᵢ lies
/// outside them.
///
/// Exposure unit: **100 devices per week**. A school with 250 devices has nᵢ = 2.5 for one
/// week, so cᵢ/nᵢ is its tickets per 100 devices and week, and schools of different size get
/// limits of different width (a small school's rate varies more by chance).
///
/// Subgroups whose exposure is 0 (or negative, or not finite) are not judged (`rate` and
/// `limits` are `None`, `outside` is false) and their counts stay out of ū.
///
/// # Panics
/// When `counts` and `exposures` differ in length.
pub fn u_chart(counts: &[f64], exposures: &[f64]) -> UChart {
    assert_eq!(
        counts.len(),
        exposures.len(),
        "u_chart: one exposure per count"
    );
    let judged = |n: f64| n.is_finite() && n > 0.0;
    let (sum_c, sum_n) = counts
        .iter()
        .zip(exposures)
        .filter(|&(_, &n)| judged(n))
        .fold((0.0, 0.0), |(sc, sn), (&c, &n)| (sc + c, sn + n));
    let centre = (sum_n > 0.0).then(|| sum_c / sum_n);
    let subgroups = counts
        .iter()
        .zip(exposures)
        .map(|(&c, &n)| match centre {
            Some(u) if judged(n) => {
                let rate = c / n;
                let half = 3.0 * (u / n).sqrt();
                let (lcl, ucl) = ((u - half).max(0.0), u + half);
                USubgroup {
                    rate: Some(rate),
                    limits: Some((lcl, ucl)),
                    outside: rate < lcl || rate > ucl,
                }
            }
            _ => USubgroup {
                rate: None,
                limits: None,
                outside: false,
            },
        })
        .collect();
    UChart { centre, subgroups }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Published values are rounded to 4 decimals: agree within half a unit of the last digit.
    fn assert_4dp(got: (f64, f64), want: (f64, f64)) {
        assert!(
            (got.0 - want.0).abs() <= 5e-5 && (got.1 - want.1).abs() <= 5e-5,
            "got ({:.6}, {:.6}), want ({:.4}, {:.4})",
            got.0,
            got.1,
            want.0,
            want.1
        );
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * (1.0 + b.abs())
    }

    #[test]
    fn wilson_matches_published_values() {
        // Newcombe (1998), "Two-sided confidence intervals for the single proportion:
        // comparison of seven methods", Stat. Med. 17:857–872, Table I, method 3 (score
        // interval without continuity correction); each re-computed with python3 from the
        // closed formula before being asserted here.
        assert_4dp(wilson(81, 263, Z_95).unwrap(), (0.2553, 0.3662));
        assert_4dp(wilson(15, 148, Z_95).unwrap(), (0.0624, 0.1605));
        assert_4dp(wilson(0, 20, Z_95).unwrap(), (0.0, 0.1611));
        assert_4dp(wilson(1, 29, Z_95).unwrap(), (0.0061, 0.1718));
        // 0/10: the upper bound is z²/(n + z²) = 3.8415/13.8415 (python3: 0.277533).
        assert_4dp(wilson(0, 10, Z_95).unwrap(), (0.0, 0.2775));
    }

    #[test]
    fn wilson_edges() {
        assert_eq!(wilson(0, 0, Z_95), None);
        assert_eq!(wilson(3, 2, Z_95), None);
        assert_eq!(wilson(1, 2, f64::NAN), None);
        let (lo, hi) = wilson(0, 10, Z_95).unwrap();
        assert_eq!(lo, 0.0);
        assert!(close(hi, Z_95 * Z_95 / (10.0 + Z_95 * Z_95)));
        let (lo, hi) = wilson(10, 10, Z_95).unwrap();
        assert!(close(lo, 10.0 / (10.0 + Z_95 * Z_95)));
        assert_eq!(hi, 1.0);
        // z = 0 is the point estimate.
        assert_eq!(wilson(1, 4, 0.0), Some((0.25, 0.25)));
    }

    #[test]
    fn newcombe_matches_published_values() {
        // Newcombe (1998), "Interval estimation for the difference between independent
        // proportions: comparison of eleven methods", Stat. Med. 17:873–890, Table II,
        // method 10; each re-computed independently with python3 (Wilson limits, then the
        // hybrid formula) before being asserted here.
        assert_4dp(
            newcombe_diff(56, 70, 48, 80, Z_95).unwrap(),
            (0.0524, 0.3339),
        );
        assert_4dp(newcombe_diff(9, 10, 3, 10, Z_95).unwrap(), (0.1705, 0.8090));
        assert_4dp(
            newcombe_diff(5, 56, 0, 29, Z_95).unwrap(),
            (-0.0381, 0.1926),
        );
        // 6/7 − 2/7: python3 and a hand calculation give (0.0582, 0.8062) (Wilson limits
        // 6/7: (0.4869, 0.9743), 2/7: (0.0822, 0.6411)); (0.0986, 0.8354), a value quoted for
        // this example, does not follow from method 10's formula.
        assert_4dp(newcombe_diff(6, 7, 2, 7, Z_95).unwrap(), (0.0582, 0.8062));
        // Boundary cases, python3: 0/10 − 0/20 → (−0.161125, 0.277533);
        // 10/10 − 0/20 → (0.679086, 1).
        assert_4dp(
            newcombe_diff(0, 10, 0, 20, Z_95).unwrap(),
            (-0.1611, 0.2775),
        );
        assert_4dp(newcombe_diff(10, 10, 0, 20, Z_95).unwrap(), (0.6791, 1.0));
        assert_eq!(newcombe_diff(1, 0, 1, 2, Z_95), None);
        assert_eq!(newcombe_diff(1, 2, 0, 0, Z_95), None);
    }

    #[test]
    fn newcombe_is_antisymmetric() {
        let (lo, hi) = newcombe_diff(56, 70, 48, 80, Z_95).unwrap();
        let (lo2, hi2) = newcombe_diff(48, 80, 56, 70, Z_95).unwrap();
        assert!(close(lo, -hi2) && close(hi, -lo2));
    }

    #[test]
    fn quantile_cont_matches_duckdb() {
        // `SELECT quantile_cont(x, q) FROM unnest(?::DOUBLE[]) t(x)` in DuckDB 2.0.0 (Python
        // package), compared bit for bit: DuckDB interpolates as lo·(1−d) + hi·d, which gives
        // 1.2000000000000002 where lo + d·(hi−lo) would give 1.2.
        type Case<'a> = (&'a [f64], &'a [(f64, f64)]);
        let cases: &[Case] = &[
            (
                &[3.0, 1.0, 2.0],
                &[
                    (0.0, 1.0),
                    (0.1, 1.2000000000000002),
                    (0.25, 1.5),
                    (0.5, 2.0),
                    (0.75, 2.5),
                    (0.9, 2.8000000000000003),
                    (1.0, 3.0),
                ],
            ),
            (
                &[4.0, 1.0, 3.0, 2.0],
                &[
                    (0.0, 1.0),
                    (0.1, 1.3),
                    (0.25, 1.75),
                    (0.5, 2.5),
                    (0.75, 3.25),
                    (0.9, 3.7),
                    (1.0, 4.0),
                ],
            ),
            (&[7.5], &[(0.0, 7.5), (0.5, 7.5), (1.0, 7.5)]),
            (
                &[10.0, 0.0, 5.0, 2.5, 1.0],
                &[(0.1, 0.4), (0.25, 1.0), (0.5, 2.5), (0.75, 5.0), (0.9, 8.0)],
            ),
        ];
        for (xs, qs) in cases {
            for &(q, want) in *qs {
                assert_eq!(quantile_cont(xs, q), Some(want), "{xs:?} at {q}");
            }
        }
    }

    #[test]
    fn median_by_hand() {
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        // Even count: the mean of the middle two (DuckDB: median([1, 2, 10, 20]) = 6.0).
        assert_eq!(median(&[20.0, 1.0, 10.0, 2.0]), Some(6.0));
        assert_eq!(median(&[2.0, 2.0, 2.0, 9.0]), Some(2.0));
        assert_eq!(median(&[-1.0, 1.0]), Some(0.0));
        assert_eq!(median(&[]), None);
        assert_eq!(quantile_cont(&[1.0], 1.5), None);
        assert_eq!(quantile_cont(&[1.0], -0.1), None);
        assert_eq!(quantile_cont(&[1.0], f64::NAN), None);
    }

    #[test]
    fn significance_and_change() {
        assert!(significant(0.1, 0.5));
        assert!(significant(-0.5, -0.1));
        assert!(!significant(-0.1, 0.5));
        assert!(!significant(0.0, 0.5), "an interval touching 0 contains it");
        assert!(!significant(f64::NAN, f64::NAN));
        assert_eq!(Change::classify(0.1, 0.5), Change::Increase);
        assert_eq!(Change::classify(-0.5, -0.1), Change::Decrease);
        assert_eq!(Change::classify(-0.1, 0.5), Change::NotDistinguishable);
        // Newcombe's 56/70 vs 48/80 is a change, 5/56 vs 0/29 is not.
        let (lo, hi) = newcombe_diff(56, 70, 48, 80, Z_95).unwrap();
        assert_eq!(Change::classify(lo, hi), Change::Increase);
        let (lo, hi) = newcombe_diff(5, 56, 0, 29, Z_95).unwrap();
        assert!(!significant(lo, hi));
    }

    /// 200 values spread evenly over one hour, starting at `start` hours.
    fn spread(start: f64) -> Vec<f64> {
        (0..200).map(|i| start + i as f64 / 199.0).collect()
    }

    /// The order-statistic draw against resampling: the same distribution of the median
    /// (odd and even n, ties, a skewed sample): their percentiles agree to within the
    /// Monte-Carlo error of 20,000 replicates, measured in order statistics of the sample.
    #[test]
    fn bootstrap_median_draw_matches_resampling() {
        let skewed = |n: usize| -> Vec<f64> {
            (0..n)
                .map(|i| ((i * 7919) % n) as f64)
                .map(|x| (x / 10.0).powi(2).round())
                .collect()
        };
        for xs in [
            skewed(301),
            skewed(300),
            spread(1.0),
            vec![1.0, 1.0, 2.0, 5.0],
        ] {
            let s = sorted(&xs);
            let (mut a, mut b) = (ChaCha8Rng::seed_from_u64(1), ChaCha8Rng::seed_from_u64(2));
            let mut buf = Vec::new();
            let reps = 20_000;
            let mut drawn: Vec<f64> = (0..reps)
                .map(|_| bootstrap_median_draw(&s, &mut a))
                .collect();
            let mut resampled: Vec<f64> = (0..reps)
                .map(|_| resampled_median(&xs, &mut b, &mut buf))
                .collect();
            for q in [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975] {
                let (x, y) = (
                    quantile_in_place(&mut drawn, q),
                    quantile_in_place(&mut resampled, q),
                );
                // Positions in the sorted sample: within 1.5 order statistics.
                let pos = |v: f64| s.partition_point(|z| *z < v) as f64;
                assert!(
                    (pos(x) - pos(y)).abs() <= 1.5 || (x - y).abs() < 1e-9,
                    "n {} q {q}: drawn {x}, resampled {y}",
                    xs.len()
                );
            }
        }
    }

    #[test]
    fn bootstrap_is_deterministic() {
        let (cur, prev) = (spread(3.0), spread(2.8));
        let a = bootstrap_median_diff(&cur, &prev, 500, 0.95, 7).unwrap();
        let b = bootstrap_median_diff(&cur, &prev, 500, 0.95, 7).unwrap();
        assert_eq!(a, b);
        let c = bootstrap_median_diff(&cur, &prev, 500, 0.95, 8).unwrap();
        assert_ne!((a.lo, a.hi), (c.lo, c.hi), "the seed drives the resampling");
        assert_eq!(
            bootstrap_median(&cur, 500, 0.9, 7),
            bootstrap_median(&cur, 500, 0.9, 7)
        );
    }

    #[test]
    fn bootstrap_identical_samples_contain_zero() {
        let xs = spread(4.0);
        let iv = bootstrap_median_diff(&xs, &xs, 2000, 0.95, 1).unwrap();
        assert_eq!(iv.estimate, 0.0);
        assert!(iv.contains(0.0) && iv.lo < 0.0 && iv.hi > 0.0, "{iv:?}");
        assert_eq!(iv.change(), Change::NotDistinguishable);
    }

    #[test]
    fn bootstrap_shift_by_ten_hours() {
        let prev = spread(2.0);
        let cur: Vec<f64> = prev.iter().map(|x| x + 10.0).collect();
        let iv = bootstrap_median_diff(&cur, &prev, 2000, 0.95, 42).unwrap();
        assert!(close(iv.estimate, 10.0));
        assert!(iv.contains(10.0) && iv.significant(), "{iv:?}");
        assert_eq!(iv.change(), Change::Increase);
        // A median of 200 values spread over an hour moves by minutes, not hours.
        assert!(iv.hi - iv.lo < 0.5, "{iv:?}");
        let back = bootstrap_median_diff(&prev, &cur, 2000, 0.95, 42).unwrap();
        assert_eq!(back.change(), Change::Decrease);
    }

    #[test]
    fn bootstrap_single_median() {
        let xs = spread(1.0);
        let iv = bootstrap_median(&xs, 2000, 0.95, 3).unwrap();
        assert_eq!(iv.estimate, median(&xs).unwrap());
        assert!(iv.contains(1.5) && iv.lo > 1.3 && iv.hi < 1.7, "{iv:?}");
        // One value: every resample is that value.
        let one = bootstrap_median(&[2.5], 100, 0.95, 0).unwrap();
        assert_eq!((one.estimate, one.lo, one.hi), (2.5, 2.5, 2.5));
    }

    #[test]
    fn bootstrap_rejects_bad_arguments() {
        let xs = [1.0, 2.0];
        assert_eq!(bootstrap_median_diff(&[], &xs, 100, 0.95, 0), None);
        assert_eq!(bootstrap_median_diff(&xs, &[], 100, 0.95, 0), None);
        assert_eq!(bootstrap_median_diff(&xs, &xs, 0, 0.95, 0), None);
        assert_eq!(bootstrap_median_diff(&xs, &xs, 100, 1.0, 0), None);
        assert_eq!(bootstrap_median_diff(&xs, &xs, 100, 0.0, 0), None);
        assert_eq!(bootstrap_median(&[], 100, 0.95, 0), None);
        assert_eq!(bootstrap_median(&xs, 100, f64::NAN, 0), None);
    }

    #[test]
    fn u_chart_by_hand() {
        // Exposures nᵢ (100 devices · weeks) and tickets cᵢ:
        //   n = 1, 4, 16, 9, 0   c = 3, 8, 96, 13, 5
        // The last subgroup has no exposure: not judged, and its 5 tickets stay out of ū.
        // ū = (3 + 8 + 96 + 13) / (1 + 4 + 16 + 9) = 120 / 30 = 4.
        //   n = 1:  4 ± 3·√4     = 4 ± 6 → (0 clipped, 10); rate 3     → in
        //   n = 4:  4 ± 3·√1     = 4 ± 3 → (1, 7);          rate 2     → in
        //   n = 16: 4 ± 3·√0.25  = 4 ± 1.5 → (2.5, 5.5);    rate 6     → above (the spike)
        //   n = 9:  4 ± 3·√(4/9) = 4 ± 2 → (2, 6);          rate 13/9  → below
        let chart = u_chart(&[3.0, 8.0, 96.0, 13.0, 5.0], &[1.0, 4.0, 16.0, 9.0, 0.0]);
        assert_eq!(chart.centre, Some(4.0));
        let want = [
            (3.0, 0.0, 10.0, false),
            (2.0, 1.0, 7.0, false),
            (6.0, 2.5, 5.5, true),
            (13.0 / 9.0, 2.0, 6.0, true),
        ];
        for (g, &(rate, lcl, ucl, outside)) in chart.subgroups.iter().zip(&want) {
            let (lo, hi) = g.limits.unwrap();
            assert!(close(g.rate.unwrap(), rate), "{g:?}");
            assert!(close(lo, lcl) && close(hi, ucl), "{g:?}");
            assert_eq!(g.outside, outside, "{g:?}");
        }
        assert_eq!(
            chart.subgroups[4],
            USubgroup {
                rate: None,
                limits: None,
                outside: false
            }
        );
    }

    #[test]
    fn u_chart_without_exposure() {
        let chart = u_chart(&[1.0, 2.0], &[0.0, 0.0]);
        assert_eq!(chart.centre, None);
        assert!(chart
            .subgroups
            .iter()
            .all(|g| g.rate.is_none() && !g.outside));
        let empty = u_chart(&[], &[]);
        assert_eq!((empty.centre, empty.subgroups.len()), (None, 0));
        // No tickets anywhere: limits collapse to (0, 0) and nothing is flagged.
        let quiet = u_chart(&[0.0, 0.0], &[2.0, 3.0]);
        assert_eq!(quiet.centre, Some(0.0));
        assert!(quiet.subgroups.iter().all(|g| !g.outside));
    }

    #[test]
    #[should_panic(expected = "one exposure per count")]
    fn u_chart_lengths_must_match() {
        u_chart(&[1.0], &[1.0, 2.0]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn wilson_within_unit_and_contains_estimate(n in 1u64..5000, frac in 0.0f64..=1.0,
                                                     z in 0.5f64..4.0) {
            let x = (frac * n as f64).round() as u64;
            let (lo, hi) = wilson(x, n, z).unwrap();
            let p = x as f64 / n as f64;
            prop_assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi));
            prop_assert!(lo <= p && p <= hi, "{x}/{n}: ({lo}, {hi})");
        }

        #[test]
        fn newcombe_within_bounds_and_contains_estimate(n1 in 1u64..2000, f1 in 0.0f64..=1.0,
                                                        n2 in 1u64..2000, f2 in 0.0f64..=1.0,
                                                        z in 0.5f64..4.0) {
            let x1 = (f1 * n1 as f64).round() as u64;
            let x2 = (f2 * n2 as f64).round() as u64;
            let (lo, hi) = newcombe_diff(x1, n1, x2, n2, z).unwrap();
            let d = x1 as f64 / n1 as f64 - x2 as f64 / n2 as f64;
            prop_assert!((-1.0..=1.0).contains(&lo) && (-1.0..=1.0).contains(&hi));
            prop_assert!(lo <= d && d <= hi, "{x1}/{n1} - {x2}/{n2}: ({lo}, {hi})");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        #[test]
        fn bootstrap_width_shrinks_with_sample_size(seed in any::<u64>()) {
            // Exponential resolution times with a mean of 8 h: the median's interval narrows
            // roughly with 1/√n, so 1,000 values give a far narrower one than 40.
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut sample = |n: usize| -> Vec<f64> {
                (0..n).map(|_| -8.0 * (1.0 - rng.random::<f64>()).ln()).collect()
            };
            let (small, large) = (sample(40), sample(1000));
            let w = |xs: &[f64]| {
                let iv = bootstrap_median(xs, 400, 0.95, seed).unwrap();
                iv.hi - iv.lo
            };
            prop_assert!(w(&large) < w(&small));
            let wd = |a: &[f64], b: &[f64]| {
                let iv = bootstrap_median_diff(a, b, 400, 0.95, seed).unwrap();
                iv.hi - iv.lo
            };
            prop_assert!(wd(&large, &large) < wd(&small, &small));
        }
    }
}
