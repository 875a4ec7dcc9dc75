//! The sources' cost table as a record measured it: every row with the quoted
//! figure beside the measurement and a verdict, the rows not measured with
//! the reason, and the sources' estimation templates recomputed from the
//! measured rows beside what the hints measured end to end.

use std::fmt::Write as _;

use crate::costs::{Fit, How, PRIMITIVES, Primitive, Section};
use crate::model::{CostRow, Estimate, Run};
use crate::publish::table::Table;
use crate::support::fmt::fmt_ns;

/// The measured row of `id` in `run`, if it has one.
pub fn row<'a>(run: &'a Run, id: &str) -> Option<&'a CostRow> {
    run.costs.iter().find(|c| c.id == id)
}

/// A measured time with its interval: `4.1 ns (3.9–4.3)`.
pub fn fmt_estimate(e: &Estimate) -> String {
    format!(
        "{} ({}–{})",
        fmt_ns(e.point),
        fmt_ns(e.lo.max(0.0))
            .trim_end_matches(char::is_alphabetic)
            .trim_end(),
        fmt_ns(e.hi)
    )
}

/// measured ÷ quoted, with about two significant digits: `0.31x`, `12x`.
fn ratio(p: &Primitive, ns: f64) -> f64 {
    ns / p.quoted.centre()
}

fn fmt_ratio(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.0}x")
    } else if x >= 1.0 {
        format!("{x:.1}x")
    } else {
        format!("{x:.2}x")
    }
}

/// A measurement's fit in words, as the table's last-but-one column says it.
fn word(fit: Fit) -> &'static str {
    match fit {
        Fit::Within => "as the sources say",
        Fit::Cheaper => "cheaper than quoted",
        Fit::Dearer => "dearer than quoted",
    }
}

/// A measurement's fit as one glyph: ✓ within, ↓ cheaper, ↑ dearer.
fn glyph(fit: Fit) -> char {
    match fit {
        Fit::Within => '✓',
        Fit::Cheaper => '↓',
        Fit::Dearer => '↑',
    }
}

/// One line on a row that has no figure in `run`: why.
fn unmeasured(p: &Primitive) -> String {
    match p.how {
        How::Measured(..) => "not in this record".to_string(),
        How::Feature(f, _) => format!("not measured: needs `--features {f}`"),
        How::NotMeasured(why) => format!("not measured: {why}"),
    }
}

/// The rows measured more than 2x away from the quoted central figure.
pub fn off_by_2x(run: &Run) -> Vec<(&'static Primitive, f64)> {
    PRIMITIVES
        .iter()
        .filter_map(|p| {
            let r = ratio(p, row(run, p.id)?.ns.point);
            (!(0.5..=2.0).contains(&r)).then_some((p, r))
        })
        .collect()
}

/// The cost table of `run` as markdown (no title): a summary, a table per
/// sources' table, and the estimation templates.
pub fn render(run: &Run) -> String {
    let mut out = String::new();
    if run.costs.is_empty() {
        let _ = writeln!(
            out,
            "This record has no cost table (it was made before the table existed, or \
             filtered); a full `cargo bench` measures it.\n"
        );
        return out;
    }
    let measured = run.costs.len();
    let within = PRIMITIVES
        .iter()
        .filter(|p| row(run, p.id).is_some_and(|r| Fit::of(p.quoted, r.ns.point) == Fit::Within))
        .count();
    let off: Vec<String> = off_by_2x(run)
        .iter()
        .map(|(p, r)| format!("{} ({} the quoted figure)", p.what, fmt_ratio(*r)))
        .collect();
    let _ = writeln!(
        out,
        "{measured} of the sources' {} rows measured in this record; {within} within the quoted figure \
         (its range, or within 2x of a single figure). More than 2x away from the \
         quoted figure: {}.\n",
        PRIMITIVES.len(),
        if off.is_empty() {
            "none".to_string()
        } else {
            off.join("; ")
        }
    );
    let _ = writeln!(
        out,
        "Measured: the median of the samples with a 95 % interval from their spread; \
         `measured ÷ quoted` against the quoted figure (the middle of a range, on a log \
         scale). ✓ within the quoted figure, ↓ cheaper, ↑ dearer. The table is measured \
         once per run, in one process (unlike the hints' speedups, which are taken across \
         five): its intervals are that process's spread, not a rerun's, so a neighbour \
         that disturbs that one process moves a row. Compare a row across records before \
         trusting a change.\n"
    );
    for section in [Section::Reference, Section::Rust, Section::Python] {
        let _ = writeln!(out, "#### {}\n", section.title());
        let rows = PRIMITIVES
            .iter()
            .filter(|p| p.section == section)
            .map(|p| match row(run, p.id) {
                Some(r) => {
                    let a = Fit::of(p.quoted, r.ns.point);
                    let method = match p.how {
                        How::Measured(m, _) | How::Feature(_, m) => m,
                        How::NotMeasured(m) => m,
                    };
                    vec![
                        p.what.to_string(),
                        p.quoted.text(),
                        fmt_estimate(&r.ns),
                        fmt_ratio(ratio(p, r.ns.point)),
                        format!("{} {}", glyph(a), word(a)),
                        if r.detail.is_empty() {
                            method.to_string()
                        } else {
                            format!("{method} ({})", r.detail)
                        },
                    ]
                }
                None => vec![
                    p.what.to_string(),
                    p.quoted.text(),
                    "—".into(),
                    String::new(),
                    String::new(),
                    unmeasured(p),
                ],
            })
            .collect();
        Table {
            header: [
                "operation",
                "quoted",
                "measured",
                "measured ÷ quoted",
                "against the sources",
                "how",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        }
        .render(&mut out);
        out.push('\n');
    }
    templates(run, &mut out);
    out
}

/// A time in a hint's row: the median time per call of `variant` at `key`.
fn hint_time(run: &Run, id: &str, key: &str, variant: &str) -> Option<f64> {
    let h = run.hints.iter().find(|h| h.id == id)?;
    let r = h.rows.iter().find(|r| r.param == key)?;
    Some(r.time(variant)?.point)
}

/// The sources' estimation templates, recomputed from this record's rows,
/// beside what the corresponding hint measured end to end.
fn templates(run: &Run, out: &mut String) {
    let _ = writeln!(out, "#### The sources' estimates, recomputed\n");
    let _ = writeln!(
        out,
        "Each line multiplies a measured row by a count, as the performance-hints document's \
         back-of-the-envelope templates do, and sets it beside a hint that measured the whole job in this run.\n"
    );
    let ns = |id: &str| row(run, id).map(|r| r.ns.point);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut line = |what: &str, quoted: &str, est: Option<f64>, end: Option<(f64, String)>| {
        rows.push(vec![
            what.to_string(),
            quoted.to_string(),
            est.map_or("—".into(), fmt_ns),
            end.as_ref().map_or("—".into(), |(t, _)| fmt_ns(*t)),
            end.map_or(String::new(), |(_, how)| how),
        ]);
    };
    let spawn_items = 5_000.0;
    line(
        "5,000 tasks, one `tokio::spawn` each, no work",
        "5,000 × 200-500 ns = 1-2.5 ms",
        ns("tokio_spawn").map(|t| t * spawn_items),
        hint_time(run, "spawn_granularity", "1t-0r", "bad").map(|t| {
            (
                t,
                "`spawn_granularity` `bad` at 1 worker, no work per item: a call".into(),
            )
        }),
    );
    line(
        "20,000 uncontended lock/unlock pairs around no work",
        "20,000 × 15 ns = 300 µs",
        ns("mutex_uncontended").map(|t| t * 20_000.0),
        hint_time(run, "lock_contention", "1t-0r", "bad").map(|t| {
            (
                t,
                "`lock_contention` `bad` at 1 thread, no work per item: a call".into(),
            )
        }),
    );
    line(
        "Batch processing 10K items: per-item Python function call",
        "10K × 100 ns = 1 ms",
        ns("python_call").map(|t| t * 10_000.0),
        None,
    );
    line(
        "Web request through PyO3: GIL acquisition and release",
        "~200 ns + ~200 ns",
        ns("gil_acquire_release").map(|t| 2.0 * t),
        None,
    );
    Table {
        header: [
            "estimate",
            "as quoted",
            "from the record's rows",
            "measured end to end",
            "by",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
    .render(out);
    out.push('\n');
}

/// The cost table across machines: one row per primitive any of them
/// measured, the quoted figure, then each machine's median and glyph.
pub fn across(names: &[String], runs: &[&Run], out: &mut String) {
    let rows: Vec<Vec<String>> = PRIMITIVES
        .iter()
        .filter(|p| runs.iter().any(|r| row(r, p.id).is_some()))
        .map(|p| {
            let mut cells = vec![p.what.to_string(), p.quoted.text()];
            for r in runs {
                cells.push(row(r, p.id).map_or(String::new(), |c| {
                    format!(
                        "{} {}",
                        glyph(Fit::of(p.quoted, c.ns.point)),
                        fmt_ns(c.ns.point)
                    )
                }));
            }
            cells
        })
        .collect();
    if rows.is_empty() {
        let _ = writeln!(out, "None of these records has the cost table yet.\n");
        return;
    }
    let mut header = vec!["operation".to_string(), "quoted".to_string()];
    header.extend(names.iter().cloned());
    Table { header, rows }.render(out);
    out.push('\n');
    let without: Vec<&str> = names
        .iter()
        .zip(runs)
        .filter(|(_, r)| r.costs.is_empty())
        .map(|(n, _)| n.as_str())
        .collect();
    if !without.is_empty() {
        let _ = writeln!(
            out,
            "No figures for {}: {} made before the cost table existed; a full `cargo bench` \
             there adds it.\n",
            without
                .iter()
                .map(|n| format!("**{n}**"))
                .collect::<Vec<_>>()
                .join(" and "),
            if without.len() == 1 {
                "its record was"
            } else {
                "their records were"
            }
        );
    }
}
