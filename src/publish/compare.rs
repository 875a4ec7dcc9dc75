//! `perf-hints compare`: two records side by side, from two machines or from
//! before and after a change.
//!
//! Times from two runs are not compared directly: a different machine, or the
//! same one busier, moves every time. What is compared is each record's own
//! speedup (`bad` ÷ variant, measured in the same run), with the range its
//! 95 % intervals allow. A row has *moved* when the two ranges do not overlap,
//! so the change is beyond the spread of both runs; otherwise it is within noise.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::judge::break_even::BreakEven;
use crate::model::{Estimate, HintRun, Level, Run};
use crate::publish::records::{self as results, RECORD_COMMAND};
use crate::publish::series;
use crate::publish::table::{Table, fmt_ratio, size_label, stable, verdict};
use crate::support::fmt::short_number;

/// The command, as errors and the output give it.
pub const COMPARE_COMMAND: &str = "cargo run --release -- compare";

/// How one row's speedup changed between two records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moved {
    /// The new range lies wholly above the old one.
    Up,
    /// The new range lies wholly below the old one.
    Down,
    /// The ranges overlap: no change either run can show.
    Noise,
    /// Only the old record has this row.
    OnlyOld,
    /// Only the new record has this row.
    OnlyNew,
}

impl Moved {
    /// Compares two speedups by their ranges.
    pub fn of(old: Option<Estimate>, new: Option<Estimate>) -> Option<Moved> {
        Some(match (old, new) {
            (Some(o), Some(n)) if n.lo > o.hi => Moved::Up,
            (Some(o), Some(n)) if n.hi < o.lo => Moved::Down,
            (Some(_), Some(_)) => Moved::Noise,
            (Some(_), None) => Moved::OnlyOld,
            (None, Some(_)) => Moved::OnlyNew,
            (None, None) => return None,
        })
    }

    fn label(self) -> &'static str {
        match self {
            Moved::Up => "**moved up**",
            Moved::Down => "**moved down**",
            Moved::Noise => "within noise",
            Moved::OnlyOld => "only in old",
            Moved::OnlyNew => "only in new",
        }
    }

    fn moved(self) -> bool {
        matches!(self, Moved::Up | Moved::Down)
    }
}

/// One compared row: a variant at a size of a hint.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub id: String,
    /// The size's key.
    pub size: String,
    pub variant: String,
    pub old: Option<Estimate>,
    pub new: Option<Estimate>,
    pub moved: Moved,
}

/// Every variant other than `bad` at every size of every hint either record
/// has, in the new record's order, then what only the old one has.
pub fn lines(old: &Run, new: &Run) -> Vec<Line> {
    let mut ids: Vec<&str> = new.hints.iter().map(|h| h.id.as_str()).collect();
    for h in &old.hints {
        if !ids.contains(&h.id.as_str()) {
            ids.push(&h.id);
        }
    }
    let find = |run: &'_ Run, id: &str| run.hints.iter().find(|h| h.id == id).cloned();
    let mut out = Vec::new();
    for id in ids {
        let (o, n) = (find(old, id), find(new, id));
        // The new record's sizes in its order, then any only the old one has.
        let mut sizes: Vec<&str> = Vec::new();
        for h in [&n, &o].into_iter().flatten() {
            for r in &h.rows {
                if !sizes.contains(&r.param.as_str()) {
                    sizes.push(&r.param);
                }
            }
        }
        let mut names: Vec<String> = Vec::new();
        for h in [&n, &o].into_iter().flatten() {
            for r in &h.rows {
                for v in r.variants.iter().skip(1) {
                    if !names.contains(&v.name) {
                        names.push(v.name.clone());
                    }
                }
            }
        }
        let speedup = |h: &Option<HintRun>, size: &str, name: &str| {
            h.as_ref()?
                .rows
                .iter()
                .find(|r| r.param == size)?
                .speedup(name)
        };
        for &size in &sizes {
            for name in &names {
                let (so, sn) = (speedup(&o, size, name), speedup(&n, size, name));
                if let Some(moved) = Moved::of(so, sn) {
                    out.push(Line {
                        id: id.to_string(),
                        size: size.to_string(),
                        variant: name.clone(),
                        old: so,
                        new: sn,
                        moved,
                    });
                }
            }
        }
    }
    out
}

/// The machine table: one line per field, differences marked.
fn machines(old: &Run, new: &Run, out: &mut String) -> Vec<&'static str> {
    let (a, b) = (&old.machine, &new.machine);
    let fields: [(&'static str, String, String); 7] = [
        ("started", old.started.clone(), new.started.clone()),
        ("cpu", a.cpu_id(), b.cpu_id()),
        ("cores", a.cores.to_string(), b.cores.to_string()),
        ("os", a.os.clone(), b.os.clone()),
        ("rustc", a.rustc.clone(), b.rustc.clone()),
        ("git", a.git_revision.clone(), b.git_revision.clone()),
        (
            "hints",
            old.hints.len().to_string(),
            new.hints.len().to_string(),
        ),
    ];
    let mut differ = Vec::new();
    let rows = fields
        .into_iter()
        .map(|(name, o, n)| {
            let same = o == n;
            if !same && matches!(name, "cpu" | "cores" | "os" | "rustc") {
                differ.push(name);
            }
            let mark = if same || name == "started" {
                ""
            } else {
                "differs"
            };
            vec![name.to_string(), o, n, mark.to_string()]
        })
        .collect();
    Table {
        header: vec!["".into(), "old".into(), "new".into(), "".into()],
        rows,
    }
    .render(out);
    differ
}

/// `new ÷ old` of two point speedups: `1.25x`.
fn change(old: Option<Estimate>, new: Option<Estimate>) -> String {
    match (old, new) {
        (Some(o), Some(n)) => format!("{:.2}x", n.point / o.point),
        _ => "—".into(),
    }
}

/// How far two records agree: verdicts row by row (each judged with its
/// own record's margin), and how much the speedups near 1x moved.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Agreement {
    /// Rows (hint and size) with a verdict in both records.
    pub rows: usize,
    /// Those whose verdict level is the same in both.
    pub agree: usize,
    /// Those that differ: hint, size key, old level, new level.
    pub differ: Vec<(String, String, Level, Level)>,
    /// Of `differ`, those neither record warned of (named layout-sensitive
    /// in it, or with a speedup it marks noisy: an interval beyond ±10 % of
    /// the point), as the summary names them.
    pub unwarned: Vec<String>,
    /// For every speedup between 0.5x and 2x in both records, `|new ÷ old - 1|`.
    pub moves: Vec<f64>,
    /// Speedups judged faster in one record and slower in the other (each
    /// against its own record's margin): hint, size key, variant, old, new.
    pub opposite: Vec<(String, String, String, Estimate, Estimate)>,
}

impl Agreement {
    /// The `q`-quantile (0..=1) of the moves, nearest rank; `None` when there are none.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let mut m = self.moves.clone();
        m.sort_by(f64::total_cmp);
        let i = ((q * m.len() as f64).ceil() as usize).clamp(1, m.len().max(1)) - 1;
        m.get(i).copied()
    }

    /// How many of the changed verdicts either record warned of.
    pub fn warned(&self) -> usize {
        self.differ.len() - self.unwarned.len()
    }

    /// "verdicts agree on 150 of 152 rows (98.7 %); ..." in one paragraph.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "Verdicts agree on {} of {} rows ({:.1} %)",
            self.agree,
            self.rows,
            100.0 * self.agree as f64 / self.rows.max(1) as f64
        );
        if !self.differ.is_empty() {
            let list: Vec<String> = self
                .differ
                .iter()
                .map(|(id, size, o, n)| {
                    format!(
                        "`{id}` {}: {} → {}",
                        size_label(id, size),
                        o.label(),
                        n.label()
                    )
                })
                .collect();
            s.push_str(&format!("; they differ on {}", list.join(", ")));
        }
        s.push('.');
        if !self.differ.is_empty() {
            s.push_str(&format!(
                " {} of the {} changes are rows either record names layout-sensitive or \
                 marks noisy{}.",
                self.warned(),
                self.differ.len(),
                if self.unwarned.is_empty() {
                    String::new()
                } else {
                    format!("; the others: {}", self.unwarned.join(", "))
                }
            ));
        }
        match (self.quantile(0.5), self.quantile(0.9)) {
            (Some(med), Some(p90)) => s.push_str(&format!(
                " Of the {} speedups between 0.5x and 2x in both, the new one differs from \
                 the old by a median of {:.1} % and a 90th percentile of {:.1} %.",
                self.moves.len(),
                med * 100.0,
                p90 * 100.0
            )),
            _ => s.push_str(" No speedup lies between 0.5x and 2x in both."),
        }
        if self.opposite.is_empty() {
            s.push_str(" No speedup is faster in one record and slower in the other.");
        } else {
            let list: Vec<String> = self
                .opposite
                .iter()
                .map(|(id, size, v, o, n)| {
                    format!(
                        "`{id}` {} `{v}` {} → {}",
                        size_label(id, size),
                        fmt_ratio(o),
                        fmt_ratio(n)
                    )
                })
                .collect();
            s.push_str(&format!(
                " {} speedup{} faster in one record and slower in the other: {}.",
                list.len(),
                if list.len() == 1 { " is" } else { "s are" },
                list.join(", ")
            ));
        }
        s
    }
}

/// Verdicts and near-1x speedups of two records, row by row.
pub fn agreement(old: &Run, new: &Run) -> Agreement {
    let mut a = Agreement::default();
    for nh in &new.hints {
        let Some(oh) = old.hints.iter().find(|h| h.id == nh.id) else {
            continue;
        };
        for nr in &nh.rows {
            let Some(or) = oh.rows.iter().find(|r| r.param == nr.param) else {
                continue;
            };
            let (Some(ov), Some(nv)) = (
                verdict(&nh.id, or, old.margin()),
                verdict(&nh.id, nr, new.margin()),
            ) else {
                continue;
            };
            a.rows += 1;
            if ov.level == nv.level {
                a.agree += 1;
            } else {
                let noisy = |row: &crate::model::Row| {
                    row.variants
                        .iter()
                        .skip(1)
                        .filter_map(|v| row.speedup(&v.name))
                        .any(|s| !stable(&s))
                };
                if ov.level != Level::LayoutSensitive
                    && nv.level != Level::LayoutSensitive
                    && !noisy(or)
                    && !noisy(nr)
                {
                    a.unwarned
                        .push(format!("`{}` {}", nh.id, size_label(&nh.id, &nr.param)));
                }
                a.differ
                    .push((nh.id.clone(), nr.param.clone(), ov.level, nv.level));
            }
            for v in nr.variants.iter().skip(1) {
                if let (Some(o), Some(n)) = (or.speedup(&v.name), nr.speedup(&v.name)) {
                    use crate::judge::predict::Outcome;
                    let sides = (Outcome::of(&o, old.margin()), Outcome::of(&n, new.margin()));
                    if matches!(
                        sides,
                        (Outcome::Faster, Outcome::Slower) | (Outcome::Slower, Outcome::Faster)
                    ) {
                        a.opposite
                            .push((nh.id.clone(), nr.param.clone(), v.name.clone(), o, n));
                    }
                    let near = |x: f64| (0.5..=2.0).contains(&x);
                    if near(o.point) && near(n.point) {
                        a.moves.push((n.point / o.point - 1.0).abs());
                    }
                }
            }
        }
    }
    a
}

/// The comparison as markdown, padded so it also reads in a terminal. With
/// `only_moved`, per-hint tables keep the moved rows only.
pub fn render(old: &Run, new: &Run, old_name: &str, new_name: &str, only_moved: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Compare records\n");
    let _ = writeln!(out, "- old: `{old_name}`\n- new: `{new_name}`\n");
    let _ = writeln!(out, "{}\n", agreement(old, new).summary());
    let differ = machines(old, new, &mut out);
    out.push('\n');
    if differ.is_empty() {
        let _ = writeln!(
            out,
            "Same machine description (cpu, cores, os, rustc) in both records.\n"
        );
    } else {
        let _ = writeln!(
            out,
            "**Different machines or toolchains** ({} differ): times are not comparable \
             between the records, speedups (ratios within one run) are.\n",
            differ.join(", ")
        );
    }
    for (run, name) in [(old, "old"), (new, "new")] {
        if run.quick || run.filter.is_some() {
            let _ = writeln!(
                out,
                "The {name} record is {}: its figures are for a smoke test only.\n",
                if run.quick { "a quick run" } else { "filtered" }
            );
        }
        if let Some(o) = &run.origin {
            let _ = writeln!(
                out,
                "The {name} record was imported{}{}.\n",
                if o.sources.len() > 1 {
                    format!(", assembled from {} filtered runs", o.sources.len())
                } else {
                    String::new()
                },
                if o.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", o.note)
                }
            );
        }
    }
    let _ = writeln!(
        out,
        "Speedup is `bad` ÷ variant within each record, with the range its 95 % \
         confidence intervals allow. A row **moved** when the old and new ranges do \
         not overlap (the change is beyond both runs' spread); otherwise it is within noise.\n"
    );

    break_even_shifts(old, new, &mut out);

    let all = lines(old, new);
    let count = |m: Moved| all.iter().filter(|l| l.moved == m).count();
    let only = |run: &Run, other: &Run| -> Vec<String> {
        run.hints
            .iter()
            .filter(|h| !other.hints.iter().any(|o| o.id == h.id))
            .map(|h| format!("`{}`", h.id))
            .collect()
    };
    let _ = write!(
        out,
        "{} rows in both: {} moved up, {} moved down, {} within noise; {} only in old, {} only in new.",
        count(Moved::Up) + count(Moved::Down) + count(Moved::Noise),
        count(Moved::Up),
        count(Moved::Down),
        count(Moved::Noise),
        count(Moved::OnlyOld),
        count(Moved::OnlyNew),
    );
    for (what, ids) in [
        ("Hints only in old", only(old, new)),
        ("Hints only in new", only(new, old)),
    ] {
        if !ids.is_empty() {
            let _ = write!(out, " {what}: {}.", ids.join(", "));
        }
    }
    out.push_str("\n\n");

    let mut ids: Vec<&str> = Vec::new();
    for l in &all {
        if !ids.contains(&l.id.as_str()) {
            ids.push(&l.id);
        }
    }
    let mut shown = 0;
    for id in ids {
        let rows: Vec<Vec<String>> = all
            .iter()
            .filter(|l| l.id == id && (!only_moved || l.moved.moved()))
            .map(|l| {
                let show = |e: Option<Estimate>| e.map_or_else(|| "—".into(), |e| fmt_ratio(&e));
                vec![
                    size_label(id, &l.size),
                    l.variant.clone(),
                    show(l.old),
                    show(l.new),
                    change(l.old, l.new),
                    l.moved.label().into(),
                ]
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        shown += 1;
        let size = [new, old]
            .iter()
            .find_map(|r| r.hints.iter().find(|h| h.id == id))
            .map_or("size".to_string(), |h| h.size_label.clone());
        let _ = writeln!(out, "### {id}\n");
        Table {
            header: vec![
                size,
                "variant".into(),
                "old speedup".into(),
                "new speedup".into(),
                "new ÷ old".into(),
                "".into(),
            ],
            rows,
        }
        .render(&mut out);
        out.push('\n');
    }
    if shown == 0 && only_moved {
        let _ = writeln!(out, "No row moved beyond the spread.\n");
    }
    out
}

/// The hints whose break-even size ([`series::break_even`]) is not the same
/// in both records, as a table: where `good` starts or stops winning.
fn break_even_shifts(old: &Run, new: &Run, out: &mut String) {
    let rows: Vec<Vec<String>> = new
        .hints
        .iter()
        .filter_map(|n| {
            let o = old.hints.iter().find(|o| o.id == n.id)?;
            // Along the last series both records have (the most threads
            // both machines have, for a thread hint).
            let old_series = series::series_names(o);
            let series = series::series_names(n)
                .into_iter()
                .rev()
                .find(|s| old_series.contains(s))?;
            let a = series::break_even_in(o, old.margin(), &series)?;
            let b = series::break_even_in(n, new.margin(), &series)?;
            let text = |b: &BreakEven| {
                let t = b.text(&|x| short_number(x));
                if series.is_empty() {
                    t
                } else {
                    format!("{series}: {t}")
                }
            };
            a.shifted(&b)
                .then(|| vec![format!("`{}`", n.id), text(&a), text(&b)])
        })
        .collect();
    let _ = writeln!(out, "### Break-even shifts\n");
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "Every hint in both records breaks even at the same place.\n"
        );
        return;
    }
    let _ = writeln!(
        out,
        "Where `good` starts (or stops) beating `bad`, interpolated between the sizes \
         around the change, for the {} hints where the records differ (a different kind \
         of answer, or ranges that do not overlap; along the last series both have):\n",
        rows.len()
    );
    Table {
        header: vec!["hint".into(), "old".into(), "new".into()],
        rows,
    }
    .render(out);
    out.push('\n');
}

/// `perf-hints compare [OLD NEW] [--only-moved]` on the repository at `root`:
/// the reference machine's two newest records when `old_new` is `None`; otherwise each a path, or
/// a file name under `results/records/`.
pub fn run(root: &Path, old_new: Option<(&str, &str)>, only_moved: bool) -> Result<String, String> {
    let (old, new) = match old_new {
        None => {
            let machines = results::machines(root)?;
            let reference = machines
                .iter()
                .find(|m| m.reference)
                .expect("machines() has the reference machine");
            let [.., old, new] = reference.records.as_slice() else {
                return Err(format!(
                    "compare needs two records of the reference machine and {} has one; record \
                     another with `{RECORD_COMMAND}`, or name two records: `{COMPARE_COMMAND} OLD NEW`",
                    root.join("results").join("records").display()
                ));
            };
            (old.path.clone(), new.path.clone())
        }
        Some((old, new)) => (resolve(root, old), resolve(root, new)),
    };
    let name = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .display()
            .to_string()
            .replace('\\', "/")
    };
    Ok(render(
        &results::load(&old)?,
        &results::load(&new)?,
        &name(&old),
        &name(&new),
        only_moved,
    ))
}

/// A path as given, or a record's file name under `results/records/`.
pub fn resolve(root: &Path, arg: &str) -> PathBuf {
    let p = PathBuf::from(arg);
    let in_records = root.join("results").join("records").join(arg);
    if !p.exists() && in_records.exists() {
        in_records
    } else {
        p
    }
}
