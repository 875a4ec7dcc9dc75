//! The sources' claim, judged apart from the crate's own model.
//!
//! Every hint restates a claim from its source documents (`Hint::CLAIM`,
//! as a prediction per size in `Hint::claimed`): mostly "`good` is
//! faster", sometimes with the factor the sources name. The crate's own
//! model (`Hint::predict`) goes further: where the hint stops winning, what
//! third variants do. The two fail for different reasons (a refuted claim is
//! a finding about the advice; a missed model is a finding about this
//! crate), so each row is judged against both, and this module sums up the
//! claim's rows into one word for the hint:
//!
//! - **holds**: the claim holds at every size judged;
//! - **bounded**: it holds at some sizes and not at others (the text says
//!   where: "holds up to 1000", "holds from 64");
//! - **refuted**: it holds at no size judged;
//! - **not judged**: no size could be judged (layout-sensitive or not timed
//!   at every size).

use crate::model::{Level, Verdict};

/// What the record says of the sources' claim across a hint's sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClaimOutcome {
    Holds,
    Bounded,
    Refuted,
    NotJudged,
}

impl ClaimOutcome {
    pub fn label(self) -> &'static str {
        match self {
            ClaimOutcome::Holds => "holds",
            ClaimOutcome::Bounded => "bounded",
            ClaimOutcome::Refuted => "refuted",
            ClaimOutcome::NotJudged => "not judged",
        }
    }

    /// The row level a chart colours this outcome as.
    pub fn level(self) -> Level {
        match self {
            ClaimOutcome::Holds => Level::Holds,
            ClaimOutcome::Bounded => Level::Partly,
            ClaimOutcome::Refuted => Level::DoesNotHold,
            ClaimOutcome::NotJudged => Level::NotJudged,
        }
    }
}

/// The claim's outcome over a hint's sizes, and where it holds, in words:
/// "holds up to 1000; not at 100000 and 1000000".
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimJudgement {
    pub outcome: ClaimOutcome,
    pub text: String,
}

/// `a`, `a and b`, `a, b and c`.
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Sums up the claim's verdict at each size (`(size label, verdict)`, in
/// size order) into one outcome with the sizes behind it.
pub fn summarise(per_size: &[(String, Verdict)]) -> ClaimJudgement {
    let at = |level: Level| -> Vec<String> {
        per_size
            .iter()
            .filter(|(_, v)| v.level == level)
            .map(|(s, _)| s.clone())
            .collect()
    };
    let (holds, partly, not) = (at(Level::Holds), at(Level::Partly), at(Level::DoesNotHold));
    let sensitive = at(Level::LayoutSensitive);
    let judged = holds.len() + partly.len() + not.len();
    let outcome = if judged == 0 {
        ClaimOutcome::NotJudged
    } else if holds.len() == judged {
        ClaimOutcome::Holds
    } else if holds.is_empty() && partly.is_empty() {
        ClaimOutcome::Refuted
    } else {
        ClaimOutcome::Bounded
    };
    let mut parts = Vec::new();
    let all = per_size.len();
    if !holds.is_empty() {
        let idx: Vec<usize> = per_size
            .iter()
            .enumerate()
            .filter(|(_, (_, v))| v.level == Level::Holds)
            .map(|(i, _)| i)
            .collect();
        let contiguous = idx.windows(2).all(|w| w[1] == w[0] + 1);
        parts.push(if holds.len() == all {
            "holds at every size".to_string()
        } else if contiguous && idx[0] == 0 && holds.len() > 1 {
            format!("holds up to {}", holds[holds.len() - 1])
        } else if contiguous && idx[idx.len() - 1] == all - 1 && holds.len() > 1 {
            format!("holds from {}", holds[0])
        } else {
            format!("holds at {}", list(&holds))
        });
    }
    if !partly.is_empty() {
        parts.push(if partly.len() == all {
            "short of the claimed factor, or unclear, at every size".to_string()
        } else {
            format!(
                "short of the claimed factor, or unclear, at {}",
                list(&partly)
            )
        });
    }
    if !not.is_empty() {
        parts.push(if not.len() == all {
            "not at any size".to_string()
        } else {
            format!("not at {}", list(&not))
        });
    }
    if !sensitive.is_empty() {
        parts.push(if sensitive.len() == all {
            "layout-sensitive at every size".to_string()
        } else {
            format!("layout-sensitive at {}", list(&sensitive))
        });
    }
    let unjudged = at(Level::NotJudged);
    if !unjudged.is_empty() {
        parts.push(format!("not timed at {}", list(&unjudged)));
    }
    ClaimJudgement {
        outcome,
        text: parts.join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(levels: &[Level]) -> Vec<(String, Verdict)> {
        levels
            .iter()
            .enumerate()
            .map(|(i, &l)| {
                (
                    format!("{}", 10usize.pow(i as u32 + 1)),
                    Verdict::new(l, ""),
                )
            })
            .collect()
    }

    #[test]
    fn the_claim_is_summed_up_by_where_it_holds() {
        use Level::*;
        let j = summarise(&sizes(&[Holds, Holds, Holds]));
        assert_eq!(j.outcome, ClaimOutcome::Holds);
        assert_eq!(j.text, "holds at every size");
        let j = summarise(&sizes(&[Holds, Holds, DoesNotHold]));
        assert_eq!(j.outcome, ClaimOutcome::Bounded);
        assert_eq!(j.text, "holds up to 100; not at 1000");
        let j = summarise(&sizes(&[DoesNotHold, Holds, Holds]));
        assert_eq!(j.text, "holds from 100; not at 10");
        let j = summarise(&sizes(&[DoesNotHold, DoesNotHold]));
        assert_eq!(j.outcome, ClaimOutcome::Refuted);
        assert_eq!(j.text, "not at any size");
        let j = summarise(&sizes(&[Partly, DoesNotHold]));
        assert_eq!(j.outcome, ClaimOutcome::Bounded);
        let j = summarise(&sizes(&[LayoutSensitive, Holds]));
        assert_eq!(j.outcome, ClaimOutcome::Holds);
        assert_eq!(j.text, "holds at 100; layout-sensitive at 10");
        let j = summarise(&sizes(&[LayoutSensitive, LayoutSensitive]));
        assert_eq!(j.outcome, ClaimOutcome::NotJudged);
        let j = summarise(&sizes(&[Holds, DoesNotHold, Holds]));
        assert_eq!(j.text, "holds at 10 and 1000; not at 100");
    }
}
