//! The before/after table: a run's figures rendered as markdown that also
//! reads in a terminal.
//!
//! A [`Run`] holds raw figures only: criterion's time estimates and the
//! deterministic counts. Speedups and verdicts are derived when a table is
//! rendered, so a record can be re-rendered by `perf-hints report`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{AllocCounts, Estimate, HintRun, Level, Run};
pub use crate::publish::outcome::{size_label, verdict};
use crate::support::fmt::plural;
pub use crate::support::fmt::{
    fmt_bytes, fmt_bytes_binary, fmt_count, fmt_ns, fmt_ratio_short, ns_unit,
};

/// A ratio with its interval: `2.41x (2.30–2.52)`.
pub fn fmt_ratio(r: &Estimate) -> String {
    let f = crate::support::fmt::ratio_digits;
    format!("{}x ({}–{})", f(r.point), f(r.lo), f(r.hi))
}

/// Whether a speedup is stable, judged from this run alone: its range lies
/// within ±10 % of the point estimate.
pub fn stable(r: &Estimate) -> bool {
    r.lo >= 0.9 * r.point && r.hi <= 1.1 * r.point
}

fn fmt_allocs(a: &AllocCounts) -> String {
    if a.reallocs == 0 {
        a.allocs.to_string()
    } else {
        format!("{} + {} realloc", a.allocs, a.reallocs)
    }
}

/// Whether any variant of `h` has a peak-bytes count (records made before
/// it was counted have none, and then the column is left out).
fn has_peak_bytes(h: &HintRun) -> bool {
    h.rows.iter().any(|r| {
        r.variants
            .iter()
            .any(|v| v.allocs.is_some_and(|a| a.peak_bytes.is_some()))
    })
}

/// A markdown table whose columns are padded, so it also reads in a terminal.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn render(&self, out: &mut String) {
        let width = |i: usize| {
            std::iter::once(&self.header)
                .chain(&self.rows)
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..self.header.len()).map(width).collect();
        let line = |out: &mut String, cells: &[String]| {
            out.push('|');
            for (c, w) in cells.iter().zip(&widths) {
                let pad = w - c.chars().count();
                let _ = write!(out, " {c}{} |", " ".repeat(pad));
            }
            out.push('\n');
        };
        line(out, &self.header);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(out, &rule);
        for r in &self.rows {
            line(out, r);
        }
    }
}

/// Renders one hint's section: heading, claim, layout, and a row per size.
pub fn render_hint(h: &HintRun, margin: f64, out: &mut String) {
    let _ = writeln!(out, "### {}\n", h.id);
    render_hint_body(h, margin, out);
}

/// One hint's section without its heading: claim, layout, the times table
/// and the exact counts.
pub fn render_hint_body(h: &HintRun, margin: f64, out: &mut String) {
    let names: Vec<&str> = h
        .rows
        .first()
        .map(|r| r.variants.iter().map(|v| v.name.as_str()).collect())
        .unwrap_or_default();
    crate::publish::outcome::render(h, margin, out);
    if !h.layout.is_empty() {
        let sizes: Vec<String> = h
            .layout
            .iter()
            .map(|(what, n)| format!("`{what}` {n} B"))
            .collect();
        let _ = writeln!(out, "size_of: {}\n", sizes.join(", "));
    }
    let counters: Vec<String> = {
        let mut c: Vec<String> = h
            .rows
            .iter()
            .flat_map(|r| r.variants.iter().flat_map(|v| v.counters.keys().cloned()))
            .collect();
        c.sort();
        c.dedup();
        c
    };
    let any_allocs = h
        .rows
        .iter()
        .any(|r| r.variants.iter().any(|v| v.allocs.is_some()));
    let any_peak = has_peak_bytes(h);
    let any_cg = h
        .rows
        .iter()
        .any(|r| r.variants.iter().any(|v| v.cg.is_some()));
    let any_cache = h.rows.iter().any(|r| {
        r.variants
            .iter()
            .any(|v| v.cg.is_some_and(|c| c.ll_misses.is_some()))
    });
    let any_branch = h.rows.iter().any(|r| {
        r.variants
            .iter()
            .any(|v| v.cg.is_some_and(|c| c.mispredicts.is_some()))
    });
    let joined = names.join(" / ");
    if !any_allocs && !any_cg && !counters.is_empty() {
        let _ = writeln!(
            out,
            "Allocations and instructions: not counted, as this hint's work depends on \
             thread timing; its exact figures are the counters below.\n"
        );
    }

    // Two tables per hint, so each fits a terminal: times and verdicts, then
    // the exact counts.
    let mut header = vec![h.size_label.clone()];
    header.extend(names.iter().map(|n| n.to_string()));
    header.extend(names.iter().skip(1).map(|n| format!("speedup {n}")));
    let predicted = |key: &str| {
        crate::hints::get(&h.id)
            .map(|e| e.predictions(key))
            .unwrap_or_default()
            .iter()
            .map(|p| p.label())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let any_prediction = h.rows.iter().any(|r| !predicted(&r.param).is_empty());
    if any_prediction {
        header.push("model predicts".into());
    }
    header.push("model verdict".into());
    let mut counts_header = vec![h.size_label.clone()];
    if any_allocs {
        counts_header.push(format!("allocs ({joined})"));
    }
    if any_peak {
        counts_header.push(format!("peak bytes ({joined})"));
    }
    if any_cg {
        counts_header.push(format!("instructions ({joined})"));
        counts_header.extend(names.iter().skip(1).map(|n| format!("instr ratio {n}")));
    }
    if any_cache {
        counts_header.push(format!("D1 misses ({joined})"));
        counts_header.push(format!("LL misses ({joined})"));
    }
    if any_branch {
        counts_header.push(format!("mispredicts ({joined})"));
    }
    counts_header.extend(counters.iter().map(|c| format!("{c} ({joined})")));

    let dash = || "—".to_string();
    let mut rows = Vec::new();
    let mut counts_rows = Vec::new();
    for r in &h.rows {
        let mut cells = vec![size_label(&h.id, &r.param)];
        for n in &names {
            cells.push(r.time(n).map_or_else(dash, |t| fmt_ns(t.point)));
        }
        for n in names.iter().skip(1) {
            cells.push(r.speedup(n).map_or_else(dash, |s| {
                let mark = if stable(&s) { "stable" } else { "noisy" };
                format!("{} {mark}", fmt_ratio(&s))
            }));
        }
        if any_prediction {
            cells.push(predicted(&r.param));
        }
        cells.push(match verdict(&h.id, r, margin) {
            Some(v) => format!("{}: {}", v.level.label(), v.why),
            None => "unknown hint id".into(),
        });
        rows.push(cells);

        let mut cells = vec![size_label(&h.id, &r.param)];
        let per_variant = |f: &dyn Fn(&str) -> Option<String>| {
            names
                .iter()
                .map(|n| f(n).unwrap_or_else(dash))
                .collect::<Vec<_>>()
                .join(" / ")
        };
        let cg = |n: &str| r.variant(n).and_then(|v| v.cg);
        if any_allocs {
            cells.push(per_variant(&|n| r.allocs(n).map(|a| fmt_allocs(&a))));
        }
        if any_peak {
            cells.push(per_variant(&|n| {
                r.allocs(n).and_then(|a| a.peak_bytes).map(fmt_bytes_binary)
            }));
        }
        if any_cg {
            cells.push(per_variant(&|n| cg(n).map(|c| fmt_count(c.instructions))));
            for n in names.iter().skip(1) {
                let ratio = cg(names[0])
                    .zip(cg(n))
                    .map(|(b, v)| b.instructions as f64 / v.instructions.max(1) as f64);
                cells.push(ratio.map_or_else(dash, |x| format!("{x:.2}x")));
            }
        }
        if any_cache {
            cells.push(per_variant(&|n| {
                cg(n).and_then(|c| c.d1_misses).map(fmt_count)
            }));
            cells.push(per_variant(&|n| {
                cg(n).and_then(|c| c.ll_misses).map(fmt_count)
            }));
        }
        if any_branch {
            cells.push(per_variant(&|n| {
                cg(n).and_then(|c| c.mispredicts).map(fmt_count)
            }));
        }
        for c in &counters {
            cells.push(per_variant(&|n| r.counter(n, c).map(|v| v.to_string())));
        }
        counts_rows.push(cells);
    }
    Table { header, rows }.render(out);
    out.push('\n');
    if counts_header.len() > 1 {
        let _ = writeln!(out, "Exact counts per call:\n");
        Table {
            header: counts_header,
            rows: counts_rows,
        }
        .render(out);
        out.push('\n');
    }
}

/// Counts rows per verdict level: `3 holds, 1 n/a`.
pub fn verdict_summary<'a>(hints: impl IntoIterator<Item = &'a HintRun>, margin: f64) -> String {
    let mut counts: BTreeMap<Level, usize> = BTreeMap::new();
    for h in hints {
        for r in &h.rows {
            if let Some(v) = verdict(&h.id, r, margin) {
                *counts.entry(v.level).or_default() += 1;
            }
        }
    }
    counts
        .iter()
        .map(|(l, n)| format!("{n} {}", l.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The one figure an overview shows for a hint.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    /// The key of the largest size with a time for both variants.
    pub size: String,
    /// The variant compared with `bad`: the second one, `good`.
    pub variant: String,
    /// `bad` ÷ `good` at that size.
    pub speedup: Estimate,
    /// The smallest and largest point speedup across all sizes.
    pub min: f64,
    pub max: f64,
    /// The verdict on the row of that size.
    pub level: Option<Level>,
    /// The sources' claim over all sizes.
    pub claim: Option<crate::judge::claim::ClaimOutcome>,
}

/// `good` ÷ `bad` at the hint's largest size, where the sizes are chosen to
/// reach past the crossover; `None` when no row has both times. The largest
/// size rather than the best one, so the overview does not pick the flattering row.
pub fn headline(h: &HintRun, margin: f64) -> Option<Headline> {
    let variant = h.rows.first()?.variants.get(1)?.name.clone();
    let points: Vec<f64> = h
        .rows
        .iter()
        .filter_map(|r| r.speedup(&variant).map(|s| s.point))
        .collect();
    let row = h
        .rows
        .iter()
        .rev()
        .find(|r| r.speedup(&variant).is_some())?;
    Some(Headline {
        size: row.param.clone(),
        speedup: row.speedup(&variant)?,
        min: points.iter().copied().fold(f64::INFINITY, f64::min),
        max: points.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        level: verdict(&h.id, row, margin).map(|v| v.level),
        claim: crate::publish::outcome::claim(h, margin).map(|(_, j)| j.outcome),
        variant,
    })
}

/// The whole before/after table for a run, as markdown.
pub fn render(run: &Run, generated_by: &str) -> String {
    let mut out = render_header(run, generated_by);
    for h in &run.hints {
        render_hint(h, run.margin(), &mut out);
    }
    out
}

/// The line that says where a run came from: `Run <date> on <cpu> (2 cores), ...`.
pub fn run_line(run: &Run) -> String {
    let m = &run.machine;
    format!(
        "Run {} on {} ({}), {}, {}, git {}; {} in {:.0} s; made by {}{}{}.",
        run.started,
        m.cpu_id(),
        plural(m.cores, "core"),
        m.os,
        m.rustc,
        m.git_revision,
        plural(run.hints.len(), "hint"),
        run.seconds,
        // A command is code; an imported record's is a description that
        // may hold code spans of its own.
        if run.origin.is_some() {
            run.command.clone()
        } else {
            format!("`{}`", run.command)
        },
        run.filter
            .as_ref()
            .map_or(String::new(), |f| format!(", filter `{f}`")),
        if run.quick {
            " — QUICK MODE: shortened measurement, figures for a smoke test only"
        } else {
            ""
        },
    )
}

/// Why a row's time columns and its speedup need not agree, for the header of
/// every paired table.
const PAIRED_VS_TIMES: &str = "The time columns are each variant's own median across \
     processes, while the speedup is the median of the paired ratios, so bad's time over a \
     variant's need not equal its speedup; the speedup is the judged figure, and figures \
     derived from a row (a cost per event) should start from it.";

/// How the run's times and speedups were measured, its noise floor and the
/// margin its verdicts use, in words.
pub fn how_to_read(run: &Run) -> String {
    let margin = format!("±{:.0} %", run.margin() * 100.0);
    let mut s = match &run.method {
        Some(m) if m.builds() > 1 => format!(
            "Times are per call, the median over {} builds of the same code laid out \
             differently. Speedup is bad ÷ variant measured paired ({}), with its 95 % \
             interval; marked stable when that interval is within ±10 % of the point, noisy \
             otherwise. {PAIRED_VS_TIMES} A row whose builds disagree by more than the margin, across a line a \
             verdict is drawn at, is named layout-sensitive, with the builds' range, instead \
             of judged.",
            m.builds(),
            m.text
        ),
        Some(m) => format!(
            "Times are per call, the median over {}. Speedup is bad ÷ \
             variant measured paired ({}), with its 95 % interval; marked stable when that \
             interval is within ±10 % of the point, noisy otherwise. {PAIRED_VS_TIMES}",
            plural(m.processes as usize, "process"),
            m.text
        ),
        None => "Times are per call (criterion's estimate); speedup is bad ÷ variant with the \
                 range its 95 % confidence intervals allow (one process, one benchmark after \
                 the other: this record predates paired measurement), marked stable when that \
                 range is within ±10 % of the point, noisy otherwise."
            .to_string(),
    };
    match &run.noise {
        Some(n) if n.gated => {
            s.push_str(&format!(
                " The margin, fixed before anything was measured, calls a speedup within \
                 {margin} of 1x level. The A/A control (`{}`, two separately compiled copies of \
                 the same code as the two arms) gates the run: its interval must hold 1 at \
                 every size and its noise floor (the median interval half-width over its \
                 sizes, here ±{:.1} %) must be under half the margin.",
                n.control,
                n.floor * 100.0
            ));
            match &n.failed {
                None => s.push_str(" It passed."),
                Some(why) => s.push_str(&format!(
                    " **It failed: {why}. This run is too noisy to judge; its verdicts are \
                     shown but should not be trusted.**"
                )),
            }
        }
        Some(n) => s.push_str(&format!(
            " Noise floor: the A/A control (`{}`, the same code as both variants) has a median interval \
             of ±{:.1} % around its point (over its sizes), so verdicts call a speedup within {margin} \
             of 1x level ({}).",
            n.control,
            n.floor * 100.0,
            if 2.0 * n.floor >= n.margin {
                "twice the floor".to_string()
            } else {
                format!(
                    "the smallest margin the tables use; twice the floor would be ±{:.1} %",
                    200.0 * n.floor
                )
            }
        )),
        None => s.push_str(&format!(
            " This run has no A/A control: verdicts call a speedup within {margin} of 1x level."
        )),
    }
    s
}

/// What a whole table opens with: the generated-file line, the title, the run
/// line and how to read the columns.
pub fn render_header(run: &Run, generated_by: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<!-- generated by `{generated_by}`; do not edit -->\n");
    let _ = writeln!(out, "## Before/after table\n");
    let _ = writeln!(out, "{}\n", run_line(run));
    let _ = writeln!(out, "{}\n", how_to_read(run));
    let _ = writeln!(
        out,
        "Allocations, instructions (callgrind) and simulated cache misses are per call, \
         exact and repeatable, counted in a separate process; `—` where a hint's work \
         depends on thread timing.{} Verdicts: {}.\n",
        if run.hints.iter().any(has_peak_bytes) {
            " Peak bytes: the most bytes the call had allocated and not yet freed at \
             once, its result included (KiB, MiB: powers of 1024)."
        } else {
            ""
        },
        verdict_summary(&run.hints, run.margin())
    );
    out
}
