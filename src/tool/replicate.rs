//! From the measuring processes' samples to a run's rows: each figure
//! combined over processes and builds ([`combine`]), the deterministic
//! counts merged in ([`merge`]), the A/A control as a gate ([`gate`]), and
//! the rows whose interval crosses a line ([`crossing`]).

use crate::model::{self, HintRun, MARGIN, Noise, VariantFigures};

use crate::measure::paired::{self, Within};
use crate::measure::runner::Measured;

/// The hint whose `bad` and `good` are two copies of the same code: it
/// gates the run ([`gate`]).
pub const CONTROL: &str = "aa_control";

/// The layouts of `processes`, in the order they first appear.
pub fn layouts(processes: &[Measured]) -> Vec<u64> {
    let mut seen = Vec::new();
    for p in processes {
        if !seen.contains(&p.layout) {
            seen.push(p.layout);
        }
    }
    seen
}

/// The rows of every hint that ran, from the processes' samples: times
/// per call and paired speedups, each build's processes combined and the
/// figure taken across builds ([`paired::across_builds`]).
pub fn combine(processes: &[Measured]) -> Vec<HintRun> {
    let Some(first) = processes.first() else {
        return Vec::new();
    };
    let layouts = layouts(processes);
    // Each build's processes' figure from `f`, build by build.
    let by_build = |f: &dyn Fn(&Measured) -> Option<Within>| -> Vec<Vec<Within>> {
        layouts
            .iter()
            .map(|l| {
                processes
                    .iter()
                    .filter(|p| p.layout == *l)
                    .filter_map(f)
                    .collect()
            })
            .collect()
    };
    let mut hints = Vec::new();
    for (id, sizes) in &first.ran {
        let Some(entry) = crate::hints::get(id) else {
            continue;
        };
        let names = entry.variants();
        let rows = sizes
            .iter()
            .map(|key| {
                fn samples<'m>(
                    p: &'m Measured,
                    id: &str,
                    name: &str,
                    key: &str,
                ) -> Option<&'m Vec<paired::Sample>> {
                    p.samples.get(&format!("{id}/{name}/{key}"))
                }
                // `bad` is timed in every pair of its row.
                let bad = by_build(&|p| {
                    let all: Vec<paired::Sample> = names
                        .iter()
                        .skip(1)
                        .filter_map(|n| samples(p, id, n, key))
                        .flatten()
                        .copied()
                        .collect();
                    paired::time(&all, true)
                });
                let mut variants = vec![VariantFigures {
                    name: names[0].to_string(),
                    time: paired::across_builds(&bad).map(|(e, _)| e),
                    ..Default::default()
                }];
                for name in names.iter().skip(1) {
                    let times = by_build(&|p| {
                        samples(p, id, name, key).and_then(|s| paired::time(s, false))
                    });
                    let speedups =
                        by_build(&|p| samples(p, id, name, key).and_then(|s| paired::speedup(s)));
                    let speedup = paired::across_builds(&speedups);
                    variants.push(VariantFigures {
                        name: name.to_string(),
                        time: paired::across_builds(&times).map(|(e, _)| e),
                        speedup: speedup.as_ref().map(|(e, _)| *e),
                        replicas: processes
                            .iter()
                            .filter_map(|p| {
                                samples(p, id, name, key).and_then(|s| paired::speedup(s))
                            })
                            .map(|w| w.point())
                            .collect(),
                        builds: speedup.map(|(_, b)| b).unwrap_or_default(),
                        ..Default::default()
                    });
                }
                model::Row::new(key.clone(), variants)
            })
            .collect();
        hints.push(HintRun {
            id: id.clone(),
            size_label: String::new(),
            claim: String::new(),
            layout: Vec::new(),
            rows,
        });
    }
    hints
}

/// Copies the timed figures into the counted rows (or keeps the timed rows,
/// and says so, when counting failed).
pub fn merge(timed: Vec<HintRun>, counted: Result<Vec<HintRun>, String>) -> Vec<HintRun> {
    let mut counted = match counted {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "perf-hints: {e}; the table has no counts. Rebuild with `cargo bench` and retry."
            );
            return timed;
        }
    };
    for h in &mut counted {
        let Some(t) = timed.iter().find(|t| t.id == h.id) else {
            continue;
        };
        for row in &mut h.rows {
            let Some(tr) = t.rows.iter().find(|r| r.param == row.param) else {
                continue;
            };
            for v in &mut row.variants {
                if let Some(tv) = tr.variant(&v.name) {
                    v.time = tv.time;
                    v.speedup = tv.speedup;
                    v.replicas = tv.replicas.clone();
                    v.builds = tv.builds.clone();
                }
            }
        }
    }
    counted
}

/// The A/A control as the run's gate, at the margin fixed in advance
/// ([`MARGIN`]); `None` when the run did not measure it.
pub fn gate(hints: &[HintRun]) -> Option<Noise> {
    let control = hints.iter().find(|h| h.id == CONTROL)?;
    let sizes: Vec<(String, model::Estimate)> = control
        .rows
        .iter()
        .filter_map(|r| Some((r.param.clone(), r.speedup("good")?)))
        .collect();
    Noise::gate(CONTROL, &sizes)
}

/// The benchmarks (`hint/variant/size`) whose speedup interval crosses a
/// line a verdict is drawn at: [`MARGIN`] either side of 1, or the factor
/// the hint's prediction names ([`paired::needs_confirming`]).
pub fn crossing(hints: &[HintRun]) -> Vec<String> {
    let mut out = Vec::new();
    for h in hints {
        let Some(entry) = crate::hints::get(&h.id) else {
            continue;
        };
        for r in &h.rows {
            let predictions = entry.predictions(&r.param);
            for v in r.variants.iter().skip(1) {
                let Some(s) = v.speedup else { continue };
                let by = predictions
                    .iter()
                    .filter(|p| p.variant == v.name && p.faster)
                    .map(|p| p.by)
                    .fold(1.0, f64::max);
                if paired::needs_confirming(&s, MARGIN, by) {
                    out.push(format!("{}/{}/{}", h.id, v.name, r.param));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::paired::Sample;

    fn process(layout: u64, ratio: f64) -> Measured {
        let mut m = Measured {
            layout,
            ran: vec![(CONTROL.to_string(), vec!["64".to_string()])],
            ..Default::default()
        };
        let s = |r: f64| Sample {
            iters: 100,
            bad_ns: 1000.0 * r,
            other_ns: 1000.0,
        };
        m.samples.insert(
            format!("{CONTROL}/good/64"),
            vec![s(ratio * 0.99), s(ratio), s(ratio * 1.01)],
        );
        m
    }

    #[test]
    fn builds_are_combined_before_the_interval() {
        let processes = [
            process(1, 1.0),
            process(2, 1.2),
            process(1, 1.0),
            process(2, 1.2),
        ];
        assert_eq!(layouts(&processes), vec![1, 2]);
        let hints = combine(&processes);
        let good = hints[0].rows[0].variant("good").unwrap();
        assert_eq!(good.builds.len(), 2);
        assert!((good.builds[0] - 1.0).abs() < 1e-3, "{:?}", good.builds);
        assert!((good.builds[1] - 1.2).abs() < 1e-3, "{:?}", good.builds);
        assert_eq!(good.replicas.len(), 4);
        let s = good.speedup.unwrap();
        assert!(s.lo < 1.0 && s.hi > 1.2, "{s:?}");
        // The control reads about 1.1x here, with an interval holding 1:
        // the gate passes on level but fails on the floor.
        let noise = gate(&hints).unwrap();
        assert!(noise.gated);
        assert_eq!(noise.margin, MARGIN);
        assert!(
            noise.failed.as_deref().unwrap().contains("floor"),
            "{noise:?}"
        );
        let quiet = combine(&[process(1, 1.0), process(2, 1.0)]);
        assert_eq!(gate(&quiet).unwrap().failed, None);
    }
}
