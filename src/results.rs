//! Records under `results/records/` and the published table generated from them.
//!
//! A record is one full, unfiltered `cargo bench` run with the machine it came
//! from. Records are only ever added: a new one gets a new dated file name and
//! an existing file is never written. `results/README.md` is generated from the
//! newest record; `perf-hints report --check` fails when it no longer matches.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::chart;
use crate::hint::{EachHint, Hint};
use crate::report::{self, HintRun, Run};

/// The command that records a run, as the README and the errors give it.
pub const RECORD_COMMAND: &str = "PERF_HINTS_RECORD=1 cargo bench";
/// The command that regenerates the published table.
pub const REPORT_COMMAND: &str = "cargo run --release -- report";

/// The repository this crate was built from.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn records_dir(root: &Path) -> PathBuf {
    root.join("results").join("records")
}

/// Writes `contents` to `path` through a temporary file and a rename, so a
/// failure midway leaves the old file whole.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, contents).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}

/// Reads one record, naming the file and the fix when it cannot.
pub fn load(path: &Path) -> Result<Run, String> {
    let text = fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read {}: {e}; record a run with `{RECORD_COMMAND}`",
            path.display()
        )
    })?;
    let run: Run = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a valid record ({e}); restore it with `git checkout -- {}` \
             or record a new run with `{RECORD_COMMAND}`",
            path.display(),
            path.display()
        )
    })?;
    if run.schema != report::SCHEMA {
        return Err(format!(
            "{} has record schema {}, this build reads {}; record a new run with `{RECORD_COMMAND}`",
            path.display(),
            run.schema,
            report::SCHEMA
        ));
    }
    Ok(run)
}

/// Record files, oldest first (their names start with the UTC date and time).
pub fn records(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = records_dir(root);
    let entries = fs::read_dir(&dir).map_err(|e| {
        format!(
            "no records in {} ({e}); record a full run with `{RECORD_COMMAND}`",
            dir.display()
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "no records in {}; record a full run with `{RECORD_COMMAND}`",
            dir.display()
        ));
    }
    Ok(files)
}

/// The markers around the generated results section of the top-level README.
pub const README_START: &str = "<!-- results:start -->";
pub const README_END: &str = "<!-- results:end -->";

/// Folders whose every file `report` generates: a file there that the current
/// render does not produce is stale.
const GENERATED_DIRS: &[&str] = &["results/hints", "results/charts", "results/rustdoc"];

/// `path` relative to `root`, with forward slashes, for messages and links.
fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
        .replace('\\', "/")
}

/// What a listed hint needs, for the placeholder of one the record lacks.
struct Listed {
    id: &'static str,
    feature: Option<&'static str>,
}

fn listed() -> Vec<Listed> {
    struct L(Vec<Listed>);
    impl EachHint for L {
        fn hint<H: Hint>(&mut self) {
            self.0.push(Listed {
                id: H::ID,
                feature: H::FEATURE,
            });
        }
    }
    let mut l = L(Vec::new());
    crate::hints::for_each_listed(&mut l);
    l.0
}

/// Every hint the published files cover: the listed ones in list order (with
/// their figures when the record has them), then any the record has that the
/// list no longer does.
fn covered(run: &Run) -> Vec<(String, Option<&HintRun>, Option<&'static str>)> {
    let listed = listed();
    let mut out: Vec<_> = listed
        .iter()
        .map(|l| {
            (
                l.id.to_string(),
                run.hints.iter().find(|h| h.id == l.id),
                l.feature,
            )
        })
        .collect();
    for h in &run.hints {
        if !listed.iter().any(|l| l.id == h.id) {
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
fn headline_size(h: &HintRun, size: usize) -> String {
    let label = report::size_label(&h.id, size);
    if label == size.to_string() {
        format!("{} = {label}", h.size_label)
    } else {
        label
    }
}

/// The overview table: one line per hint, linked with `link(id)`.
fn overview_table(
    hints: &[(String, Option<&HintRun>, Option<&'static str>)],
    link: &dyn Fn(&str) -> String,
) -> String {
    let dash = || "—".to_string();
    let rows = hints
        .iter()
        .map(|(id, h, _)| {
            let head = h.and_then(report::headline);
            let mut cells = vec![format!("[`{id}`]({})", link(id))];
            match (h, head) {
                (Some(h), Some(hl)) => {
                    cells.push(headline_size(h, hl.size));
                    cells.push(report::fmt_ratio(&hl.speedup));
                    cells.push(format!(
                        "{}x – {}x",
                        report::fmt_ratio_short(hl.min),
                        report::fmt_ratio_short(hl.max)
                    ));
                    cells.push(report::verdict_summary([*h]));
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
    report::Table {
        header: vec![
            "hint".into(),
            "largest size".into(),
            "good vs bad there (95 % range)".into(),
            "good vs bad, all sizes".into(),
            "verdicts".into(),
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
    let newest = files.last().expect("records() returns at least one");
    let run = load(newest)?;
    let record = rel(root, newest);
    let hints = covered(&run);
    let generated = format!("<!-- generated by `{REPORT_COMMAND}`; do not edit -->\n\n");
    let mut out = BTreeMap::new();

    // The published table: overview, then a section per hint with its chart.
    let mut page = report::render_header(&run, REPORT_COMMAND);
    let _ = writeln!(
        page,
        "### Overview\n\n![Speedup of good over bad per hint](charts/overview.svg)\n"
    );
    page.push_str(&overview_table(&hints, &|id| format!("#{id}")));
    page.push('\n');
    for (id, h, feature) in &hints {
        let _ = writeln!(page, "### {id}\n");
        match h {
            Some(h) => {
                let _ = writeln!(
                    page,
                    "![{id}: time per call and speedup over bad against size](charts/{id}.svg)\n"
                );
                report::render_hint_body(h, &mut page);
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
    out.insert("results/README.md".to_string(), page);

    // A page, a rustdoc fragment and a chart per hint.
    let run_line = report::run_line(&run);
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
                report::render_hint_body(h, &mut md);
                let _ = writeln!(
                    doc,
                    "{run_line} From `{record}`; the chart is `results/charts/{id}.svg`, \
                     regenerated by `{REPORT_COMMAND}`.\n"
                );
                report::render_hint_body(h, &mut doc);
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
        chart::overview_svg(&bars)?,
    );

    // The top-level README's results section.
    let readme_path = root.join("README.md");
    let readme = fs::read_to_string(&readme_path)
        .map_err(|e| format!("cannot read {}: {e}", readme_path.display()))?;
    let mut section = format!(
        "\n<!-- generated by `{REPORT_COMMAND}` from the newest record; do not edit between the markers -->\n\n\
         {run_line} Every table and a chart per hint: [`results/README.md`](results/README.md).\n\n\
         ![Speedup of good over bad per hint](results/charts/overview.svg)\n\n"
    );
    section.push_str(&overview_table(&hints, &|id| {
        format!("results/hints/{id}.md")
    }));
    section.push('\n');
    out.insert(
        "README.md".to_string(),
        replace_between_markers(&readme, &section)
            .map_err(|e| format!("{}: {e}", readme_path.display()))?,
    );
    Ok(out)
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

/// Saves a complete run as a new record and regenerates the published table.
/// A filtered, quick or incomplete run is refused and nothing is written.
pub fn record(run: &Run) -> Result<PathBuf, String> {
    if let Some(f) = &run.filter {
        return Err(format!(
            "refusing to record a filtered run (filter {f:?}); run `{RECORD_COMMAND}` with no filter"
        ));
    }
    if run.quick {
        return Err(format!(
            "refusing to record a quick run; unset PERF_HINTS_QUICK and run `{RECORD_COMMAND}`"
        ));
    }
    let missing = run.missing();
    if !missing.is_empty() {
        return Err(format!(
            "refusing to record an incomplete run: no time for {}; rerun `{RECORD_COMMAND}`",
            missing.join(", ")
        ));
    }
    let root = repo_root();
    let dir = records_dir(&root);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let stamp: String = run
        .started
        .chars()
        .take(19)
        .map(|c| if c == ':' { '-' } else { c })
        .collect();
    let rev = run.machine.git_revision.replace("-dirty", "+");
    let json = serde_json::to_string_pretty(run).map_err(|e| e.to_string())?;
    for n in 0.. {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let path = dir.join(format!("{stamp}Z-{rev}{suffix}.json"));
        // create_new: an existing record is never overwritten.
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(json.as_bytes())
                    .and_then(|()| f.write_all(b"\n"))
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                report(false)?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
        }
    }
    unreachable!("the loop returns")
}
