//! The atlas: the newest record of every machine side by side, so that a
//! reader sees whether a verdict is a property of the hint or of a machine.
//!
//! One column per machine (the reference machine first), one row per hint:
//! the verdict at each size as a row of glyphs, the speedup of `good` at the
//! largest size, and the **break-even size**, where `good` starts (or stops)
//! winning over `bad`, interpolated between the two sizes that bracket the
//! crossing. Below that, per hint, the rows whose verdict differs between
//! machines, with the hardware facts that may explain it.

use std::fmt::Write as _;

use crate::model::{Estimate, HintRun, Level, Run};
use crate::publish::compare;
use crate::publish::series::break_even;
use crate::publish::table::{Table, fmt_ratio_short, headline, size_label, verdict};
use crate::support::fmt::{plural, short_number};

/// One machine's column: its newest record and how the atlas names it.
#[derive(Clone, Debug)]
pub struct Column<'a> {
    /// A short name: `AMD EPYC, 2 cores`.
    pub name: String,
    /// The record's path, relative to the repository.
    pub file: String,
    pub run: &'a Run,
    pub reference: bool,
}

/// Short machine names for `runs`, made unique: the CPU's name without
/// trademarks and filler, then the cores, then the last-level cache where two
/// would read the same.
pub fn names(runs: &[&Run]) -> Vec<String> {
    let short = |r: &Run| {
        let cpu: String = r
            .machine
            .cpu
            .replace("(R)", "")
            .replace("(TM)", "")
            .replace(" Processor", "")
            .replace(" CPU", "")
            .split('@')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .filter(|w| !w.ends_with("-Core"))
            .collect::<Vec<_>>()
            .join(" ");
        format!("{cpu}, {}", plural(r.machine.cores, "core"))
    };
    let plain: Vec<String> = runs.iter().map(|r| short(r)).collect();
    plain
        .iter()
        .zip(runs)
        .map(|(name, r)| {
            if plain.iter().filter(|n| *n == name).count() > 1 {
                let llc = r.machine.caches.last().cloned().unwrap_or_default();
                format!("{name} ({llc})")
            } else {
                name.clone()
            }
        })
        .collect()
}

/// Whether the hint named `id` is measured across thread counts (its sizes'
/// series are thread counts).
pub fn is_thread_hint(id: &str) -> bool {
    crate::hints::get(id).is_some_and(|e| e.sizes().iter().any(|p| p.series.contains("thread")))
}

/// A file-name-safe form of a machine name: `intel-xeon-16-cores`.
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// The glyph of a verdict level.
pub fn glyph(level: Option<Level>) -> char {
    match level {
        Some(Level::Holds) => '✓',
        Some(Level::Partly) => '◐',
        Some(Level::DoesNotHold) => '✗',
        Some(Level::LayoutSensitive) => '≈',
        Some(Level::NotJudged) => '·',
        None => '–',
    }
}

/// The verdicts of a hint's rows, in the record's order, as glyphs.
fn glyphs(h: &HintRun, margin: f64) -> String {
    h.rows
        .iter()
        .map(|r| glyph(verdict(&h.id, r, margin).map(|v| v.level)))
        .collect()
}

/// What a column says about its record besides the figures: imported,
/// assembled, partial, old method.
fn notes(run: &Run) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(o) = &run.origin {
        if o.sources.len() > 1 {
            notes.push(format!(
                "assembled from {} filtered runs ({})",
                o.sources.len(),
                o.sources
                    .iter()
                    .map(|s| format!("`{}`", s.file))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        } else {
            notes.push("imported".into());
        }
        if !o.note.is_empty() {
            notes.push(o.note.clone());
        }
    }
    // Hints behind a cargo feature are left out of a default build on
    // purpose; only the default build's hints make a record partial.
    let listed: Vec<&str> = crate::hints::all()
        .iter()
        .filter(|e| e.feature().is_none())
        .map(|e| e.id())
        .collect();
    let missing = listed
        .iter()
        .filter(|id| !run.hints.iter().any(|h| h.id == **id))
        .count();
    if missing > 0 {
        notes.push(format!(
            "partial: {missing} of the {} hints of a default build not measured",
            listed.len()
        ));
    }
    match &run.method {
        Some(m) => notes.push(format!(
            "paired, {}",
            plural(m.processes as usize, "process")
        )),
        None => notes
            .push("before paired measurement (one process, one benchmark after the other)".into()),
    }
    notes
}

/// The machines table: one row per column.
fn machines_table(cols: &[Column], out: &mut String) {
    let rows = cols
        .iter()
        .map(|c| {
            let m = &c.run.machine;
            vec![
                format!(
                    "{}{}",
                    c.name,
                    if c.reference { " (reference)" } else { "" }
                ),
                m.cpu_id(),
                m.cores.to_string(),
                m.os.clone(),
                revision(c.run),
                format!("`{}`", c.file),
                format!("±{:.0} %", c.run.margin() * 100.0),
                notes(c.run).join("; "),
            ]
        })
        .collect();
    Table {
        header: [
            "machine", "cpu", "cores", "os", "commit", "record", "margin", "notes",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
    .render(out);
}

/// The hint ids to show: the list's, then any a record has that the list
/// no longer does.
fn ids(cols: &[Column]) -> Vec<String> {
    let mut ids: Vec<String> = crate::hints::all()
        .iter()
        .map(|e| e.id().to_string())
        .collect();
    for c in cols {
        for h in &c.run.hints {
            if !ids.contains(&h.id) {
                ids.push(h.id.clone());
            }
        }
    }
    ids
}

fn hint<'a>(run: &'a Run, id: &str) -> Option<&'a HintRun> {
    run.hints.iter().find(|h| h.id == id)
}

/// A size on a hint's axis: the tick the hint gives a measured size, or a
/// short number for an interpolated one.
fn x_text(id: &str, x: f64) -> String {
    let entry = crate::hints::get(id);
    entry
        .and_then(|e| e.sizes().into_iter().find(|p| (p.x - x).abs() < 1e-9))
        .map_or_else(|| short_number(x), |p| p.tick)
}

/// The hardware facts beside a hint's differing rows: the cores for a
/// thread hint, otherwise the cache levels whose sizes differ between the
/// machines; and a warning when the records come from different commits.
fn facts(cols: &[&Column], threads: bool) -> String {
    let mut parts = Vec::new();
    if threads {
        let cores: Vec<String> = cols
            .iter()
            .map(|c| format!("{} {}", c.name, c.run.machine.cores))
            .collect();
        parts.push(format!("Cores: {}.", cores.join(", ")));
    } else {
        let level = |c: &Column, l: &str| {
            c.run
                .machine
                .caches
                .iter()
                .find(|x| x.split(' ').next() == Some(l))
                .and_then(|x| x.split(' ').nth(1))
                .unwrap_or("?")
                .to_string()
        };
        for l in ["L1d", "L2", "L3"] {
            let sizes: Vec<String> = cols.iter().map(|c| level(c, l)).collect();
            if sizes.iter().any(|s| *s != sizes[0]) {
                let each: Vec<String> = cols
                    .iter()
                    .zip(&sizes)
                    .map(|(c, s)| format!("{} {s}", c.name))
                    .collect();
                parts.push(format!("{l}: {}.", each.join(", ")));
            }
        }
        if parts.is_empty() {
            parts.push("The caches are the same size on these machines.".into());
        }
    }
    let revs: Vec<String> = cols.iter().map(|c| revision(c.run)).collect();
    if revs.iter().any(|r| *r != revs[0]) {
        parts.push(format!(
            "The records come from different commits ({}): where the hint's code or sizes \
             changed in between, a difference can be the code's rather than the machine's.",
            revs.join(", ")
        ));
    }
    parts.join(" ")
}

/// The commit a record's binary was built from: the machine's git revision,
/// or the one an import note names (`built at abc1234`), or `unknown`.
fn revision(run: &Run) -> String {
    let rev = run.machine.git_revision.trim_end_matches("-dirty");
    if rev != "unknown" && !rev.is_empty() {
        return rev.chars().take(7).collect();
    }
    run.origin
        .as_ref()
        .and_then(|o| {
            o.note
                .split_whitespace()
                .skip_while(|w| *w != "at")
                .nth(1)
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_ascii_alphanumeric())
                        .to_string()
                })
        })
        .unwrap_or_else(|| "unknown".into())
}

/// A table with a row per hint and a column per machine, each cell what
/// `cell` says of that machine's figures for the hint (empty where its record
/// lacks the hint); with `link`, the hint's name links to its page, and
/// hints no machine measured keep their row.
fn per_hint(
    ids: &[String],
    cols: &[Column],
    link: bool,
    out: &mut String,
    cell: &dyn Fn(&str, &Column, &HintRun) -> String,
) {
    let mut header = vec!["hint".to_string()];
    header.extend(cols.iter().map(|c| c.name.clone()));
    let rows = ids
        .iter()
        .filter(|id| link || cols.iter().any(|c| hint(c.run, id).is_some()))
        .map(|id| {
            let mut row = vec![if link {
                format!("[`{id}`](hints/{id}.md)")
            } else {
                format!("`{id}`")
            }];
            for c in cols {
                row.push(hint(c.run, id).map_or(String::new(), |h| cell(id, c, h)));
            }
            row
        })
        .collect();
    Table { header, rows }.render(out);
}

/// The atlas as markdown: the machines, how far each agrees with the
/// reference, the verdict table, the break-even table, and where machines
/// differ. `generated` is the line that opens every generated file.
pub fn render(cols: &[Column], generated: &str) -> String {
    let mut out = String::from(generated);
    let _ = writeln!(out, "# Atlas: the hints on every machine with a record\n");
    let _ = writeln!(
        out,
        "Each machine's newest record, side by side, so you can tell a property of a hint \
         from a property of a machine. Verdicts are judged as in the tables, with each \
         record's own margin; a record from before paired measurement has wider intervals \
         and the older ±10 % margin. Add your machine with `PERF_HINTS_RECORD=1 cargo bench`; \
         runs made elsewhere come in with `cargo run --release -- import`.\n"
    );
    machines_table(cols, &mut out);
    out.push('\n');
    if let Some(reference) = cols.iter().find(|c| c.reference) {
        for c in cols.iter().filter(|c| !c.reference) {
            let a = compare::agreement(reference.run, c.run);
            let _ = writeln!(
                out,
                "- **{}** agrees with the reference on {} of {} verdicts ({:.0} %) of the rows both measured.",
                c.name,
                a.agree,
                a.rows,
                100.0 * a.agree as f64 / a.rows.max(1) as f64
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Verdicts\n");
    let _ = writeln!(
        out,
        "One glyph per size, smallest first (for the thread hints, 1 thread's sizes, \
         then 2 threads', and so on): ✓ as modelled, ◐ partly, ✗ model missed, · not judged. \
         Then the figure the results overview shows for the hint: `good`'s speedup over \
         `bad` at the record's last size, the overview's \"largest size\" (for the thread \
         hints, the most threads). \
         Empty: the machine's record does not have the hint.\n"
    );
    let ids = ids(cols);
    per_hint(&ids, cols, true, &mut out, &|_, c, h| {
        let mut cell = glyphs(h, c.run.margin());
        if let Some(hl) = headline(h, c.run.margin()) {
            let _ = write!(cell, " {}x", fmt_ratio_short(hl.speedup.point));
        }
        cell
    });

    let _ = writeln!(out, "\n## Break-even sizes\n");
    let _ = writeln!(
        out,
        "Where `good` starts (or stops) beating `bad` by more than the record's margin: \
         the size at which its speedup crosses 1x (between a size where it is slower and \
         one where it is faster) or the margin line (between a level size and a faster \
         one), interpolated on log scales between the two measured sizes around the \
         change, with the range where the ends of the 95 % intervals cross the same line \
         (open at the smallest or largest size measured when an end never crosses). For \
         the thread hints and others measured in several series, along the last series \
         (the most threads the machine has), named first.\n"
    );
    per_hint(&ids, cols, false, &mut out, &|id, c, h| {
        break_even(h, c.run.margin()).map_or(String::new(), |(series, b)| {
            let text = b.text(&|x| x_text(id, x));
            if series.is_empty() {
                text
            } else {
                format!("{series}: {text}")
            }
        })
    });

    let _ = writeln!(out, "\n## The sources' cost table on each machine\n");
    let _ = writeln!(
        out,
        "The quoted figure, then each machine's median (✓ within the quoted figure, ↓ \
         cheaper, ↑ dearer); methods and intervals are in [`costs.md`](costs.md) for the \
         reference machine. Empty: that record has no cost table.\n"
    );
    let names: Vec<String> = cols.iter().map(|c| c.name.clone()).collect();
    let runs: Vec<&Run> = cols.iter().map(|c| c.run).collect();
    crate::publish::costs::across(&names, &runs, &mut out);

    let _ = writeln!(out, "\n## Where the machines differ\n");
    let _ = writeln!(
        out,
        "The rows whose verdict is not the same on every machine that measured them, \
         with each machine's speedup of `good` and the facts that may explain it: the \
         core count against the threads a row uses, and the caches against the data a \
         size touches.\n"
    );
    let mut any = false;
    for id in &ids {
        let hints: Vec<Option<&HintRun>> = cols.iter().map(|c| hint(c.run, id)).collect();
        let mut keys: Vec<String> = Vec::new();
        for h in hints.iter().flatten() {
            for r in &h.rows {
                if !keys.contains(&r.param) {
                    keys.push(r.param.clone());
                }
            }
        }
        let mut rows = Vec::new();
        for key in &keys {
            let cells: Vec<Option<(Level, Option<Estimate>)>> = cols
                .iter()
                .zip(&hints)
                .map(|(c, h)| {
                    let row = (*h)?.rows.iter().find(|r| &r.param == key)?;
                    let v = verdict(id, row, c.run.margin())?;
                    Some((v.level, row.speedup("good")))
                })
                .collect();
            let levels: Vec<Level> = cells.iter().flatten().map(|(l, _)| *l).collect();
            if levels.len() < 2 || levels.iter().all(|l| *l == levels[0]) {
                continue;
            }
            let mut row = vec![size_label(id, key)];
            for cell in &cells {
                row.push(match cell {
                    Some((l, s)) => format!(
                        "{} {}{}",
                        glyph(Some(*l)),
                        l.label(),
                        s.map_or(String::new(), |s| format!(
                            " ({}x)",
                            fmt_ratio_short(s.point)
                        ))
                    ),
                    None => String::new(),
                });
            }
            rows.push(row);
        }
        if rows.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(out, "### {id}\n");
        let mut h = vec!["size".to_string()];
        h.extend(cols.iter().map(|c| c.name.clone()));
        Table { header: h, rows }.render(&mut out);
        let present: Vec<&Column> = cols
            .iter()
            .zip(&hints)
            .filter(|(_, h)| h.is_some())
            .map(|(c, _)| c)
            .collect();
        let _ = writeln!(out, "\n{}\n", facts(&present, is_thread_hint(id)));
    }
    if !any {
        let _ = writeln!(
            out,
            "Every row has the same verdict on every machine that measured it.\n"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_names_are_short_and_unique() {
        let mut a: Run = serde_json::from_str(
            r#"{"schema": 2, "started": "", "command": "", "machine": {"cpu": "", "cores": 2, "os": "", "rustc": "", "git_revision": ""}, "hints": []}"#,
        )
        .unwrap();
        a.machine.cpu = "Intel(R) Xeon(R) Processor".into();
        a.machine.cores = 2;
        a.machine.caches = vec!["L3 266240K".into()];
        let mut b = a.clone();
        b.machine.caches = vec!["L3 307200K".into()];
        let mut c = a.clone();
        c.machine.cpu = "AMD EPYC 9B45 64-Core Processor".into();
        let n = names(&[&a, &b, &c]);
        assert_eq!(n[0], "Intel Xeon, 2 cores (L3 266240K)");
        assert_eq!(n[1], "Intel Xeon, 2 cores (L3 307200K)");
        assert_eq!(n[2], "AMD EPYC 9B45, 2 cores");
    }
}
