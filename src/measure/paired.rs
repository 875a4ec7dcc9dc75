//! Paired measurement: how every speedup in the tables is taken.
//!
//! Timing `bad` for a second and then `good` for a second compares two
//! moments of a shared, drifting machine, and one binary's figures carry
//! that binary's code placement for both. So:
//!
//! 1. **One timing path for every arm.** `tool::timed::time_sample` is where every
//!    arm of every hint is compiled: in the library, monomorphised for its
//!    own closure type into its own copy of [`time_arm`]'s loop, in one
//!    codegen unit. `bad` and the variant are called alike (a direct call of
//!    a loop whose body is the arm), with no dynamic dispatch.
//! 2. **Paired within a process.** Each sample times `iters` calls of `bad`
//!    and `iters` calls of the variant back to back, and the order alternates
//!    from one sample to the next (`bad`, variant; variant, `bad`; ...: ABBA
//!    over two samples), so a drift that is linear over two samples cancels.
//!    A process's speedup is the median of its samples' ratios.
//! 3. **Replicated over builds.** A full run measures every benchmark in
//!    fresh processes of several builds of the same code laid out
//!    differently (`measure::layouts`); each build's processes are combined
//!    and the figure is the median across builds, with an order-statistic
//!    interval whose coverage does not rest on a shape ([`across_builds`],
//!    [`interval`]).
//!
//! Everything but the two timers is plain arithmetic on [`Sample`]s, so it
//! is tested without a clock; the bench and the examples' quick timer feed it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::hint::{Hint, NoProbe, Variants};
use crate::model::Estimate;

/// One sample of a pair: `iters` calls of each arm, timed back to back.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub iters: u64,
    /// Nanoseconds for `iters` calls of `bad`.
    pub bad_ns: f64,
    /// Nanoseconds for `iters` calls of the variant compared with it.
    pub other_ns: f64,
}

/// Times `iters` calls of `f` on `input`. Each arm of a pair gets its own
/// copy of this loop, monomorphised for its closure type and never inlined
/// into the caller, so `bad` and the variant are called through the same
/// path: a direct call of a loop whose body is the arm itself, with no
/// dynamic dispatch (the method section of the table says how this was
/// checked in the disassembly).
#[inline(never)]
pub fn time_arm<I: ?Sized, R>(f: &impl Fn(&I) -> R, input: &I, iters: u64) -> Duration {
    let t = Instant::now();
    for _ in 0..iters {
        black_box(f(black_box(input)));
    }
    t.elapsed()
}

/// Times `iters` calls of `bad` and of `other` on `input`, `bad` first
/// unless `flip`; returns the two durations in that (bad, other) order.
pub fn time_pair<I: ?Sized, A, B>(
    input: &I,
    bad: &impl Fn(&I) -> A,
    other: &impl Fn(&I) -> B,
    iters: u64,
    flip: bool,
) -> (Duration, Duration) {
    if flip {
        let o = time_arm(other, input, iters);
        (time_arm(bad, input, iters), o)
    } else {
        let b = time_arm(bad, input, iters);
        (b, time_arm(other, input, iters))
    }
}

/// [`time_pair`] with hint `H`'s own `bad` as the first arm; both arms are
/// their own closure types here, so each is monomorphised into its own loop.
pub fn time_against_bad<H: Hint, O: Fn(&H::Input) -> H::Output>(
    input: &H::Input,
    other: &O,
    iters: u64,
    flip: bool,
) -> (Duration, Duration) {
    struct Pair<'a, H: Hint, O> {
        input: &'a H::Input,
        other: &'a O,
        iters: u64,
        flip: bool,
        out: Option<(Duration, Duration)>,
    }
    impl<H: Hint, O: Fn(&H::Input) -> H::Output> Variants<H> for Pair<'_, H, O> {
        type Probe = NoProbe;
        fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(&mut self, name: &'static str, f: F) {
            if name == "bad" {
                let bad = |i: &H::Input| f(i, &NoProbe);
                self.out = Some(time_pair(
                    self.input, &bad, self.other, self.iters, self.flip,
                ));
            }
        }
    }
    let mut pair = Pair::<H, O> {
        input,
        other,
        iters,
        flip,
        out: None,
    };
    H::variants(&mut pair);
    pair.out.expect("every hint has a `bad` variant")
}

/// Paired samples of `bad` against `other` in about `budget`: `samples`
/// samples of alternating order, each long enough to time (at least one call
/// of each arm). For the examples' first look; the bench lets criterion
/// choose the sample length.
pub fn quick_samples<H: Hint, O: Fn(&H::Input) -> H::Output>(
    input: &H::Input,
    other: &O,
    budget: Duration,
    samples: usize,
) -> Vec<Sample> {
    let (b, o) = time_against_bad::<H, O>(input, other, 1, false);
    let once = (b + o).max(Duration::from_nanos(1));
    let per_sample = budget / samples.max(1) as u32;
    let iters = (per_sample.as_nanos() / once.as_nanos()).clamp(1, 10_000_000) as u64;
    (0..samples)
        .map(|k| {
            let (b, o) = time_against_bad::<H, O>(input, other, iters, k % 2 == 1);
            Sample {
                iters,
                bad_ns: b.as_nanos() as f64,
                other_ns: o.as_nanos() as f64,
            }
        })
        .collect()
}

/// Student's t for a two-sided 95 % interval with `df` degrees of freedom.
pub fn t95(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => T[df - 1],
        _ => 1.96,
    }
}

/// Mean and 95 % half-width (t) of `xs`; the half-width is infinite for one value.
fn mean_half(xs: &[f64]) -> Option<(f64, f64)> {
    if xs.is_empty() {
        return None;
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() == 1 {
        return Some((mean, f64::INFINITY));
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Some((mean, t95(xs.len() - 1) * (var / n).sqrt()))
}

/// What one process measured for one figure, on a log scale: the mean of
/// the samples' logs and its 95 % half-width.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Within {
    pub log: f64,
    pub half: f64,
}

impl Within {
    /// The median of the samples' logs, so that one sample a neighbour
    /// disturbed (a shared machine taking the core for a millisecond) does
    /// not move the process's figure; the half-width is Student's t on
    /// their spread, which only bounds how narrow a combined interval may be.
    fn of(logs: &[f64]) -> Option<Within> {
        let (_, half) = mean_half(logs)?;
        let log = median(&mut logs.to_vec())?;
        Some(Within { log, half })
    }

    pub fn point(&self) -> f64 {
        self.log.exp()
    }
}

/// One process's speedup (`bad` ÷ variant) from its samples.
pub fn speedup(samples: &[Sample]) -> Option<Within> {
    let logs: Vec<f64> = samples
        .iter()
        .filter(|s| s.bad_ns > 0.0 && s.other_ns > 0.0)
        .map(|s| (s.bad_ns / s.other_ns).ln())
        .collect();
    Within::of(&logs)
}

/// One process's time per call of one arm from its samples (`bad` when
/// `bad`, the variant otherwise).
pub fn time(samples: &[Sample], bad: bool) -> Option<Within> {
    let logs: Vec<f64> = samples
        .iter()
        .map(|s| if bad { s.bad_ns } else { s.other_ns } / s.iters.max(1) as f64)
        .filter(|&ns| ns > 0.0)
        .map(f64::ln)
        .collect();
    Within::of(&logs)
}

/// Whether a speedup's interval crosses a line a verdict is drawn at: the
/// practical `margin` either side of 1 (0.05: ±5 %) or a factor the
/// sources claim (`by`, 1 for none). More builds could change what such a
/// row is judged to show (`PERF_HINTS_CONFIRM`).
pub fn needs_confirming(s: &Estimate, margin: f64, by: f64) -> bool {
    let mut lines = vec![1.0 + margin, 1.0 / (1.0 + margin)];
    if by > 1.0 {
        lines.push(by);
    }
    lines.iter().any(|&l| s.lo < l && s.hi > l)
}

/// The median of `xs` (sorted in place); `None` when empty.
pub fn median(xs: &mut [f64]) -> Option<f64> {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(xs[n / 2]),
        _ => Some((xs[n / 2 - 1] + xs[n / 2]) / 2.0),
    }
}

/// From this many units (builds, or the processes of a run with one build)
/// on, [`across`] takes the median with an order-statistic interval; below
/// it, the mean with Student's t.
pub const ROBUST_FROM: usize = 5;

/// The coverage the interval from the `k`-th smallest to the `k`-th
/// largest of `n` values has for their distribution's median, whatever
/// that distribution is: `1 - 2 P(Binomial(n, 1/2) < k)`.
pub fn median_coverage(n: usize, k: usize) -> f64 {
    let mut below = 0.0;
    let mut c = 1.0; // n choose i
    for i in 0..k.min(n + 1) {
        if i > 0 {
            c = c * (n + 1 - i) as f64 / i as f64;
        }
        below += c;
    }
    1.0 - 2.0 * below / 2f64.powi(n as i32)
}

/// Which order statistics bound the median's interval among `n` values:
/// the largest `k` whose [`median_coverage`] is at least 95 %, or 1 (the
/// whole range) when even that covers less (93.75 % at 5 values).
pub fn order_k(n: usize) -> usize {
    let mut k = 1;
    while k < n.div_ceil(2) && median_coverage(n, k + 1) >= 0.95 {
        k += 1;
    }
    k
}

/// The 95 % interval for the median of `sorted` (at least 5 values, in
/// order), on their scale: from the [`order_k`]-th smallest to the
/// [`order_k`]-th largest. Its coverage is exact for any continuous
/// distribution, bimodal ones included: 93.75 % at 5 values, 96.9 % at 6,
/// 99.2 % at 8, 96.1 % at 9. (Interpolating between order statistics, as
/// Hettmansperger and Sheather do, narrows it to about 95 % for a smooth
/// distribution but covered only 87 % of simulated bimodal runs at 7
/// values, so it is not used.)
pub fn median_interval(sorted: &[f64]) -> (f64, f64) {
    let n = sorted.len();
    let k = order_k(n);
    (sorted[k - 1], sorted[n - k])
}

/// A figure across the units of a run, on the log scale, with a 95 %
/// interval whose coverage does not rest on a shape: the units' `logs`,
/// and `floor`, the narrowest half-width the processes' own samples allow.
///
/// - **One unit**: its value, with the half-width `floor` (infinite when a
///   single sample could not bound it: the interval is then `0 ..= ∞`).
/// - **Two to four**: the mean and Student's t on their spread.
/// - **Five or more** ([`ROBUST_FROM`]): the median, with the
///   order-statistic interval of [`median_interval`] (a binomial interval
///   for the median, about 95 % whatever the distribution;
///   `tests::order_statistic_intervals_cover` simulates normal,
///   heavy-tailed and bimodal units).
///
/// Either way the interval is never narrower than `floor` either side of
/// the point: units that agree by chance do not make a figure exact.
pub fn interval(logs: &[f64], floor: f64) -> Option<Estimate> {
    let n = logs.len();
    let mut sorted = logs.to_vec();
    let (centre, lo, hi) = if n == 0 {
        return None;
    } else if n == 1 {
        (logs[0], logs[0] - floor, logs[0] + floor)
    } else if n < ROBUST_FROM {
        let (m, h) = mean_half(logs)?;
        (m, m - h, m + h)
    } else {
        let med = median(&mut sorted)?;
        let (lo, hi) = median_interval(&sorted);
        (med, lo, hi)
    };
    Some(Estimate {
        point: centre.exp(),
        lo: lo.min(centre - floor).exp(),
        hi: hi.max(centre + floor).exp(),
    })
}

/// One figure of a run: each build's processes, combined.
///
/// Each build's value is the mean of its processes' logs; the figure is
/// [`interval`] across the builds. A run with one build takes its
/// processes as the units instead. The floor is the processes' own
/// half-widths averaged and divided by √processes. Returns the estimate and
/// each build's value (empty for one build).
pub fn across_builds(builds: &[Vec<Within>]) -> Option<(Estimate, Vec<f64>)> {
    let builds: Vec<&Vec<Within>> = builds.iter().filter(|b| !b.is_empty()).collect();
    let all: Vec<&Within> = builds.iter().flat_map(|b| b.iter()).collect();
    if all.is_empty() {
        return None;
    }
    let k = all.len() as f64;
    let floor = all.iter().map(|w| w.half).sum::<f64>() / k / k.sqrt();
    if builds.len() == 1 {
        let logs: Vec<f64> = all.iter().map(|w| w.log).collect();
        return Some((interval(&logs, floor)?, Vec::new()));
    }
    let logs: Vec<f64> = builds
        .iter()
        .map(|b| b.iter().map(|w| w.log).sum::<f64>() / b.len() as f64)
        .collect();
    let points = logs.iter().map(|l| l.exp()).collect();
    Some((interval(&logs, floor)?, points))
}

/// Several processes of one build combined ([`across_builds`] with one build).
pub fn across(processes: &[Within]) -> Option<Estimate> {
    across_builds(&[processes.to_vec()]).map(|(e, _)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(bad: f64, other: f64) -> Sample {
        Sample {
            iters: 10,
            bad_ns: bad,
            other_ns: other,
        }
    }

    #[test]
    fn a_process_speedup_is_the_median_of_its_samples() {
        let w = speedup(&[s(200.0, 100.0), s(800.0, 100.0)]).unwrap();
        assert!((w.point() - 4.0).abs() < 1e-9, "{w:?}");
        let same = speedup(&[s(300.0, 100.0); 5]).unwrap();
        assert!((same.point() - 3.0).abs() < 1e-9);
        assert!(same.half.abs() < 1e-12, "identical samples: no spread");
        assert!(speedup(&[]).is_none());
        // One disturbed sample of five does not move it.
        let spiky = speedup(&[
            s(200.0, 100.0),
            s(200.0, 100.0),
            s(200.0, 300.0),
            s(200.0, 100.0),
            s(210.0, 100.0),
        ])
        .unwrap();
        assert!((spiky.point() - 2.0).abs() < 1e-9, "{spiky:?}");
    }

    #[test]
    fn times_are_per_call() {
        let w = time(&[s(200.0, 100.0)], true).unwrap();
        assert!((w.point() - 20.0).abs() < 1e-9);
        let w = time(&[s(200.0, 100.0)], false).unwrap();
        assert!((w.point() - 10.0).abs() < 1e-9);
    }

    #[test]
    fn the_interval_across_units_covers_their_spread() {
        let w = |r: f64| Within {
            log: f64::ln(r),
            half: 0.001,
        };
        let e = across(&[w(1.9), w(2.0), w(2.1)]).unwrap();
        assert!(e.lo < 1.9 && e.hi > 2.1, "{e:?}");
        // Fewer than five: the geometric mean.
        assert!((e.point - (1.9f64 * 2.0 * 2.1).cbrt()).abs() < 1e-9);
        // Units that agree exactly keep the samples' own spread.
        let tight = across(&[w(2.0), w(2.0), w(2.0)]).unwrap();
        assert!(
            tight.hi > tight.lo && tight.hi / tight.lo < 1.01,
            "{tight:?}"
        );
        // One process keeps its own interval; an unbounded one stays unbounded.
        let one = across(&[Within {
            log: 0.0,
            half: 0.1,
        }])
        .unwrap();
        assert!((one.hi - 0.1f64.exp()).abs() < 1e-12);
        let unbounded = across(&[Within {
            log: 0.0,
            half: f64::INFINITY,
        }])
        .unwrap();
        assert_eq!((unbounded.lo, unbounded.hi), (0.0, f64::INFINITY));
    }

    #[test]
    fn one_disturbed_unit_of_five_moves_the_point_not_at_all() {
        let w = |r: f64| Within {
            log: f64::ln(r),
            half: 0.001,
        };
        let calm = across(&[w(2.0), w(2.05), w(1.95), w(2.02), w(1.98)]).unwrap();
        let disturbed = across(&[w(2.0), w(2.05), w(1.05), w(2.02), w(1.98)]).unwrap();
        assert!((calm.point - 2.0).abs() < 1e-9, "{calm:?}");
        assert!((disturbed.point - 2.0).abs() < 1e-9, "{disturbed:?}");
        // The order-statistic interval at five units is their whole range.
        assert_eq!(median_interval(&[1.0, 2.0, 3.0, 4.0, 5.0]), (1.0, 5.0));
        // At nine, the second smallest to the second largest.
        let nine: Vec<f64> = (1..=9).map(f64::from).collect();
        assert_eq!(median_interval(&nine), (2.0, 8.0));
        assert!((disturbed.lo - 1.05).abs() < 1e-9, "{disturbed:?}");
        assert!((disturbed.hi - 2.05).abs() < 1e-9, "{disturbed:?}");
    }

    #[test]
    fn builds_are_the_units_when_there_are_several() {
        let w = |r: f64| Within {
            log: f64::ln(r),
            half: 0.001,
        };
        // Two processes in each of three builds: the builds' geometric
        // means are the units, and each build's value is reported.
        let (e, points) = across_builds(&[
            vec![w(1.0), w(1.0)],
            vec![w(1.44), w(1.0)],
            vec![w(1.0), w(1.21)],
        ])
        .unwrap();
        assert_eq!(points.len(), 3);
        assert!((points[1] - 1.2).abs() < 1e-9, "{points:?}");
        assert!((points[2] - 1.1).abs() < 1e-9, "{points:?}");
        assert!(e.lo <= 1.0 && e.hi >= 1.2, "{e:?}");
        let (_, one) = across_builds(&[vec![w(1.0), w(1.1)]]).unwrap();
        assert!(one.is_empty());
    }

    #[test]
    fn binomial_coverage_of_the_median_interval() {
        assert!((median_coverage(5, 1) - 0.9375).abs() < 1e-12);
        assert!((median_coverage(6, 1) - 0.96875).abs() < 1e-12);
        assert_eq!(order_k(5), 1);
        assert_eq!(order_k(6), 1);
        assert_eq!(order_k(8), 1);
        assert_eq!(order_k(10), 2);
        assert_eq!(order_k(12), 3);
        assert!(median_coverage(12, order_k(12)) >= 0.95);
        assert!(median_coverage(12, order_k(12) + 1) < 0.95);
    }

    /// A small deterministic generator for the simulation (SplitMix64).
    struct Rng(u64);
    impl Rng {
        fn u(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
        fn normal(&mut self) -> f64 {
            let (a, b) = (self.u().max(1e-300), self.u());
            (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
        }
    }

    /// The share of simulated runs whose interval holds the units'
    /// population median: `draw` gives one unit's log speedup (median 0).
    fn coverage(n: usize, draw: &mut dyn FnMut(&mut Rng) -> f64) -> f64 {
        let mut rng = Rng(2026);
        let runs = 20_000;
        let hit = (0..runs)
            .filter(|_| {
                let logs: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
                let e = interval(&logs, 0.0).unwrap();
                e.lo <= 1.0 && e.hi >= 1.0
            })
            .count();
        hit as f64 / runs as f64
    }

    #[test]
    fn order_statistic_intervals_cover() {
        // Unit counts around the default of 6 builds, and with confirming
        // builds added.
        for n in [5, 6, 7, 9, 10, 12] {
            let normal = coverage(n, &mut |r| 0.05 * r.normal());
            // Student's t with 2 degrees of freedom: heavy tails.
            let heavy = coverage(n, &mut |r| {
                let z = r.normal();
                let chi = r.normal().powi(2) + r.normal().powi(2);
                0.03 * z / (chi / 2.0).sqrt()
            });
            // Two layouts' worth of modes, 0.8x and 1.25x, equally likely.
            let bimodal = coverage(n, &mut |r| {
                let mode = if r.u() < 0.5 { -0.223 } else { 0.223 };
                mode + 0.01 * r.normal()
            });
            for (name, c) in [("normal", normal), ("heavy", heavy), ("bimodal", bimodal)] {
                assert!(c >= 0.93, "{n} units, {name}: coverage {c:.3}");
            }
        }
    }

    #[test]
    fn the_pair_timer_runs_both_arms_in_the_order_asked() {
        use std::cell::RefCell;
        let order = RefCell::new(Vec::new());
        let a = |_: &()| order.borrow_mut().push('a');
        let b = |_: &()| order.borrow_mut().push('b');
        time_pair(&(), &a, &b, 2, false);
        time_pair(&(), &a, &b, 1, true);
        assert_eq!(order.into_inner(), vec!['a', 'a', 'b', 'b', 'b', 'a']);
    }
}
