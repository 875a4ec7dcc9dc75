//! Paired measurement: how every speedup in the tables is taken.
//!
//! Timing `bad` for a second and then `good` for a second compares two
//! moments of a shared, drifting machine, and one process's figures carry
//! that process's heap placement, code alignment and clock for both. So:
//!
//! 1. **Paired within a process.** Each sample times `iters` calls of `bad`
//!    and `iters` calls of the variant back to back, and the order alternates
//!    from one sample to the next (`bad`, variant; variant, `bad`; ...: ABBA
//!    over two samples), so a drift that is linear over two samples cancels.
//!    A process's speedup is the geometric mean of its samples' ratios.
//! 2. **Replicated over processes.** The whole set runs in several fresh
//!    processes (five by default), and a speedup is the median across them
//!    with an interval from their spread ([`across`]), never narrower than
//!    the samples' own spread allows.
//! 3. **Confirmed where it is close.** The bench measures again, in more
//!    processes, the benchmarks whose interval crosses a line a verdict is
//!    drawn at ([`needs_confirming`]), and combines all the processes.
//!
//! Everything here is plain arithmetic on [`Sample`]s, so it is tested
//! without a clock; the bench and the examples' quick timer feed it.

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

/// Times `iters` calls of `bad` and of `other` on `input`, `bad` first
/// unless `flip`; returns the two durations in that (bad, other) order.
pub fn time_pair<I: ?Sized, A, B>(
    input: &I,
    bad: &dyn Fn(&I) -> A,
    other: &dyn Fn(&I) -> B,
    iters: u64,
    flip: bool,
) -> (Duration, Duration) {
    let time = |f: &dyn Fn(&I)| {
        let t = Instant::now();
        for _ in 0..iters {
            f(black_box(input));
        }
        t.elapsed()
    };
    let run_bad = |i: &I| {
        black_box(bad(i));
    };
    let run_other = |i: &I| {
        black_box(other(i));
    };
    if flip {
        let o = time(&run_other);
        (time(&run_bad), o)
    } else {
        let b = time(&run_bad);
        (b, time(&run_other))
    }
}

/// [`time_pair`] with hint `H`'s own `bad` as the first arm.
pub fn time_against_bad<H: Hint>(
    input: &H::Input,
    other: &dyn Fn(&H::Input) -> H::Output,
    iters: u64,
    flip: bool,
) -> (Duration, Duration) {
    struct Pair<'a, H: Hint> {
        input: &'a H::Input,
        other: &'a dyn Fn(&H::Input) -> H::Output,
        iters: u64,
        flip: bool,
        out: Option<(Duration, Duration)>,
    }
    impl<H: Hint> Variants<H> for Pair<'_, H> {
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
    let mut pair = Pair::<H> {
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
pub fn quick_samples<H: Hint>(
    input: &H::Input,
    other: &dyn Fn(&H::Input) -> H::Output,
    budget: Duration,
    samples: usize,
) -> Vec<Sample> {
    let (b, o) = time_against_bad::<H>(input, other, 1, false);
    let once = (b + o).max(Duration::from_nanos(1));
    let per_sample = budget / samples.max(1) as u32;
    let iters = (per_sample.as_nanos() / once.as_nanos()).clamp(1, 10_000_000) as u64;
    (0..samples)
        .map(|k| {
            let (b, o) = time_against_bad::<H>(input, other, iters, k % 2 == 1);
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
    fn of(logs: &[f64]) -> Option<Within> {
        mean_half(logs).map(|(log, half)| Within { log, half })
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

/// Whether a speedup's interval crosses a line a verdict is drawn at, the
/// practical `margin` either side of 1 (0.05: ±5 %): then more processes
/// could change what it is judged to show, and the bench measures it again.
pub fn needs_confirming(s: &Estimate, margin: f64) -> bool {
    let (up, down) = (1.0 + margin, 1.0 / (1.0 + margin));
    (s.lo < up && s.hi > up) || (s.lo < down && s.hi > down)
}

/// The median of `xs` (sorted in place); `None` when empty.
fn median(xs: &mut [f64]) -> Option<f64> {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(xs[n / 2]),
        _ => Some((xs[n / 2 - 1] + xs[n / 2]) / 2.0),
    }
}

/// From this many processes on, [`across`] takes the median and a robust
/// spread; below it, the mean and the standard deviation.
pub const ROBUST_FROM: usize = 5;

/// Several processes' figures combined, on the log scale.
///
/// - **Point**: the median of the processes' points, so that one process
///   disturbed as a whole (a neighbour on the shared host taking a core for
///   seconds, which halves a two-thread speedup) does not move it. With
///   fewer than [`ROBUST_FROM`] processes, the mean.
/// - **Interval**: a 95 % interval for that point. Its spread is the
///   processes' median absolute deviation scaled to a standard deviation
///   (×1.4826), and the median's standard error is 1.2533 times the mean's
///   (Student's t with `n - 1` degrees of freedom); with fewer processes,
///   Student's t on their standard deviation. It is never narrower than
///   the processes' own intervals averaged and divided by √processes
///   (processes that agree by chance do not make a figure exact). One
///   process alone keeps its own interval.
pub fn across(processes: &[Within]) -> Option<Estimate> {
    let n = processes.len();
    let mut logs: Vec<f64> = processes.iter().map(|w| w.log).collect();
    let (centre, between) = if n >= ROBUST_FROM {
        let med = median(&mut logs)?;
        let mut dev: Vec<f64> = logs.iter().map(|l| (l - med).abs()).collect();
        let mad = median(&mut dev)?;
        let sigma = 1.4826 * mad;
        (med, t95(n - 1) * 1.2533 * sigma / (n as f64).sqrt())
    } else {
        mean_half(&logs)?
    };
    let k = n as f64;
    let within = processes.iter().map(|w| w.half).sum::<f64>() / k / k.sqrt();
    let half = if n == 1 {
        processes[0].half
    } else {
        between.max(within)
    };
    let half = if half.is_finite() { half } else { 0.0 };
    Some(Estimate {
        point: centre.exp(),
        lo: (centre - half).exp(),
        hi: (centre + half).exp(),
    })
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
    fn a_process_speedup_is_the_geometric_mean_of_its_samples() {
        let w = speedup(&[s(200.0, 100.0), s(800.0, 100.0)]).unwrap();
        assert!((w.point() - 4.0).abs() < 1e-9, "{w:?}");
        let same = speedup(&[s(300.0, 100.0); 5]).unwrap();
        assert!((same.point() - 3.0).abs() < 1e-9);
        assert!(same.half.abs() < 1e-12, "identical samples: no spread");
        assert!(speedup(&[]).is_none());
    }

    #[test]
    fn times_are_per_call() {
        let w = time(&[s(200.0, 100.0)], true).unwrap();
        assert!((w.point() - 20.0).abs() < 1e-9);
        let w = time(&[s(200.0, 100.0)], false).unwrap();
        assert!((w.point() - 10.0).abs() < 1e-9);
    }

    #[test]
    fn the_interval_across_processes_covers_their_spread() {
        let w = |r: f64| Within {
            log: f64::ln(r),
            half: 0.001,
        };
        let e = across(&[w(1.9), w(2.0), w(2.1)]).unwrap();
        assert!(e.lo < 1.9 && e.hi > 2.1, "{e:?}");
        // Fewer than five: the geometric mean.
        assert!((e.point - (1.9f64 * 2.0 * 2.1).cbrt()).abs() < 1e-9);
        // Processes that agree exactly keep the samples' own spread.
        let tight = across(&[w(2.0), w(2.0), w(2.0)]).unwrap();
        assert!(
            tight.hi > tight.lo && tight.hi / tight.lo < 1.01,
            "{tight:?}"
        );
        // One process keeps its own interval.
        let one = across(&[Within {
            log: 0.0,
            half: 0.1,
        }])
        .unwrap();
        assert!((one.hi - 0.1f64.exp()).abs() < 1e-12);
    }

    #[test]
    fn one_disturbed_process_of_five_moves_neither_point_nor_interval_much() {
        let w = |r: f64| Within {
            log: f64::ln(r),
            half: 0.001,
        };
        let calm = across(&[w(2.0), w(2.05), w(1.95), w(2.02), w(1.98)]).unwrap();
        let disturbed = across(&[w(2.0), w(2.05), w(1.05), w(2.02), w(1.98)]).unwrap();
        assert!((calm.point - 2.0).abs() < 1e-9, "{calm:?}");
        assert!((disturbed.point - 2.0).abs() < 1e-9, "{disturbed:?}");
        assert!(disturbed.lo > 1.8 && disturbed.hi < 2.2, "{disturbed:?}");
        // Two of five disturbed still leave the majority's figure; three
        // are the majority.
        let two = across(&[w(2.0), w(1.1), w(1.05), w(2.02), w(1.98)]).unwrap();
        assert!((two.point - 1.98).abs() < 1e-9, "{two:?}");
        let three = across(&[w(2.0), w(1.1), w(1.05), w(1.12), w(1.98)]).unwrap();
        assert!((three.point - 1.12).abs() < 1e-9, "{three:?}");
        assert!(three.hi > 1.25, "the other two widen it: {three:?}");
    }

    #[test]
    fn only_intervals_across_a_margin_line_are_confirmed() {
        let e = |lo: f64, hi: f64| Estimate {
            point: (lo * hi).sqrt(),
            lo,
            hi,
        };
        assert!(needs_confirming(&e(1.02, 1.08), 0.05));
        assert!(needs_confirming(&e(0.9, 0.96), 0.05));
        assert!(needs_confirming(&e(0.5, 2.0), 0.05));
        assert!(!needs_confirming(&e(1.06, 1.5), 0.05));
        assert!(!needs_confirming(&e(0.97, 1.03), 0.05));
        assert!(!needs_confirming(&e(0.3, 0.9), 0.05));
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
