//! `perf-hints report`: the published files rendered from the newest record
//! (`results/README.md`, a page, a chart and a rustdoc fragment per hint, the
//! overview chart and the top-level README's results section). `report
//! --check` fails when they no longer match.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::model::{HintRun, Run};
use crate::publish::records::{RECORD_COMMAND, records, repo_root, write_atomic};
use crate::publish::{atlas, chart, outcome, table};
use crate::support::fmt::plural;

/// The command that regenerates the published table.
pub const REPORT_COMMAND: &str = "cargo run --release -- report";

/// The markers around the generated results section of the top-level README.
pub const README_START: &str = "<!-- results:start -->";
pub const README_END: &str = "<!-- results:end -->";

/// Folders whose every file `report` generates: a file there that the current
/// render does not produce is stale.
const GENERATED_DIRS: &[&str] = &["results/hints", "results/charts", "results/rustdoc"];

/// What "the sources" are, for the first place a reader meets the word.
pub const SOURCES_EXPLAINED: &str = "*The sources* are the four documents the hints come from: \
     a Rust and Python performance-hints guide after Abseil's (the main one), a hands-on Python \
     performance guide, an article on Python caching and algorithmic fixes, and a Python \
     performance triage workflow. *The sources' claim* is what they say a hint's fix buys, with \
     their figure where they give one; the crate judges it apart from its own model.";

/// The map from the source documents' points to the hints that measure them
/// (`results/sources.md` with `link` to hint pages; the rustdoc fragment with
/// intra-doc links), from the hints' own `SOURCES` declarations.
fn sources_md(
    generated: &str,
    link: &dyn Fn(&str) -> String,
    text: &dyn Fn(&str) -> String,
) -> String {
    use crate::sources::{Document, UNMEASURED};
    let entries = crate::hints::all();
    let mut points: Vec<crate::sources::SourcePoint> = Vec::new();
    for e in entries {
        for s in e.sources() {
            if !points.contains(s) {
                points.push(*s);
            }
        }
    }
    let order = |s: &crate::sources::SourcePoint| {
        let at = crate::sources::ALL.iter().position(|a| a == s);
        (s.document, at.unwrap_or(usize::MAX))
    };
    points.sort_by_key(order);
    let mut md = format!(
        "{generated}# The sources, point by point\n\n{}\n\nEach point below is one claim of \
         one document, in this crate's words, with the hints that measure it; every hint \
         declares its points (`const SOURCES` in its module), and `{REPORT_COMMAND}` builds \
         this table from those declarations. {} points, measured by {} hints; `aa_control` \
         (the A/A control) and `fast_hasher` are the crate's own and measure none.\n",
        text(SOURCES_EXPLAINED),
        points.len(),
        entries.iter().filter(|e| !e.sources().is_empty()).count(),
    );
    for d in Document::ALL {
        let rows: Vec<Vec<String>> = points
            .iter()
            .filter(|s| s.document == d)
            .map(|s| {
                let ids: Vec<String> = entries
                    .iter()
                    .filter(|e| e.sources().contains(s))
                    .map(|e| link(e.id()))
                    .collect();
                vec![text(s.point), text(s.claim), ids.join(", ")]
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(md, "\n## {}\n\n{}\n", text(d.title()), text(d.about()));
        table::Table {
            header: vec![
                "point".into(),
                "its claim, paraphrased".into(),
                "measured by".into(),
            ],
            rows,
        }
        .render(&mut md);
    }
    let _ = writeln!(
        md,
        "\n## Points not measured\n\nPoints with a meaning in Rust that no hint measures, \
         and why. (Points that only make sense in Python, such as `__slots__` or a JIT, are \
         left out.)\n"
    );
    table::Table {
        header: vec!["document".into(), "point".into(), "why not".into()],
        rows: UNMEASURED
            .iter()
            .map(|u| vec![text(u.document.title()), text(u.point), text(u.why)])
            .collect(),
    }
    .render(&mut md);
    md
}

/// `path` relative to `root`, with forward slashes, for messages and links.
fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
        .replace('\\', "/")
}

/// Every hint the published files cover: the listed ones in list order (with
/// their figures when the record has them), then any the record has that the
/// list no longer does.
pub fn covered(run: &Run) -> Vec<(String, Option<&HintRun>, Option<&'static str>)> {
    let listed = crate::hints::all();
    let mut out: Vec<_> = listed
        .iter()
        .map(|e| {
            (
                e.id().to_string(),
                run.hints.iter().find(|h| h.id == e.id()),
                e.feature(),
            )
        })
        .collect();
    for h in &run.hints {
        if !listed.iter().any(|e| e.id() == h.id) {
            out.push((h.id.clone(), Some(h), None));
        }
    }
    out
}

/// How to measure a hint the newest record lacks.
fn placeholder(id: &str, feature: Option<&str>, record: &str) -> String {
    let features = feature.map_or(String::new(), |f| format!(" --features {f}"));
    format!(
        "Not in the newest record (`{record}`). Measure it with `cargo bench{features} -- {id}/`, \
         and record a full run with `{RECORD_COMMAND}{features}`.\n"
    )
}

/// The size a headline is taken at, as the overview table shows it.
fn headline_size(h: &HintRun, size: &str) -> String {
    let label = table::size_label(&h.id, size);
    if label == size {
        format!("{} = {label}", h.size_label)
    } else {
        label
    }
}

/// The overview table: one line per hint, linked with `link(id)`.
pub fn overview_table(
    hints: &[(String, Option<&HintRun>, Option<&'static str>)],
    margin: f64,
    link: &dyn Fn(&str) -> String,
) -> String {
    let dash = || "—".to_string();
    let rows = hints
        .iter()
        .map(|(id, h, _)| {
            let head = h.and_then(|h| table::headline(h, margin));
            let mut cells = vec![format!("[`{id}`]({})", link(id))];
            cells.push(
                h.and_then(|h| outcome::claim(h, margin))
                    .map_or_else(dash, |(_, j)| {
                        // The sizes where it holds when they fit the column; the
                        // hint's page has them all.
                        let plain = ["holds at every size", "not at any size"];
                        if j.text.len() <= 48 && !plain.contains(&j.text.as_str()) {
                            format!("**{}**: {}", j.outcome.label(), j.text)
                        } else {
                            format!("**{}**", j.outcome.label())
                        }
                    }),
            );
            match (h, head) {
                (Some(h), Some(hl)) => {
                    cells.push(headline_size(h, &hl.size));
                    cells.push(table::fmt_ratio(&hl.speedup));
                    cells.push(format!(
                        "{}x – {}x",
                        table::fmt_ratio_short(hl.min),
                        table::fmt_ratio_short(hl.max)
                    ));
                    cells.push(table::verdict_summary([*h], margin));
                }
                (Some(_), None) => {
                    cells.extend([dash(), "not timed".into(), dash(), dash()]);
                }
                (None, _) => {
                    cells.extend([dash(), "not in this record".into(), dash(), dash()]);
                }
            }
            cells
        })
        .collect();
    let mut out = String::new();
    table::Table {
        header: vec![
            "hint".into(),
            "the sources' claim".into(),
            "largest size".into(),
            "good vs bad there (95 % range)".into(),
            "good vs bad, all sizes".into(),
            "the crate's model".into(),
        ],
        rows,
    }
    .render(&mut out);
    out
}

/// Everything `report` writes, by path relative to `root`: the published
/// table, a markdown file and a chart per hint, a rustdoc fragment per hint,
/// the overview chart and the top-level README with its results section
/// regenerated.
pub fn render_all(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let files = records(root)?;
    let machines = crate::publish::records::machines(root)?;
    let reference = machines
        .iter()
        .find(|m| m.reference)
        .expect("machines() has the reference machine");
    let newest = &reference.newest().path;
    let run = reference.newest().run.clone();
    let newest_runs: Vec<&Run> = machines.iter().map(|m| &m.newest().run).collect();
    let names = atlas::names(&newest_runs);
    let columns: Vec<atlas::Column> = machines
        .iter()
        .zip(&names)
        .map(|(m, name)| atlas::Column {
            name: name.clone(),
            file: rel(root, &m.newest().path),
            run: &m.newest().run,
            reference: m.reference,
        })
        .collect();
    let margin = run.margin();
    let record = rel(root, newest);
    let hints = covered(&run);
    let generated = format!("<!-- generated by `{REPORT_COMMAND}`; do not edit -->\n\n");
    let mut out = BTreeMap::new();

    // The published table: overview, then a section per hint with its chart.
    let mut page = table::render_header(&run, REPORT_COMMAND);
    let _ = writeln!(
        page,
        "### Overview\n\n{SOURCES_EXPLAINED} Which of their points each hint measures: \
         [`sources.md`](sources.md).\n\n![Speedup of good over bad per hint](charts/overview.svg)\n"
    );
    page.push_str(&overview_table(&hints, margin, &|id| format!("#{id}")));
    page.push('\n');
    for (id, h, feature) in &hints {
        let _ = writeln!(page, "### {id}\n");
        match h {
            Some(h) => {
                let _ = writeln!(
                    page,
                    "![{id}: time per call and speedup over bad against size](charts/{id}.svg)\n"
                );
                table::render_hint_body(h, margin, &mut page);
            }
            None => {
                page.push_str(&placeholder(id, *feature, &record));
                page.push('\n');
            }
        }
    }
    let _ = writeln!(
        page,
        "Rendered from `{record}`. All records, oldest first:\n"
    );
    for f in &files {
        let _ = writeln!(
            page,
            "- [`{}`]({})",
            rel(root, f),
            rel(&root.join("results"), f)
        );
    }
    let _ = writeln!(
        page,
        "\n## Atlas of machines\n\nThe tables above are the reference machine's. The newest \
         record of every machine, side by side with break-even sizes and the rows where \
         machines differ: [`atlas.md`](atlas.md).\n"
    );
    {
        let mut machines_md = String::new();
        for c in &columns {
            let _ = writeln!(
                machines_md,
                "- **{}**{}: `{}`",
                c.name,
                if c.reference { " (reference)" } else { "" },
                c.file
            );
        }
        page.push_str(&machines_md);
        page.push('\n');
    }
    let coverage = crate::publish::lints::render(&crate::publish::lints::coverage());
    let _ = writeln!(
        page,
        "## Finding the bad patterns: lint coverage\n\n{coverage}\nEach hint's page and module \
         doc (\"Finding it\") names the lint, or the profile signal where no lint catches it.\n"
    );
    out.insert(
        "results/rustdoc/lints.md".to_string(),
        rustdoc_escape(&format!(
            "{generated}# Finding the bad patterns: lint coverage\n\n{coverage}"
        )),
    );
    let _ = writeln!(
        page,
        "## The main source's cost table\n\nThe latency table of the main source document (an \
         L1 reference, a mispredict, a `tokio::spawn`...) measured on the reference machine, \
         each row beside the document's figure: [`costs.md`](costs.md); every machine's column \
         is in the atlas.\n"
    );
    out.insert("results/README.md".to_string(), page);
    out.insert(
        "results/sources.md".to_string(),
        sources_md(&generated, &|id| format!("[`{id}`](hints/{id}.md)"), &|t| {
            t.to_string()
        }),
    );
    out.insert(
        "results/rustdoc/sources.md".to_string(),
        sources_md(
            &generated,
            &|id| format!("[`{id}`](crate::hints::{id})"),
            &|t| rustdoc_escape(t).trim_end().to_string(),
        ),
    );
    out.insert(
        "results/costs.md".to_string(),
        format!(
            "{generated}# The main source's cost table, measured\n\n{} From `{record}`.\n\n{}",
            table::run_line(&run),
            crate::publish::costs::render(&run)
        ),
    );
    out.insert(
        "results/atlas.md".to_string(),
        atlas::render(&columns, &generated),
    );

    // A page, a rustdoc fragment and a chart per hint.
    let run_line = table::run_line(&run);
    for (id, h, feature) in &hints {
        let mut md = format!("{generated}# `{id}`\n\n");
        if crate::hints::source(id).is_some() {
            let _ = writeln!(
                md,
                "The hint, its cost model and both variants: [`src/hints/{id}.rs`](../../src/hints/{id}.rs).\n"
            );
        }
        let mut doc = format!("{generated}### Latest recorded figures\n\n");
        match h {
            Some(h) => {
                let _ = writeln!(
                    md,
                    "{run_line} From `{record}`; every hint: [results](../README.md).\n\n\
                     ![{id}: time per call and speedup over bad against size](../charts/{id}.svg)\n"
                );
                table::render_hint_body(h, margin, &mut md);
                if atlas::is_thread_hint(id) {
                    for c in columns.iter().filter(|c| !c.reference) {
                        let Some(other) = c.run.hints.iter().find(|o| &o.id == id) else {
                            continue;
                        };
                        let slug = atlas::slug(&c.name);
                        let _ = writeln!(
                            md,
                            "\n## On {}\n\n{} From `{}`.{}\n\n\
                             ![{id} on {}: time per call and speedup over bad](../charts/{id}@{slug}.svg)\n",
                            c.name,
                            table::run_line(c.run),
                            c.file,
                            ideal(id, c.run.machine.cores)
                                .map_or(String::new(), |i| format!(" {i}")),
                            c.name,
                        );
                        table::render_hint_body(other, c.run.margin(), &mut md);
                        out.insert(
                            format!("results/charts/{id}@{slug}.svg"),
                            chart::hint_svg_on(other, &c.name)?,
                        );
                    }
                }
                let _ = writeln!(
                    doc,
                    "{run_line} From `{record}`; the chart is `results/charts/{id}.svg`, \
                     regenerated by `{REPORT_COMMAND}`.\n"
                );
                table::render_hint_body(h, margin, &mut doc);
                out.insert(format!("results/charts/{id}.svg"), chart::hint_svg(h)?);
            }
            None => {
                md.push_str(&placeholder(id, *feature, &record));
                doc.push_str(&placeholder(id, *feature, &record));
            }
        }
        out.insert(format!("results/hints/{id}.md"), md);
        out.insert(format!("results/rustdoc/{id}.md"), rustdoc_escape(&doc));
    }
    let bars: Vec<(String, Option<&HintRun>)> =
        hints.iter().map(|(id, h, _)| (id.clone(), *h)).collect();
    out.insert(
        "results/charts/overview.svg".to_string(),
        chart::overview_svg(&bars, margin)?,
    );

    // The top-level README's results section.
    let readme_path = root.join("README.md");
    let readme = fs::read_to_string(&readme_path)
        .map_err(|e| format!("cannot read {}: {e}", readme_path.display()))?;
    let mut section = format!(
        "\n<!-- generated by `{REPORT_COMMAND}` from the newest record; do not edit between the markers -->\n\n\
         ![Speedup of good over bad per hint](results/charts/overview.svg)\n\n\
         {run_line} Every table and a chart per hint: [`results/README.md`](results/README.md).\n\n"
    );
    section.push_str(&catalogue(&hints, margin));
    section.push('\n');
    out.insert(
        "README.md".to_string(),
        replace_between_markers(&readme, &section)
            .map_err(|e| format!("{}: {e}", readme_path.display()))?,
    );
    Ok(out)
}

/// The README's hint catalogue: the listed hints grouped by topic, each
/// linked to its results page, with what it is (its doc's title), the
/// sources' claim judged on the record, `good` against `bad` over all sizes,
/// and the lints that catch its bad pattern (its doc's "Caught by:").
fn catalogue(hints: &[(String, Option<&HintRun>, Option<&'static str>)], margin: f64) -> String {
    let mut rows = Vec::new();
    for topic in crate::hint::Topic::ALL {
        let entries: Vec<_> = crate::hints::all()
            .iter()
            .filter(|e| e.topic() == topic)
            .collect();
        if entries.is_empty() {
            continue;
        }
        rows.push(vec![
            format!("**{}**", topic.title()),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        for e in entries {
            let id = e.id();
            let doc = crate::hints::module_doc(e.source());
            let title = doc.lines().next().unwrap_or("").trim_start_matches("# ");
            let title = title.strip_suffix(&format!(" (`{id}`)")).unwrap_or(title);
            let h = hints
                .iter()
                .find(|(i, ..)| i == id)
                .and_then(|(_, h, _)| *h);
            let claim = h
                .and_then(|h| outcome::claim(h, margin))
                .map_or_else(|| "—".to_string(), |(_, j)| j.outcome.label().to_string());
            let range = h.and_then(|h| table::headline(h, margin)).map_or_else(
                || "not in this record".to_string(),
                |hl| {
                    format!(
                        "{}x – {}x",
                        table::fmt_ratio_short(hl.min),
                        table::fmt_ratio_short(hl.max)
                    )
                },
            );
            let lints: Vec<String> = crate::publish::lints::finding(e.source())
                .map(|f| f.caught_by)
                .unwrap_or_default()
                .iter()
                .map(|l| format!("`{}` ({})", l.name, l.group))
                .collect();
            rows.push(vec![
                format!("[`{id}`](results/hints/{id}.md)"),
                title.to_string(),
                claim,
                range,
                if lints.is_empty() {
                    "none".to_string()
                } else {
                    lints.join(", ")
                },
            ]);
        }
    }
    let mut out = String::new();
    table::Table {
        header: vec![
            "hint".into(),
            "what it shows".into(),
            "the sources' claim".into(),
            "good vs bad, all sizes".into(),
            "caught by".into(),
        ],
        rows,
    }
    .render(&mut out);
    out
}

/// What a thread hint's figures should be read against, beside the other
/// machines' tables: the ideal or the sources' figure. `cores` is the
/// machine's, from its record: the most threads the hints run at there.
fn ideal(id: &str, cores: usize) -> Option<String> {
    Some(match id {
        "parallel_iter" => format!(
            "The ideal for CPU-bound work split over T threads is T x ({cores}x at {} on this \
             record's machine); the speedup column is the measurement against it.",
            plural(cores, "thread")
        ),
        "spawn_granularity" => "The sources put one `tokio::spawn` at 200-500 ns; `bad` spawns \
                                a task per item, so its time per call over the items, against \
                                `good`'s, is the measured cost."
            .to_string(),
        "sharded_map" => "One `RwLock` serialises every write, so the ideal for the sharded map \
                          at T threads is T x at 100 % writes, if the shards never collide."
            .to_string(),
        "lock_contention" => {
            "Per-thread counters merged once never contend, so their ideal is T x at T threads."
                .to_string()
        }
        _ => return None,
    })
}

/// Generated markdown made safe for rustdoc: outside code spans, `[` and `]`
/// would be read as intra-doc links (`#[inline]` in a claim) and `<` as an
/// HTML tag (`Vec<u32>`), so they are escaped; HTML comment lines stay.
fn rustdoc_escape(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        if line.starts_with("<!--") {
            out.push_str(line);
        } else {
            let mut code = false;
            for c in line.chars() {
                match c {
                    '`' => {
                        code = !code;
                        out.push(c);
                    }
                    '[' | ']' if !code => {
                        out.push('\\');
                        out.push(c);
                    }
                    '<' if !code => out.push_str("&lt;"),
                    _ => out.push(c),
                }
            }
        }
        out.push('\n');
    }
    out
}

/// `text` with everything between [`README_START`] and [`README_END`]
/// replaced by `section`.
pub fn replace_between_markers(text: &str, section: &str) -> Result<String, String> {
    let (Some(start), Some(end)) = (text.find(README_START), text.find(README_END)) else {
        return Err(format!(
            "no results section: add a line `{README_START}` and a line `{README_END}` \
             where it goes, then run `{REPORT_COMMAND}`"
        ));
    };
    if end < start {
        return Err(format!(
            "`{README_END}` comes before `{README_START}`; put the start marker first"
        ));
    }
    let head = &text[..start + README_START.len()];
    Ok(format!("{head}{section}{}", &text[end..]))
}

/// Generated files under [`GENERATED_DIRS`] that `want` does not produce.
fn stale(root: &Path, want: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for dir in GENERATED_DIRS {
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| format!("{dir}/{}", e.file_name().to_string_lossy()))
            .filter(|p| !want.contains_key(p))
            .collect();
        names.sort();
        out.extend(names);
    }
    out
}

/// `perf-hints report` on the repository at `root`: writes every generated
/// file that differs from the render of the newest record and removes stale
/// ones; with `check`, writes nothing and fails naming every file that is
/// missing, differs or is stale. Records are never written or removed.
/// Returns one line per file changed (or, with `check`, a summary).
pub fn report_at(root: &Path, check: bool) -> Result<Vec<String>, String> {
    let want = render_all(root)?;
    let mut problems = Vec::new();
    let mut changed = Vec::new();
    for (path, contents) in &want {
        let full = root.join(path);
        match fs::read_to_string(&full) {
            Ok(have) if have == *contents => {}
            Ok(_) if check => problems.push(format!("{path} does not match its record")),
            Err(_) if check => problems.push(format!("{path} is missing")),
            _ => {
                write_atomic(&full, contents)?;
                changed.push(format!("wrote {path}"));
            }
        }
    }
    for path in stale(root, &want) {
        if check {
            problems.push(format!(
                "{path} is stale: no listed or recorded hint produces it"
            ));
        } else {
            let full = root.join(&path);
            fs::remove_file(&full).map_err(|e| format!("cannot remove {}: {e}", full.display()))?;
            changed.push(format!("removed {path} (stale)"));
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "the generated results do not match the newest record:\n  {}\nregenerate them with `{REPORT_COMMAND}`",
            problems.join("\n  ")
        ));
    }
    if check {
        return Ok(vec![format!(
            "{} generated files match the newest record",
            want.len()
        )]);
    }
    if changed.is_empty() {
        changed.push(format!(
            "all {} generated files were up to date",
            want.len()
        ));
    }
    Ok(changed)
}

/// `perf-hints report [--check]` on this repository.
pub fn report(check: bool) -> Result<(), String> {
    for line in report_at(&repo_root(), check)? {
        println!("{line}");
    }
    Ok(())
}
