//! Every verdict can fail: for every hint and every size, a synthetic row
//! whose speedups its prediction allows is judged "holds", and one whose
//! outcome the prediction excludes is judged "does not hold". A hint that
//! declares no prediction, or whose prediction allows everything, fails.
//!
//! The rows carry times only (no counts), so the judgement is the time's
//! alone, as on a machine without valgrind.

use perf_hints::judge::predict::MARGIN;
use perf_hints::model::{Estimate, Level, Row, VariantFigures};

/// A time with a tight interval (±1 %), so the outcome is clear.
fn time(ns: f64) -> Option<Estimate> {
    Some(Estimate {
        point: ns,
        lo: ns * 0.99,
        hi: ns * 1.01,
    })
}

/// A row of `key` where each variant runs `bad`'s time ÷ its speedup.
fn row(key: &str, variants: &[&str], speedup: &dyn Fn(&str) -> f64) -> Row {
    Row::new(
        key,
        variants
            .iter()
            .map(|v| VariantFigures {
                name: v.to_string(),
                time: time(1000.0 / if *v == "bad" { 1.0 } else { speedup(v) }),
                ..VariantFigures::default()
            })
            .collect(),
    )
}

#[test]
fn every_prediction_can_hold_and_can_fail() {
    let mut problems = Vec::new();
    for e in perf_hints::hints::all() {
        // The variants come from the list when the hint is off in this
        // build (no variants): the predictions name them.
        for size in e.sizes() {
            let preds = e.predictions(&size.key);
            let at = format!("{}/{}", e.id(), size.key);
            if preds.is_empty() {
                problems.push(format!("{at}: no prediction declared"));
                continue;
            }
            let mut names: Vec<&str> = vec!["bad"];
            names.extend(e.variants());
            for p in &preds {
                if !names.contains(&p.variant) {
                    names.push(p.variant);
                }
            }
            let allowed = |v: &str| {
                preds
                    .iter()
                    .find(|p| p.variant == v)
                    .map_or(1.0, |p| p.example_allowed())
            };
            let holds = row(&size.key, &names, &allowed);
            match e.verdict(&holds, MARGIN) {
                Some(v) if v.level == Level::Holds => {}
                v => problems.push(format!("{at}: an allowed row is judged {v:?}")),
            }
            for p in &preds {
                let Some(bad) = p.example_excluded() else {
                    problems.push(format!(
                        "{at}: the prediction for {} ({}) allows every outcome",
                        p.variant,
                        p.label()
                    ));
                    continue;
                };
                let excluded = row(&size.key, &names, &|v| {
                    if v == p.variant { bad } else { allowed(v) }
                });
                match e.verdict(&excluded, MARGIN) {
                    Some(v) if v.level == Level::DoesNotHold => {}
                    v => problems.push(format!(
                        "{at}: {} at {bad}x, which {} excludes, is judged {v:?}",
                        p.variant,
                        p.label()
                    )),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The sources' claim is judged apart from the model, and can fail the same
/// way: at every size where a hint states it, a row its claim allows is
/// judged "holds" on the claim, and one it excludes is judged against it.
#[test]
fn every_claim_can_hold_and_can_fail() {
    let mut problems = Vec::new();
    let mut claimed = 0;
    for e in perf_hints::hints::all() {
        for size in e.sizes() {
            let at = format!("{}/{}", e.id(), size.key);
            let Some(claim) = e.claimed(&size.key) else {
                continue;
            };
            claimed += 1;
            let names = ["bad", claim.variant];
            let allowed = row(&size.key, &names, &|_| claim.example_allowed());
            match e.claim_verdict(&allowed, MARGIN) {
                Some(v) if v.level == Level::Holds => {}
                v => problems.push(format!("{at}: a row the claim allows is judged {v:?}")),
            }
            let Some(bad) = claim.example_excluded() else {
                problems.push(format!(
                    "{at}: the claim ({}) allows every outcome",
                    claim.label()
                ));
                continue;
            };
            let excluded = row(&size.key, &names, &|_| bad);
            match e.claim_verdict(&excluded, MARGIN) {
                Some(v) if v.level == Level::DoesNotHold => {}
                v => problems.push(format!(
                    "{at}: {bad}x, which the claim ({}) excludes, is judged {v:?}",
                    claim.label()
                )),
            }
        }
    }
    assert!(
        claimed > 100,
        "only {claimed} sizes state the sources' claim"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_row_without_times_is_not_judged_and_says_so() {
    let e = perf_hints::hints::get("with_capacity").unwrap();
    let key = &e.sizes()[1].key;
    let r = Row::new(key.clone(), Vec::new());
    let v = e.verdict(&r, MARGIN).unwrap();
    assert_eq!(v.level, Level::NotJudged, "{v:?}");
    assert!(v.why.contains("not timed"), "{v:?}");
}

/// A record made before a variant existed judges the row on the variants it
/// has and names the one it lacks; it is judged "holds" or "does not hold"
/// on those alone, never left unjudged for the newcomer.
#[test]
fn a_variant_newer_than_the_record_is_named_and_the_rest_judged() {
    use perf_hints::judge::predict::{Prediction, judge};
    let predictions = [Prediction::faster("good"), Prediction::faster("view")];
    let with = |good: f64| row("10", &["bad", "good"], &move |_| good);
    let holds = judge(&predictions, &with(2.0), &[], &[], MARGIN);
    assert_eq!(holds.level, Level::Holds, "{holds:?}");
    assert!(holds.why.contains("view not in this record"), "{holds:?}");
    let fails = judge(&predictions, &with(0.5), &[], &[], MARGIN);
    assert_eq!(fails.level, Level::DoesNotHold, "{fails:?}");
    // A timed variant without a time is still "not timed", not skipped.
    let mut untimed = with(2.0);
    untimed.variants[1].time = None;
    let v = judge(&predictions, &untimed, &[], &[], MARGIN);
    assert_eq!(v.level, Level::NotJudged, "{v:?}");
}
