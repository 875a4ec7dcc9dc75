//! The break-even size of a hint: where `good` starts (or stops) winning over
//! `bad` along one series of sizes, judged against the record's practical
//! margin and interpolated between the two sizes that bracket the crossing.

use std::fmt::Write as _;

use crate::model::Estimate;

/// Where `good` starts or stops winning over `bad`, from one series of sizes.
#[derive(Clone, Debug, PartialEq)]
pub enum BreakEven {
    /// `good` is faster beyond the margin at every size measured.
    Always,
    /// Never faster beyond the margin, and slower at some size.
    Never,
    /// Within the margin of `bad` at every size measured.
    Level,
    /// It starts or stops winning between two measured sizes: `at` is where
    /// the speedup crosses the line between the two sides (1x between a
    /// slower and a faster size, the margin line between a level and a
    /// faster one), interpolated on log size and log speedup; `lo..hi` the
    /// sizes where the intervals' ends cross that line (open at a measured
    /// end when an end never does).
    Crosses {
        /// `good` wins above the crossing (it starts winning) rather than below.
        starts: bool,
        at: f64,
        lo: f64,
        hi: f64,
        /// How many times it starts or stops winning in all; more than once
        /// is a hint whose advantage comes and goes with size.
        crossings: usize,
    },
}

/// The x where the line through `(x0, y0)` and `(x1, y1)` crosses `line`,
/// on log scales (linear in x when an x is not positive).
fn crossing(x0: f64, y0: f64, x1: f64, y1: f64, line: f64) -> f64 {
    let (l0, l1, l) = (y0.ln(), y1.ln(), line.ln());
    let t = if l1 == l0 {
        0.5
    } else {
        ((l - l0) / (l1 - l0)).clamp(0.0, 1.0)
    };
    if x0 > 0.0 && x1 > 0.0 {
        (x0.ln() + t * (x1.ln() - x0.ln())).exp()
    } else {
        x0 + t * (x1 - x0)
    }
}

/// The first crossing of `line` by `y(e)` along `points` (sorted by x),
/// going up when `up`; `None` when there is none.
fn first_crossing(
    points: &[(f64, Estimate)],
    y: impl Fn(&Estimate) -> f64,
    line: f64,
    up: bool,
) -> Option<f64> {
    points.windows(2).find_map(|w| {
        let (a, b) = (y(&w[0].1), y(&w[1].1));
        let crosses = if up {
            a <= line && b > line
        } else {
            a > line && b <= line
        };
        crosses.then(|| crossing(w[0].0, a, w[1].0, b, line))
    })
}

impl BreakEven {
    /// The break-even of one series: `(x, good's speedup)` at each size, in
    /// any order, against the record's practical `margin` (a speedup within
    /// it is level, not a win). `None` for an empty series.
    pub fn of(points: &[(f64, Estimate)], margin: f64) -> Option<BreakEven> {
        let mut p = points.to_vec();
        p.sort_by(|a, b| a.0.total_cmp(&b.0));
        if p.is_empty() {
            return None;
        }
        let (up, down) = (1.0 + margin, 1.0 / (1.0 + margin));
        let wins: Vec<bool> = p.iter().map(|(_, e)| e.point > up).collect();
        if wins.iter().all(|&w| w) {
            return Some(BreakEven::Always);
        }
        if wins.iter().all(|&w| !w) {
            let level = p.iter().all(|(_, e)| e.point >= down);
            return Some(if level {
                BreakEven::Level
            } else {
                BreakEven::Never
            });
        }
        let crossings = wins.windows(2).filter(|w| w[0] != w[1]).count();
        let starts = !wins[0];
        // The first pair of neighbours on either side of the change.
        let i = wins
            .windows(2)
            .position(|w| w[0] != w[1])
            .expect("it changes");
        let other = if starts { p[i].1 } else { p[i + 1].1 };
        let line = if other.point < down { 1.0 } else { up };
        let at = crossing(p[i].0, p[i].1.point, p[i + 1].0, p[i + 1].1.point, line);
        let (first, last) = (p[0].0, p[p.len() - 1].0);
        // Where good starts winning, the optimistic end (hi) crosses first
        // and the pessimistic one (lo) last; where it stops, the reverse.
        let early = first_crossing(&p, |e| if starts { e.hi } else { e.lo }, line, starts);
        let late = first_crossing(&p, |e| if starts { e.lo } else { e.hi }, line, starts);
        Some(BreakEven::Crosses {
            starts,
            at,
            lo: early.unwrap_or(first).min(at),
            hi: late.unwrap_or(last).max(at),
            crossings,
        })
    }

    /// In words, with `x` formatting a size: `wins from ≈ 2.3k (1.9k–2.8k)`.
    pub fn text(&self, x: &dyn Fn(f64) -> String) -> String {
        match self {
            BreakEven::Always => "wins at every size measured".into(),
            BreakEven::Never => "never wins at the sizes measured".into(),
            BreakEven::Level => "level at every size measured".into(),
            BreakEven::Crosses {
                starts,
                at,
                lo,
                hi,
                crossings,
            } => {
                let mut s = format!(
                    "{} ≈ {} ({}–{})",
                    if *starts { "wins from" } else { "wins up to" },
                    x(*at),
                    x(*lo),
                    x(*hi)
                );
                if *crossings > 1 {
                    let _ = write!(s, ", changes {crossings} times");
                }
                s
            }
        }
    }
}

impl BreakEven {
    /// Whether two break-evens say something different: a different kind,
    /// or crossings whose ranges do not overlap.
    pub fn shifted(&self, other: &BreakEven) -> bool {
        match (self, other) {
            (
                BreakEven::Crosses {
                    starts: a,
                    lo: alo,
                    hi: ahi,
                    ..
                },
                BreakEven::Crosses {
                    starts: b,
                    lo: blo,
                    hi: bhi,
                    ..
                },
            ) => a != b || ahi < blo || bhi < alo,
            (a, b) => std::mem::discriminant(a) != std::mem::discriminant(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(point: f64, spread: f64) -> Estimate {
        Estimate {
            point,
            lo: point / spread,
            hi: point * spread,
        }
    }

    #[test]
    fn break_even_is_interpolated_between_the_bracketing_sizes() {
        let b = BreakEven::of(&[(10.0, e(0.5, 1.05)), (1000.0, e(2.0, 1.05))], 0.05).unwrap();
        let BreakEven::Crosses {
            starts, at, lo, hi, ..
        } = b
        else {
            panic!("{b:?}")
        };
        assert!(starts);
        // Halfway on log scales: 0.5x at 10 and 2x at 1000 cross at 100.
        assert!((at - 100.0).abs() < 1e-6, "{at}");
        assert!(lo < at && at < hi && lo > 10.0 && hi < 1000.0, "{lo} {hi}");
    }

    #[test]
    fn break_even_says_always_never_and_stops() {
        assert_eq!(
            BreakEven::of(&[(1.0, e(1.2, 1.0)), (2.0, e(3.0, 1.0))], 0.05),
            Some(BreakEven::Always)
        );
        assert_eq!(
            BreakEven::of(&[(1.0, e(0.2, 1.0)), (2.0, e(0.9, 1.0))], 0.05),
            Some(BreakEven::Never)
        );
        // An A/A pair wanders around 1x: level, not a crossing.
        assert_eq!(
            BreakEven::of(&[(1.0, e(0.99, 1.01)), (2.0, e(1.01, 1.01))], 0.05),
            Some(BreakEven::Level)
        );
        // From level to faster: where it passes the margin line.
        let b = BreakEven::of(&[(10.0, e(1.0, 1.0)), (1000.0, e(1.1025, 1.0))], 0.05).unwrap();
        assert!(
            matches!(b, BreakEven::Crosses { starts: true, at, .. } if (at - 100.0).abs() < 1e-6),
            "{b:?}"
        );
        let b = BreakEven::of(&[(1.0, e(3.0, 1.0)), (100.0, e(1.0 / 3.0, 1.0))], 0.05).unwrap();
        assert!(
            matches!(b, BreakEven::Crosses { starts: false, at, .. } if (at - 10.0).abs() < 1e-6),
            "{b:?}"
        );
        assert!(
            b.text(&|x| format!("{x:.0}"))
                .starts_with("wins up to ≈ 10")
        );
        assert_eq!(BreakEven::of(&[], 0.05), None);
    }

    #[test]
    fn an_interval_that_never_crosses_leaves_the_range_open_at_the_end() {
        // The pessimistic end stays below 1 up to the largest size.
        let b = BreakEven::of(&[(10.0, e(0.8, 1.5)), (100.0, e(1.2, 1.5))], 0.05).unwrap();
        let BreakEven::Crosses { hi, .. } = b else {
            panic!("{b:?}")
        };
        assert_eq!(hi, 100.0);
    }
}
