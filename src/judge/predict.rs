//! Predictions, and the one judge that holds every row to its prediction.
//!
//! A hint declares, for each size and before anything is measured, what it
//! expects of a variant against `bad` ([`Prediction`]): faster (by at least a
//! factor where the sources name one), level, slower (where the hint says the
//! good variant stops winning), or a set of these. [`judge`] compares that
//! with what the run measured, the same way for every hint:
//!
//! - **holds**: the measured outcome is one the prediction allows, by the
//!   factor it names, and the mechanism (the hint's deterministic
//!   expectations at that size) shows;
//! - **partly**: the direction is right but smaller than the factor claimed,
//!   or the run cannot tell (the point is past the margin but the interval
//!   reaches 1, see [`Outcome`]) and the prediction allows part of it;
//! - **does not hold**: the outcome is one the prediction excludes, or the
//!   mechanism fails;
//! - **not judged**: a figure it needs is missing; the verdict says which.

use crate::model::{Estimate, Level, MAX_MARGIN, Row, Verdict};

/// The practical margin around 1 in records without an A/A control: a
/// speedup whose whole interval lies above `1 + MARGIN` is faster, below
/// `1 / (1 + MARGIN)` slower, and within both level. A run with the control
/// judges with the margin its noise gave ([`crate::model::Run::margin`]).
pub const MARGIN: f64 = crate::model::DEFAULT_MARGIN;

/// What a speedup (`bad` ÷ variant) shows against a practical margin: the
/// point estimate decides the side, and the interval decides whether the
/// run can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// The point is above `1 + margin` and the whole interval above 1.
    Faster,
    /// The point is within `1 / (1 + margin)` .. `1 + margin`, and the
    /// interval does not reach past both ends.
    Level,
    /// The point is below `1 / (1 + margin)` and the whole interval below 1.
    Slower,
    /// The point is past the margin but the interval reaches 1, or within
    /// it but the interval reaches past both ends: this run cannot tell.
    Unclear,
}

impl Outcome {
    /// The outcome of a speedup, against a practical margin (0.05: ±5 %).
    ///
    /// The side comes from the point, not from where the interval's ends
    /// fall: a rule that asked the whole interval to clear the margin would
    /// put every row whose interval touches it in a band of its own, whose
    /// two edges a rerun crosses far more often than the point crosses one.
    pub fn of(s: &Estimate, margin: f64) -> Outcome {
        let (up, down) = (1.0 + margin, 1.0 / (1.0 + margin));
        if s.point > up {
            if s.lo > 1.0 {
                Outcome::Faster
            } else {
                Outcome::Unclear
            }
        } else if s.point < down {
            if s.hi < 1.0 {
                Outcome::Slower
            } else {
                Outcome::Unclear
            }
        } else if s.lo < down && s.hi > up {
            Outcome::Unclear
        } else {
            Outcome::Level
        }
    }

    /// The word for an outcome, with an unclear one said as the range it spans.
    fn word_for(self, s: &Estimate) -> String {
        match self {
            Outcome::Unclear => format!("between {:.2}x and {:.2}x", s.lo, s.hi),
            o => o.word().to_string(),
        }
    }

    fn word(self) -> &'static str {
        match self {
            Outcome::Faster => "faster",
            Outcome::Level => "level",
            Outcome::Slower => "slower",
            Outcome::Unclear => "unclear",
        }
    }
}

/// What a hint expects of one variant against `bad` at one size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    /// The variant compared with `bad`.
    pub variant: &'static str,
    /// Faster is allowed.
    pub faster: bool,
    /// Level is allowed.
    pub level: bool,
    /// Slower is allowed.
    pub slower: bool,
    /// When faster: by at least this factor (the sources' figure); a smaller
    /// win is only "partly". 1 when the prediction names no factor: then
    /// faster means beyond the run's margin.
    pub by: f64,
}

impl Prediction {
    /// `variant` is faster than `bad`.
    pub const fn faster(variant: &'static str) -> Prediction {
        Prediction {
            variant,
            faster: true,
            level: false,
            slower: false,
            by: 1.0,
        }
    }

    /// `variant` is level with `bad`: no practical difference.
    pub const fn level(variant: &'static str) -> Prediction {
        Prediction {
            variant,
            faster: false,
            level: true,
            slower: false,
            by: 1.0,
        }
    }

    /// `variant` is slower than `bad`: the hint says it stops winning here.
    pub const fn slower(variant: &'static str) -> Prediction {
        Prediction {
            variant,
            faster: false,
            level: false,
            slower: true,
            by: 1.0,
        }
    }

    /// Faster by at least `factor`, the sources' figure.
    pub const fn by(mut self, factor: f64) -> Prediction {
        self.by = factor;
        self
    }

    /// Level is allowed as well.
    pub const fn or_level(mut self) -> Prediction {
        self.level = true;
        self
    }

    /// Slower is allowed as well.
    pub const fn or_slower(mut self) -> Prediction {
        self.slower = true;
        self
    }

    /// Faster is allowed as well.
    pub const fn or_faster(mut self) -> Prediction {
        self.faster = true;
        self
    }

    /// The outcomes a speedup `s` from a hint's cost model allows: faster
    /// from 1.25x, slower below 1/1.25, level within 5 % of 1, and in between
    /// level or the side `s` is on (a model's figures are rough).
    pub fn from_model(variant: &'static str, s: f64) -> Prediction {
        if s >= 1.25 {
            Prediction::faster(variant)
        } else if s <= 0.8 {
            Prediction::slower(variant)
        } else if (1.0 / 1.05..=1.05).contains(&s) {
            Prediction::level(variant)
        } else if s > 1.0 {
            Prediction::faster(variant).or_level()
        } else {
            Prediction::level(variant).or_slower()
        }
    }

    /// Whether every speedup in `lo..=hi` is one the prediction allows: an
    /// interval that straddles a margin is still allowed when the outcomes
    /// on both sides are.
    pub fn allows_all(&self, lo: f64, hi: f64, margin: f64) -> bool {
        let (up, down) = (1.0 + margin, 1.0 / (1.0 + margin));
        let slower_part = lo < down;
        let level_part = hi >= down && lo <= up;
        let faster_part = hi > up;
        (!slower_part || self.slower)
            && (!level_part || self.level)
            && (!faster_part || self.faster)
    }

    /// Whether some speedup in `lo..=hi` is one the prediction allows.
    pub fn allows_any(&self, lo: f64, hi: f64, margin: f64) -> bool {
        let (up, down) = (1.0 + margin, 1.0 / (1.0 + margin));
        (self.slower && lo < down)
            || (self.level && hi >= down && lo <= up)
            || (self.faster && hi > up)
    }

    /// Whether the prediction allows `o` (never [`Outcome::Unclear`]).
    pub fn allows(&self, o: Outcome) -> bool {
        match o {
            Outcome::Faster => self.faster,
            Outcome::Level => self.level,
            Outcome::Slower => self.slower,
            Outcome::Unclear => false,
        }
    }

    /// The prediction in a few words, for the table: `good faster`,
    /// `good ≥ 10x`, `good level`, `bad faster than good`, `good faster or level`.
    pub fn label(&self) -> String {
        let v = self.variant;
        let mut parts = Vec::new();
        if self.faster && self.by > 1.0 {
            parts.push(format!("{v} ≥ {}x", trim(self.by)));
        } else if self.faster {
            parts.push(format!("{v} faster"));
        }
        if self.level {
            parts.push(if parts.is_empty() {
                format!("{v} level")
            } else {
                "level".to_string()
            });
        }
        if self.slower {
            parts.push(if parts.is_empty() {
                format!("bad faster than {v}")
            } else {
                "slower".to_string()
            });
        }
        parts.join(" or ")
    }

    /// A speedup this prediction allows, for tests: faster by its factor
    /// and then some, or level, or slower.
    pub fn example_allowed(&self) -> f64 {
        if self.faster {
            self.by.max(1.0 + MAX_MARGIN) * 1.5
        } else if self.level {
            1.0
        } else {
            0.5
        }
    }

    /// A speedup this prediction excludes, if any, for tests.
    pub fn example_excluded(&self) -> Option<f64> {
        if !self.slower {
            Some(0.5)
        } else if !self.faster {
            Some(3.0 * self.by.max(1.0 + MAX_MARGIN))
        } else if !self.level {
            Some(1.0)
        } else {
            None
        }
    }
}

fn worst(a: Level, b: Level) -> Level {
    if b.severity() > a.severity() { b } else { a }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The lines a verdict on `p` is drawn at: the margin either side of 1 and,
/// where the prediction names the sources' factor, that factor.
fn lines(p: &Prediction, margin: f64) -> Vec<f64> {
    let mut l = vec![1.0 / (1.0 + margin), 1.0 + margin];
    if p.faster && p.by > 1.0 {
        l.push(p.by);
    }
    l
}

/// The range of the builds' speedups when it makes the row
/// layout-sensitive: the builds (the same code laid out differently) span
/// more than the margin, and a line the verdict is drawn at lies inside
/// that span, so which side the row lands on depends on the build. From
/// five builds on, the span is the middle half of the builds (a quarter, rounded
/// down, left out at each end: the second to fifth of six, the third to
/// seventh of nine): one or two processes disturbed as a whole are noise,
/// not layout, while a layout effect that moves a quarter of the builds
/// still shows. `None` with fewer than two builds, or when the builds land
/// on one side.
pub fn layout_spread(p: &Prediction, builds: &[f64], margin: f64) -> Option<(f64, f64)> {
    if builds.len() < 2 {
        return None;
    }
    let mut sorted = builds.to_vec();
    sorted.sort_by(f64::total_cmp);
    let cut = if sorted.len() >= 5 {
        sorted.len() / 4
    } else {
        0
    };
    let inner = &sorted[cut..sorted.len() - cut];
    let (lo, hi) = (inner[0], inner[inner.len() - 1]);
    let wide = hi / lo > 1.0 + margin;
    let crosses = lines(p, margin).iter().any(|&l| lo < l && hi > l);
    (wide && crosses).then_some((sorted[0], sorted[sorted.len() - 1]))
}

/// Judges one row: every prediction against the row's speedups, and the
/// mechanism's failures (`mechanism`: what the hint's deterministic
/// expectations found wrong at this size; `missing`: the figures they need
/// that were not measured), against the run's practical `margin`. The
/// verdict is the worst of the predictions'.
pub fn judge(
    predictions: &[Prediction],
    row: &Row,
    mechanism: &[String],
    missing: &[String],
    margin: f64,
) -> Verdict {
    if let Some(f) = mechanism.first() {
        return Verdict::new(Level::DoesNotHold, format!("mechanism fails: {f}"));
    }
    let mut level = Level::Holds;
    let mut why = Vec::new();
    // A variant the row has no entry for at all is newer than the record (or
    // left out of the run): the row is judged on the variants it has, and
    // says which it lacks. A row with none of them is not judged.
    let any = predictions.iter().any(|p| row.variant(p.variant).is_some());
    for p in predictions {
        if any && row.variant(p.variant).is_none() {
            why.push(format!("{} not in this record", p.variant));
            continue;
        }
        let Some(s) = row.speedup(p.variant) else {
            level = worst(level, Level::NotJudged);
            why.push(format!("{} not timed in this run", p.variant));
            continue;
        };
        let builds: &[f64] = row.variant(p.variant).map_or(&[], |v| &v.builds);
        if let Some((lo, hi)) = layout_spread(p, builds, margin) {
            level = worst(level, Level::LayoutSensitive);
            why.push(format!(
                "{} {lo:.2}-{hi:.2}x across {} builds",
                p.variant,
                builds.len()
            ));
            continue;
        }
        let o = Outcome::of(&s, margin);
        let (l, note) =
            if p.allows(o) || (o == Outcome::Unclear && p.allows_all(s.lo, s.hi, margin)) {
                if o == Outcome::Faster && s.point < p.by {
                    (
                        Level::Partly,
                        format!(
                            "{} {:.2}x faster, less than the {}x claimed",
                            p.variant,
                            s.point,
                            trim(p.by)
                        ),
                    )
                } else {
                    (
                        Level::Holds,
                        format!("{} {} ({:.2}x)", p.variant, o.word_for(&s), s.point),
                    )
                }
            } else if o == Outcome::Unclear && p.allows_any(s.lo, s.hi, margin) {
                (
                    Level::Partly,
                    format!(
                        "{} {:.2}x, interval {:.2}-{:.2}: cannot tell at the ±{:.0} % margin",
                        p.variant,
                        s.point,
                        s.lo,
                        s.hi,
                        margin * 100.0
                    ),
                )
            } else {
                (
                    Level::DoesNotHold,
                    format!(
                        "{} {} ({:.2}x), expected {}",
                        p.variant,
                        o.word_for(&s),
                        s.point,
                        p.label()
                    ),
                )
            };
        level = worst(level, l);
        why.push(note);
    }
    if !missing.is_empty() {
        why.push(format!("mechanism not checked: {}", missing.join("; ")));
    }
    Verdict::new(level, why.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(point: f64, lo: f64, hi: f64) -> Estimate {
        Estimate { point, lo, hi }
    }

    #[test]
    fn outcomes_take_the_side_from_the_point_and_certainty_from_the_interval() {
        // The point decides the side at the margin (here ±10 %)...
        assert_eq!(Outcome::of(&est(1.2, 1.11, 1.3), MARGIN), Outcome::Faster);
        assert_eq!(Outcome::of(&est(1.2, 1.05, 1.3), MARGIN), Outcome::Faster);
        assert_eq!(Outcome::of(&est(1.05, 1.01, 1.12), MARGIN), Outcome::Level);
        assert_eq!(Outcome::of(&est(1.0, 0.95, 1.05), MARGIN), Outcome::Level);
        assert_eq!(Outcome::of(&est(0.8, 0.7, 0.9), MARGIN), Outcome::Slower);
        assert_eq!(Outcome::of(&est(0.85, 0.8, 0.95), MARGIN), Outcome::Slower);
        // ...and the interval whether the run can tell.
        assert_eq!(Outcome::of(&est(1.2, 0.98, 1.4), MARGIN), Outcome::Unclear);
        assert_eq!(Outcome::of(&est(0.85, 0.7, 1.02), MARGIN), Outcome::Unclear);
        assert_eq!(Outcome::of(&est(1.0, 0.8, 1.25), MARGIN), Outcome::Unclear);
    }

    #[test]
    fn builds_across_a_line_are_layout_sensitive() {
        let faster = Prediction::faster("good");
        // Two builds each side of the margin: layout-sensitive, with the full range.
        let split = [1.0, 1.01, 1.3, 1.32, 1.0, 1.31];
        assert_eq!(layout_spread(&faster, &split, 0.05), Some((1.0, 1.32)));
        // All past the margin: judged, however wide.
        assert_eq!(
            layout_spread(&faster, &[1.3, 1.6, 2.0, 1.4, 1.5], 0.05),
            None
        );
        // One build off on its own is left out.
        assert_eq!(
            layout_spread(&faster, &[1.0, 1.3, 1.31, 1.32, 1.3, 1.29], 0.05),
            None
        );
        // Of nine builds, two low ones are left out; three low ones (a third
        // of the builds) are a layout effect.
        let nine = [1.0, 1.01, 1.3, 1.31, 1.32, 1.3, 1.29, 1.33, 1.3];
        assert_eq!(layout_spread(&faster, &nine, 0.05), None);
        let three_low = [1.0, 1.01, 1.02, 1.31, 1.32, 1.3, 1.29, 1.33, 1.3];
        assert_eq!(layout_spread(&faster, &three_low, 0.05), Some((1.0, 1.33)));
        // Within the margin of each other: judged, even across a line.
        assert_eq!(
            layout_spread(&faster, &[1.03, 1.06, 1.04, 1.05, 1.06], 0.05),
            None
        );
        // A claimed factor is a line too.
        let by2 = Prediction::faster("good").by(2.0);
        assert!(layout_spread(&by2, &[1.7, 1.8, 2.2, 2.3], 0.05).is_some());
        assert_eq!(layout_spread(&faster, &[1.7], 0.05), None);
    }

    #[test]
    fn labels_read_as_the_table_shows_them() {
        assert_eq!(Prediction::faster("good").label(), "good faster");
        assert_eq!(Prediction::faster("good").by(10.0).label(), "good ≥ 10x");
        assert_eq!(Prediction::level("good").label(), "good level");
        assert_eq!(Prediction::slower("good").label(), "bad faster than good");
        assert_eq!(
            Prediction::faster("good").or_level().label(),
            "good faster or level"
        );
        assert_eq!(
            Prediction::level("good").or_slower().label(),
            "good level or slower"
        );
    }

    #[test]
    fn the_judge_grades_direction_factor_and_mechanism() {
        let row = |s: f64, spread: f64| {
            let f = |ns: f64| crate::model::VariantFigures {
                name: String::new(),
                time: Some(est(ns, ns * (1.0 - spread), ns * (1.0 + spread))),
                ..Default::default()
            };
            let mut bad = f(100.0);
            bad.name = "bad".into();
            let mut good = f(100.0 / s);
            good.name = "good".into();
            Row::new("10", vec![bad, good])
        };
        let by10 = [Prediction::faster("good").by(10.0)];
        assert_eq!(
            judge(&by10, &row(20.0, 0.01), &[], &[], MARGIN).level,
            Level::Holds
        );
        assert_eq!(
            judge(&by10, &row(3.0, 0.01), &[], &[], MARGIN).level,
            Level::Partly
        );
        assert_eq!(
            judge(&by10, &row(0.5, 0.01), &[], &[], MARGIN).level,
            Level::DoesNotHold
        );
        // Past the margin, but an interval that reaches 1: cannot tell.
        assert_eq!(
            judge(&by10, &row(1.3, 0.2), &[], &[], MARGIN).level,
            Level::Partly
        );
        // Within the margin: level, which "faster" excludes, even when the
        // interval reaches past the margin on one side.
        assert_eq!(
            judge(&by10, &row(1.05, 0.05), &[], &[], MARGIN).level,
            Level::DoesNotHold
        );
        // An interval across the slower/level line is allowed when both are,
        // and does not hold when neither is.
        let level_or_slower = [Prediction::level("good").or_slower()];
        let across = row(0.9, 0.08);
        assert_eq!(
            judge(&level_or_slower, &across, &[], &[], MARGIN).level,
            Level::Holds
        );
        let faster = [Prediction::faster("good")];
        assert_eq!(
            judge(&faster, &across, &[], &[], MARGIN).level,
            Level::DoesNotHold
        );
        let fails = ["good/10: allocations 2, expected exactly 1".to_string()];
        assert_eq!(
            judge(&by10, &row(20.0, 0.01), &fails, &[], MARGIN).level,
            Level::DoesNotHold
        );
        let v = judge(
            &by10,
            &row(20.0, 0.01),
            &[],
            &["good's instructions".into()],
            MARGIN,
        );
        assert_eq!(v.level, Level::Holds);
        assert!(v.why.contains("not checked"), "{v:?}");
    }
}
