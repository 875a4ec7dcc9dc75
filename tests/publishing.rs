//! The published files say the same thing in every place, and say it of the
//! record they are rendered from, never of the machine that renders them:
//! rendered (in memory, nothing written) from the records in `results/records/`.

use std::collections::BTreeMap;

use perf_hints::costs::{How, PRIMITIVES};
use perf_hints::model::Run;
use perf_hints::publish::records::{machines, repo_root};
use perf_hints::publish::report::render_all;
use perf_hints::publish::table::{self, fmt_ratio_short};

fn rendered() -> BTreeMap<String, String> {
    render_all(&repo_root()).expect("the records under results/ render")
}

/// The cells of a markdown table row: `| a | b |` is `["a", "b"]`.
fn cells(line: &str) -> Vec<String> {
    let line = line.trim();
    line.trim_start_matches('|')
        .trim_end_matches('|')
        .split('|')
        .map(|c| c.trim().to_string())
        .collect()
}

/// The hint id a table row starts with: "[`memoize`](...)" or "`memoize`".
fn row_id(first_cell: &str) -> Option<String> {
    let rest = first_cell.trim_start_matches('[').strip_prefix('`')?;
    Some(rest.split('`').next()?.to_string())
}

/// The rows of the first table after the line `heading`, by hint id, with
/// the header's cells.
fn table_after(md: &str, heading: &str) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let start = md
        .lines()
        .position(|l| l.trim() == heading)
        .unwrap_or_else(|| panic!("no `{heading}`"));
    let mut lines = md
        .lines()
        .skip(start + 1)
        .skip_while(|l| !l.starts_with('|'));
    let header = cells(lines.next().expect("a header row"));
    lines.next(); // the rule under the header
    let rows = lines
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let c = cells(l);
            Some((row_id(&c[0])?, c))
        })
        .collect();
    (header, rows)
}

/// The point figure a cell opens with: "49.7x (43.6–50.5)" is 49.7,
/// "✓✓✓ 1.9x" is 1.9; `None` for a cell without one.
fn figure(cell: &str) -> Option<f64> {
    cell.split_whitespace()
        .find_map(|w| w.strip_suffix('x')?.parse().ok())
}

#[test]
fn the_atlas_and_the_overview_give_every_hint_the_same_figure() {
    let files = rendered();
    let (_, overview) = table_after(&files["results/README.md"], "### Overview");
    let column = overview_column(&files["results/README.md"]);
    let (header, atlas) = table_after(&files["results/atlas.md"], "## Verdicts");

    // The atlas's columns are the machines in the order `machines` gives them.
    let machines = machines(&repo_root()).unwrap();
    assert_eq!(header.len(), machines.len() + 1, "{header:?}");
    let reference = 1 + machines.iter().position(|m| m.reference).unwrap();

    let mut compared = 0;
    for (id, row) in &overview {
        let there = figure(&row[column]);
        let atlas_cell = atlas.get(id).map(|r| r[reference].as_str());
        match there {
            Some(x) => {
                let atlas_cell = atlas_cell.unwrap_or_else(|| panic!("{id}: not in the atlas"));
                let a = figure(atlas_cell);
                assert!(
                    a.is_some_and(|a| same_figure(a, x)),
                    "{id}: the overview gives {x}x, the atlas's reference column `{atlas_cell}`"
                );
                compared += 1;
            }
            None => assert!(
                atlas_cell.is_none_or(|c| figure(c).is_none()),
                "{id}: the atlas has a figure the overview does not: {atlas_cell:?}"
            ),
        }
    }
    assert!(compared >= 40, "only {compared} hints compared");

    // Every machine's column gives that record's own headline.
    for (i, m) in machines.iter().enumerate() {
        let run: &Run = &m.newest().run;
        for h in &run.hints {
            let cell = &atlas[&h.id][i + 1];
            // Compared as the numbers the cell and the headline's short form
            // say: 0.998 shows as "1.00", which reads back as 1.0.
            let want = table::headline(h, run.margin())
                .map(|hl| fmt_ratio_short(hl.speedup.point).parse::<f64>().unwrap());
            assert_eq!(
                figure(cell),
                want,
                "{} on {}: atlas cell `{cell}`",
                h.id,
                m.key
            );
        }
    }
}

/// Whether the atlas's short figure `a` (two significant digits) is the
/// overview's `x` (three) rounded: within half the short figure's last digit,
/// and the overview's own rounding (1.15 may be 1.2 as well as 1.1).
fn same_figure(a: f64, x: f64) -> bool {
    let step = if a >= 10.0 {
        1.0
    } else if a >= 1.0 {
        0.1
    } else {
        0.01
    };
    (a - x).abs() <= step / 2.0 + 0.005 * x + 1e-9
}

/// The index of the overview's "good vs bad there" column.
fn overview_column(md: &str) -> usize {
    let (header, _) = table_after(md, "### Overview");
    header
        .iter()
        .position(|h| h.starts_with("good vs bad there"))
        .unwrap_or_else(|| panic!("no `good vs bad there` column in {header:?}"))
}

#[test]
fn the_ideal_beside_each_machine_names_that_machines_core_count() {
    let files = rendered();
    let page = &files["results/hints/parallel_iter.md"];
    let mut sections = 0;
    for section in page.split("\n## On ").skip(1) {
        let cores: usize = section
            .split(" core")
            .next()
            .and_then(|s| s.rsplit([' ', '(']).next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no core count in `{}`", &section[..200]));
        let threads = if cores == 1 { "thread" } else { "threads" };
        let want = format!("{cores}x at {cores} {threads}");
        assert!(
            section.contains(&want),
            "the section on a {cores}-core machine does not say `{want}`: {}",
            &section[..section.len().min(600)]
        );
        sections += 1;
    }
    assert!(sections > 0, "no other machine's section on the page");
}

/// The words of `text`, lower case, split at anything not a letter.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `text` speaks of the machine at hand: "here", "this machine".
fn speaks_of_here(text: &str) -> bool {
    let w = words(text);
    w.iter().any(|w| w == "here") || w.windows(2).any(|p| p[0] == "this" && p[1] == "machine")
}

#[test]
fn no_text_of_the_cost_table_speaks_of_the_machine_at_hand() {
    assert!(speaks_of_here("no 100 Gbps link here"));
    assert!(speaks_of_here("nothing beyond this machine"));
    assert!(!speaks_of_here("where there is a link"));
    for p in PRIMITIVES {
        let how = match p.how {
            How::Measured(m, _) | How::Feature(_, m) | How::NotMeasured(m) => m,
        };
        for text in [p.what, how] {
            assert!(!speaks_of_here(text), "{}: `{text}`", p.id);
        }
        if let How::NotMeasured(why) = p.how {
            assert!(
                !why.to_lowercase().starts_with("not measured"),
                "{}: the table already says \"not measured: \": `{why}`",
                p.id
            );
        }
    }
    let files = rendered();
    let costs = &files["results/costs.md"];
    if let Some(line) = costs.lines().find(|l| speaks_of_here(l)) {
        panic!("results/costs.md speaks of the machine at hand: {line}");
    }
    for m in machines(&repo_root()).unwrap() {
        let md = perf_hints::publish::costs::render(&m.newest().run);
        if let Some(line) = md.lines().find(|l| speaks_of_here(l)) {
            panic!(
                "{}: the cost table speaks of the machine at hand: {line}",
                m.key
            );
        }
    }
}

/// The summary `cargo bench` ends with fits a terminal for each machine's
/// newest record: at most 80 lines, none wider than 120 columns at the widest
/// layout nor than 100 at a 100-column terminal; and an example's per-hint
/// block fits 100 columns.
#[test]
fn the_terminal_summary_fits_a_terminal() {
    use perf_hints::publish::summary;
    for m in machines(&repo_root()).expect("the records load") {
        {
            let stored = m.newest();
            let run: &Run = &stored.run;
            for width in [summary::MAX_WIDTH, 100] {
                let text = summary::render(run, width, "Full table: target/perf-hints/table.md.");
                let lines: Vec<&str> = text.lines().collect();
                let name = stored.path.display();
                assert!(lines.len() <= 80, "{name}: {} lines", lines.len());
                for l in &lines {
                    let w = console::measure_text_width(l);
                    assert!(
                        w <= width,
                        "{name}: a {w}-column line at width {width}: {l}"
                    );
                }
                for h in &run.hints {
                    assert!(
                        lines.iter().any(|l| l.starts_with(&format!("{} ", h.id))),
                        "{name}: no line for {}",
                        h.id
                    );
                    for l in summary::hint_block(h, run.margin(), 100).lines() {
                        let w = console::measure_text_width(l);
                        assert!(w <= 100, "{name}: {}: a {w}-column line: {l}", h.id);
                    }
                }
            }
        }
    }
}

/// The map from the source documents' points to the hints is generated from
/// the hints' `SOURCES` declarations; the committed copies (the page and the
/// crate docs' fragment) must be what those declarations give now.
#[test]
fn the_source_map_matches_the_hints_declarations() {
    let files = rendered();
    for path in ["results/sources.md", "results/rustdoc/sources.md"] {
        let want = files
            .get(path)
            .unwrap_or_else(|| panic!("report renders no {path}"));
        let have = std::fs::read_to_string(repo_root().join(path)).unwrap_or_default();
        assert!(
            &have == want,
            "{path} is stale: regenerate it with `{}`",
            perf_hints::publish::report::REPORT_COMMAND
        );
    }
    // Every hint that names a point appears in the map, linked.
    for e in perf_hints::hints::all() {
        let linked = format!("[`{}`](hints/{}.md)", e.id(), e.id());
        assert_eq!(
            files["results/sources.md"].contains(&linked),
            !e.sources().is_empty(),
            "{}: in the source map exactly when it declares a point",
            e.id()
        );
    }
}
