//! Nanoseconds per operation of a closure, for the cost table: calibrated
//! samples ([`sample`]), paired differences of two arms in alternating order
//! ([`paired_difference`], through [`paired::time_pair`] as the hints' pairs
//! are timed), and their summary ([`robust`]).

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::measure::paired::{self, t95};
use crate::model::Estimate;

/// How long to measure: samples, and the time each takes.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub samples: usize,
    pub per_sample: Duration,
}

impl Budget {
    /// What a full `cargo bench` spends: 11 samples of 40 ms per row.
    pub const FULL: Budget = Budget {
        samples: 11,
        per_sample: Duration::from_millis(40),
    };
    /// The example's first look: 7 samples of 15 ms.
    pub const QUICK: Budget = Budget {
        samples: 7,
        per_sample: Duration::from_millis(15),
    };

    /// How many calls make a sample of about `per_sample`, when one took `once`.
    fn calls(&self, once: Duration) -> u64 {
        let once = once.max(Duration::from_nanos(50));
        (self.per_sample.as_nanos() / once.as_nanos()).clamp(1, 1 << 24) as u64
    }
}

/// Samples of nanoseconds per operation: `calls` of `f` per sample, with
/// `calls` chosen from a first timed call so that a sample takes about
/// `budget.per_sample`; `f` returns how many operations it did.
pub fn sample(budget: &Budget, mut f: impl FnMut() -> u64) -> Vec<f64> {
    let t = Instant::now();
    let ops = f().max(1);
    let calls = budget.calls(t.elapsed());
    (0..budget.samples)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..calls {
                black_box(f());
            }
            t.elapsed().as_nanos() as f64 / (calls * ops) as f64
        })
        .collect()
}

/// Paired samples of `(b − a)` per operation: both arms in each sample, in
/// alternating order (ABBA over two samples, as [`paired::time_pair`] times
/// the hints' pairs); each returns its operation count (the same for both).
pub fn paired_difference(budget: &Budget, a: impl Fn() -> u64, b: impl Fn() -> u64) -> Vec<f64> {
    let t = Instant::now();
    let ops = a().max(1);
    black_box(b());
    let calls = budget.calls(t.elapsed());
    let (a, b) = (|_: &()| a(), |_: &()| b());
    (0..budget.samples)
        .map(|k| {
            let (ta, tb) = paired::time_pair(&(), &a, &b, calls, k % 2 == 1);
            (tb.as_nanos() as f64 - ta.as_nanos() as f64) / (calls * ops) as f64
        })
        .collect()
}

/// The median of `xs` with a 95 % interval from their spread (the median
/// absolute deviation, as [`paired::across`] takes it), on a linear scale,
/// since a difference of two timings can be negative.
pub fn robust(xs: &[f64]) -> Option<Estimate> {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    let n = v.len();
    let m = paired::median(&mut v)?;
    let mut dev: Vec<f64> = v.iter().map(|x| (x - m).abs()).collect();
    let mad = paired::median(&mut dev).unwrap_or(0.0);
    let half = if n > 1 {
        t95(n - 1) * 1.2533 * 1.4826 * mad / (n as f64).sqrt()
    } else {
        0.0
    };
    Some(Estimate {
        point: m,
        lo: m - half,
        hi: m + half,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robust_is_the_median_with_a_mad_interval() {
        let e = robust(&[1.0, 2.0, 3.0, f64::NAN, 100.0, -4.0]).unwrap();
        assert_eq!(e.point, 2.0);
        assert!(e.lo < 2.0 && e.hi > 2.0 && (e.hi - 2.0 - (2.0 - e.lo)).abs() < 1e-12);
        assert_eq!(robust(&[5.0]).unwrap().lo, 5.0);
        assert!(robust(&[f64::NAN]).is_none());
    }
}
