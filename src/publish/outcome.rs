//! What a hint's record says, in words generated from it: the sources'
//! claim with its verdict, where each variant wins, by how much and where it
//! stops, and how the crate's own model fared. Hand prose in a module's doc
//! keeps the why; every figure and direction a reader is told comes from
//! here, so no sentence can contradict the table beside it.

use std::fmt::Write as _;

use crate::judge::claim::{self, ClaimJudgement, list};
use crate::judge::predict::{Outcome, Prediction, layout_spread};
use crate::model::{HintRun, Level, Row, Verdict};
use crate::support::fmt::fmt_ratio_short;

/// The verdict of the hint named `id` on `row`, judged with the run's
/// practical `margin` ([`crate::model::Run::margin`]), or `None` for an id the list no
/// longer has.
pub fn verdict(id: &str, row: &Row, margin: f64) -> Option<Verdict> {
    crate::hints::get(id)?.verdict(row, margin)
}

/// How the table shows the size keyed `key` of the hint named `id`
/// ([`crate::model::Param::label`]); the key itself for a hint or key the
/// list does not have.
pub fn size_label(id: &str, key: &str) -> String {
    crate::hints::get(id)
        .and_then(|e| e.point(key))
        .map_or_else(|| key.to_string(), |p| p.label)
}

/// The sources' claim at the hint's sizes, judged on this record, with the
/// prediction it is judged as (the one at the first size that has one).
pub fn claim(h: &HintRun, margin: f64) -> Option<(Prediction, ClaimJudgement)> {
    let entry = crate::hints::get(&h.id)?;
    let first = h.rows.iter().find_map(|r| entry.claimed(&r.param))?;
    let per_size: Vec<_> = h
        .rows
        .iter()
        .filter_map(|r| {
            let v = entry.claim_verdict(r, margin)?;
            Some((size_label(&h.id, &r.param), v))
        })
        .collect();
    Some((first, claim::summarise(&per_size)))
}

/// One variant's outcome against `bad` at one row.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Seen {
    Faster,
    Level,
    Slower,
    Unclear,
    /// The builds' range.
    LayoutSensitive(f64, f64),
}

fn seen(row: &Row, variant: &str, margin: f64) -> Option<(Seen, f64)> {
    let s = row.speedup(variant)?;
    let builds = row.variant(variant).map_or(&[][..], |v| &v.builds[..]);
    // Lines at the margin only: where a variant wins is the record's, not
    // the claim's.
    let lines = Prediction::faster("good");
    if let Some((lo, hi)) = layout_spread(&lines, builds, margin) {
        return Some((Seen::LayoutSensitive(lo, hi), s.point));
    }
    let o = match Outcome::of(&s, margin) {
        Outcome::Faster => Seen::Faster,
        Outcome::Level => Seen::Level,
        Outcome::Slower => Seen::Slower,
        Outcome::Unclear => Seen::Unclear,
    };
    Some((o, s.point))
}

/// Whether a row's outcome is of one kind.
type SeenTest = fn(&Seen) -> bool;

fn range(points: &[f64]) -> String {
    let lo = points.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = points.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if fmt_ratio_short(lo) == fmt_ratio_short(hi) {
        format!("{}x", fmt_ratio_short(lo))
    } else {
        format!("{}x to {}x", fmt_ratio_short(lo), fmt_ratio_short(hi))
    }
}

/// "faster at 10 and 1000 (1.6x to 2.5x); layout-sensitive at 100000
/// (builds 1.00x to 1.23x)": a variant's rows grouped by what they show.
fn variant_sentence(h: &HintRun, variant: &str, margin: f64) -> Option<String> {
    let seen: Vec<(String, Seen, f64)> = h
        .rows
        .iter()
        .filter_map(|r| {
            let (s, p) = seen(r, variant, margin)?;
            Some((size_label(&h.id, &r.param), s, p))
        })
        .collect();
    if seen.is_empty() {
        return None;
    }
    let every = seen.len() == h.rows.len();
    let mut parts = Vec::new();
    let kinds: [(&str, SeenTest); 5] = [
        ("faster", |s| *s == Seen::Faster),
        ("level", |s| *s == Seen::Level),
        ("slower", |s| *s == Seen::Slower),
        ("unclear", |s| *s == Seen::Unclear),
        ("layout-sensitive", |s| {
            matches!(s, Seen::LayoutSensitive(..))
        }),
    ];
    for (word, is) in kinds {
        let rows: Vec<&(String, Seen, f64)> = seen.iter().filter(|(_, s, _)| is(s)).collect();
        if rows.is_empty() {
            continue;
        }
        let at = if every && rows.len() == seen.len() {
            "at every size".to_string()
        } else {
            let sizes: Vec<String> = rows.iter().map(|(l, ..)| l.clone()).collect();
            format!("at {}", list(&sizes))
        };
        let figure = match rows[0].1 {
            Seen::LayoutSensitive(..) => {
                let mut ends = Vec::new();
                for (_, s, _) in &rows {
                    if let Seen::LayoutSensitive(lo, hi) = s {
                        ends.extend([*lo, *hi]);
                    }
                }
                format!(" (its builds {})", range(&ends))
            }
            Seen::Level => String::new(),
            Seen::Unclear => " (its interval reaches past the margin on both sides)".to_string(),
            _ => {
                let points: Vec<f64> = rows.iter().map(|(.., p)| *p).collect();
                format!(" ({})", range(&points))
            }
        };
        parts.push(format!("{word} {at}{figure}"));
    }
    Some(format!("`{variant}` against `bad`: {}.", parts.join("; ")))
}

/// How the crate's own model fared: its verdict counted over the rows.
fn model_sentence(h: &HintRun, margin: f64) -> String {
    let verdicts: Vec<(String, Level)> = h
        .rows
        .iter()
        .filter_map(|r| {
            Some((
                size_label(&h.id, &r.param),
                verdict(&h.id, r, margin)?.level,
            ))
        })
        .collect();
    let n = verdicts.len();
    let mut parts = Vec::new();
    for level in [
        Level::Holds,
        Level::Partly,
        Level::DoesNotHold,
        Level::LayoutSensitive,
        Level::NotJudged,
    ] {
        let sizes: Vec<String> = verdicts
            .iter()
            .filter(|(_, l)| *l == level)
            .map(|(s, _)| s.clone())
            .collect();
        if sizes.is_empty() {
            continue;
        }
        parts.push(if sizes.len() == n {
            format!("{} at every size", level.label())
        } else if level == Level::Holds {
            format!("{} at {} of {n} sizes", level.label(), sizes.len())
        } else {
            format!("{} at {}", level.label(), list(&sizes))
        });
    }
    format!(
        "The crate's own model (the *model predicts* column, which also says where \
         the hint stops winning and what the other variants do): {}.",
        parts.join("; ")
    )
}

/// The sources' claim with its verdict, one line.
pub fn claim_line(h: &HintRun, margin: f64) -> String {
    match claim(h, margin) {
        Some((p, j)) => format!(
            "**The sources' claim:** {} (judged as *{}*): **{}**, {}.",
            h.claim,
            p.label(),
            j.outcome.label(),
            j.text
        ),
        None => format!("**The sources' claim:** {} (not judged on time).", h.claim),
    }
}

/// The generated outcome: the claim line, then one line per compared
/// variant and one for the model, as a markdown list.
pub fn render(h: &HintRun, margin: f64, out: &mut String) {
    let _ = writeln!(out, "{}\n", claim_line(h, margin));
    let names: Vec<&str> = h
        .rows
        .first()
        .map(|r| r.variants.iter().skip(1).map(|v| v.name.as_str()).collect())
        .unwrap_or_default();
    let _ = writeln!(out, "What this record shows (generated from it):\n");
    for n in names {
        if let Some(s) = variant_sentence(h, n, margin) {
            let _ = writeln!(out, "- {s}");
        }
    }
    let _ = writeln!(out, "- {}\n", model_sentence(h, margin));
}
