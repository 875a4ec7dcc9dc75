//! A hint's rows grouped by series (thread count, key shape) in size order,
//! and the break-even of `good` along one of them: what the atlas and
//! `compare` both read from a record.

use crate::judge::break_even::BreakEven;
use crate::model::{Estimate, HintRun};

/// A hint's rows grouped by series (thread count, key shape), each with its
/// points in x order: `(series, [(x, key)])`.
fn series(h: &HintRun) -> Vec<(String, Vec<(f64, String)>)> {
    let entry = crate::hints::get(&h.id);
    let mut out: Vec<(String, Vec<(f64, String)>)> = Vec::new();
    for r in &h.rows {
        let (s, x) = entry
            .and_then(|e| e.point(&r.param))
            .map_or((String::new(), r.param.parse().unwrap_or(0.0)), |p| {
                (p.series, p.x)
            });
        match out.iter_mut().find(|(name, _)| *name == s) {
            Some((_, v)) => v.push((x, r.param.clone())),
            None => out.push((s, vec![(x, r.param.clone())])),
        }
    }
    for (_, v) in &mut out {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    out
}

/// The names of a hint's series, in the order the record has them.
pub fn series_names(h: &HintRun) -> Vec<String> {
    series(h).into_iter().map(|(name, _)| name).collect()
}

/// The break-even of `good` in a hint's main series (the last: the most
/// threads, for the thread hints), with the series' name (empty for a hint
/// with one series), against the record's `margin`.
pub fn break_even(h: &HintRun, margin: f64) -> Option<(String, BreakEven)> {
    let name = series_names(h).pop()?;
    break_even_in(h, margin, &name).map(|b| (name, b))
}

/// The break-even of `good` along the series named `name`.
pub fn break_even_in(h: &HintRun, margin: f64, name: &str) -> Option<BreakEven> {
    let (_, keys) = series(h).into_iter().find(|(n, _)| n == name)?;
    let points: Vec<(f64, Estimate)> = keys
        .iter()
        .filter_map(|(x, key)| {
            let row = h.rows.iter().find(|r| &r.param == key)?;
            Some((*x, row.speedup("good")?))
        })
        .collect();
    BreakEven::of(&points, margin)
}
