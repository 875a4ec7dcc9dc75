//! Bad input to the results tools gives an error that names the file and the
//! fix, and never writes anything.

use perf_hints::model::{Machine, Run, SCHEMA};
use perf_hints::publish::records as results;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(filter: Option<&str>, quick: bool) -> Run {
    Run {
        schema: SCHEMA,
        started: "2026-01-01T00:00:00Z".into(),
        command: "cargo bench".into(),
        filter: filter.map(str::to_string),
        quick,
        seconds: 1.0,
        machine: Machine::default(),
        method: None,
        noise: None,
        costs: Vec::new(),
        origin: None,
        hints: Vec::new(),
        disassembly: Vec::new(),
    }
}

#[test]
fn a_corrupt_record_names_the_file_and_the_fix() {
    let dir = scratch("corrupt");
    let path = dir.join("2026-01-01T00-00-00Z-abc.json");
    std::fs::write(&path, "{ not json").unwrap();
    let err = results::load(&path).unwrap_err();
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains(results::RECORD_COMMAND), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
}

#[test]
fn a_missing_record_names_the_file_and_the_fix() {
    let path = scratch("missing").join("nope.json");
    let err = results::load(&path).unwrap_err();
    assert!(
        err.contains("nope.json") && err.contains(results::RECORD_COMMAND),
        "{err}"
    );
}

#[test]
fn an_empty_results_directory_says_how_to_record() {
    let dir = scratch("empty");
    let err = results::records(&dir).unwrap_err();
    assert!(err.contains(results::RECORD_COMMAND), "{err}");
}

#[test]
fn filtered_quick_and_incomplete_runs_are_never_recorded() {
    let err = results::save(&run(Some("with_capacity/"), false)).unwrap_err();
    assert!(err.contains("filtered"), "{err}");
    let err = results::save(&run(None, true)).unwrap_err();
    assert!(err.contains("quick"), "{err}");
    let err = results::save(&run(None, false)).unwrap_err();
    assert!(
        err.contains("incomplete") && err.contains("with_capacity/bad/10"),
        "{err}"
    );
}

// Charts, the generated results, the README section and compare, on
// synthetic records in a scratch root, so the repository's results/ is never
// touched.

mod generated {
    use std::collections::BTreeMap;
    use std::path::Path;

    use perf_hints::model::{Estimate, HintRun, Machine, Row, Run, SCHEMA, VariantFigures};
    use perf_hints::publish::compare::{self, Moved};
    use perf_hints::publish::records as results;
    use perf_hints::publish::report::{self, README_END, README_START, REPORT_COMMAND};

    use super::scratch;

    fn est(point: f64, spread: f64) -> Estimate {
        Estimate {
            point,
            lo: point * (1.0 - spread),
            hi: point * (1.0 + spread),
        }
    }

    fn variant(name: &str, ns: f64, spread: f64) -> VariantFigures {
        VariantFigures {
            name: name.into(),
            time: Some(est(ns, spread)),
            ..VariantFigures::default()
        }
    }

    /// `with_capacity` at its sizes with `good` `speedup` times faster than
    /// `bad` everywhere, intervals ±`spread`.
    fn with_capacity(speedup: f64, spread: f64) -> HintRun {
        let rows = [10, 1000, 100_000, 1_000_000]
            .into_iter()
            .map(|size| {
                let bad = size as f64 * 2.0;
                let v = |name: &str, t: f64| variant(name, t, spread);
                Row::new(
                    size.to_string(),
                    vec![
                        v("bad", bad),
                        v("good", bad / speedup),
                        v("collect", bad / 3.0),
                    ],
                )
            })
            .collect();
        HintRun {
            id: "with_capacity".into(),
            size_label: "n".into(),
            claim: "one allocation instead of ~log2(n) reallocations".into(),
            layout: Vec::new(),
            rows,
        }
    }

    fn run(started: &str, cpu: &str, hints: Vec<HintRun>) -> Run {
        Run {
            schema: SCHEMA,
            started: started.into(),
            command: "PERF_HINTS_RECORD=1 cargo bench".into(),
            filter: None,
            quick: false,
            seconds: 10.0,
            machine: Machine {
                cpu: cpu.into(),
                cores: 2,
                os: "Linux".into(),
                rustc: "rustc 1.95.0".into(),
                git_revision: "abc".into(),
                ..Machine::default()
            },
            method: None,
            noise: None,
            costs: Vec::new(),
            origin: None,
            hints,
            disassembly: Vec::new(),
        }
    }

    /// A repository root with a README that has the markers and the given records.
    fn root(name: &str, records: &[(&str, &Run)]) -> std::path::PathBuf {
        let dir = scratch(name);
        std::fs::write(
            dir.join("README.md"),
            format!("# x\n\nbefore\n\n{README_START}\nold section\n{README_END}\n\nafter\n"),
        )
        .unwrap();
        let rec = dir.join("results/records");
        std::fs::create_dir_all(&rec).unwrap();
        for (file, r) in records {
            std::fs::write(rec.join(file), serde_json::to_string(r).unwrap()).unwrap();
        }
        dir
    }

    /// A root with one record of `with_capacity` at `speedup`, reported.
    fn reported(name: &str, speedup: f64) -> std::path::PathBuf {
        let r = run(
            "2026-01-01T00:00:00Z",
            "cpu",
            vec![with_capacity(speedup, 0.05)],
        );
        let dir = root(name, &[("2026-01-01T00-00-00Z-abc.json", &r)]);
        report::report_at(&dir, false).unwrap();
        dir
    }

    fn read(root: &Path, rel: &str) -> String {
        std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn records(root: &Path) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(root.join("results/records"))
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn report_writes_charts_pages_and_the_readme_section_then_check_passes() {
        let dir = reported("report-writes", 2.0);
        let before = records(&dir);
        assert_eq!(before.len(), 1, "report never adds a record");

        let svg = read(&dir, "results/charts/with_capacity.svg");
        assert!(svg.starts_with("<!-- generated by"), "{}", &svg[..80]);
        assert!(svg.contains("<svg") && svg.contains("font-family=\"sans-serif\""));
        assert!(svg.contains("collect") && svg.contains("below 1x"));
        // An XML comment may not contain "--": the first line must stay valid.
        let first = svg.lines().next().unwrap();
        assert!(!first[4..first.len() - 3].contains("--"), "{first}");
        let overview = read(&dir, "results/charts/overview.svg");
        assert!(overview.contains("with_capacity") && overview.contains("not in this record"));

        let page = read(&dir, "results/hints/with_capacity.md");
        assert!(page.contains("](../charts/with_capacity.svg)"), "{page}");
        assert!(page.contains("| 1000000 "), "{page}");
        // A listed hint the record lacks gets a placeholder saying how to measure it.
        let dedup = read(&dir, "results/hints/dedup.md");
        assert!(dedup.contains("cargo bench -- dedup/"), "{dedup}");
        let doc = read(&dir, "results/rustdoc/with_capacity.md");
        assert!(
            !doc.contains("!["),
            "rustdoc fragments carry no image: {doc}"
        );

        let published = read(&dir, "results/README.md");
        assert!(published.contains("(charts/with_capacity.svg)"));
        assert!(published.contains("(charts/overview.svg)"));
        let readme = read(&dir, "README.md");
        assert!(readme.starts_with("# x\n\nbefore\n\n<!-- results:start -->"));
        assert!(readme.ends_with("<!-- results:end -->\n\nafter\n"));
        assert!(!readme.contains("old section"));
        assert!(readme.contains("(results/charts/overview.svg)"));
        assert!(readme.contains("[`with_capacity`](results/hints/with_capacity.md)"));
        // The catalogue: the sources' claim's verdict and good's speedup range.
        assert!(readme.contains("| holds "), "{readme}");
        assert!(readme.contains("| 2.0x – 2.0x "), "{readme}");

        let ok = report::report_at(&dir, true).unwrap();
        assert!(ok[0].contains("match"), "{ok:?}");
        report::report_at(&dir, false).unwrap();
        assert_eq!(records(&dir), before, "report never writes a record");
    }

    #[test]
    fn the_same_record_renders_byte_identical_files() {
        let r = run("2026-01-01T00:00:00Z", "cpu", vec![with_capacity(1.5, 0.1)]);
        let dir = root("deterministic", &[("2026-01-01T00-00-00Z-abc.json", &r)]);
        let a = report::render_all(&dir).unwrap();
        let b = report::render_all(&dir).unwrap();
        assert_eq!(a, b);
        assert!(a.contains_key("results/charts/with_capacity.svg"));
    }

    #[test]
    fn check_fails_on_an_edited_chart_a_stale_file_and_missing_markers() {
        let dir = reported("check-fails", 2.0);

        let chart = dir.join("results/charts/with_capacity.svg");
        std::fs::write(&chart, "<svg/>").unwrap();
        let err = report::report_at(&dir, true).unwrap_err();
        assert!(
            err.contains("results/charts/with_capacity.svg does not match")
                && err.contains(REPORT_COMMAND),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(&chart).unwrap(),
            "<svg/>",
            "--check writes nothing"
        );

        let stale = dir.join("results/hints/removed_hint.md");
        std::fs::write(&stale, "old").unwrap();
        let err = report::report_at(&dir, true).unwrap_err();
        assert!(
            err.contains("results/hints/removed_hint.md is stale"),
            "{err}"
        );

        let done = report::report_at(&dir, false).unwrap();
        assert!(
            done.iter()
                .any(|l| l.contains("removed results/hints/removed_hint.md"))
        );
        assert!(!stale.exists());
        report::report_at(&dir, true).unwrap();

        std::fs::write(dir.join("README.md"), "# no markers\n").unwrap();
        let err = report::report_at(&dir, true).unwrap_err();
        assert!(
            err.contains(README_START) && err.contains("README.md"),
            "{err}"
        );
    }

    #[test]
    fn a_readme_section_out_of_date_fails_the_check() {
        let dir = reported("readme-stale", 2.0);
        // A newer record arrives without a report: everything is stale.
        let new = run(
            "2026-01-02T00:00:00Z",
            "cpu",
            vec![with_capacity(3.0, 0.05)],
        );
        std::fs::write(
            dir.join("results/records/2026-01-02T00-00-00Z-def.json"),
            serde_json::to_string(&new).unwrap(),
        )
        .unwrap();
        let err = report::report_at(&dir, true).unwrap_err();
        assert!(err.contains("README.md does not match"), "{err}");
        report::report_at(&dir, false).unwrap();
        assert!(read(&dir, "README.md").contains("| 3.0x – 3.0x "));
    }

    #[test]
    fn a_thread_hint_gets_one_line_per_thread_count() {
        use perf_hints::model::{Param, Point};
        use perf_hints::support::threads::{Rounds, Threads};
        let sizes: Vec<Threads<Rounds>> = [1, 2]
            .into_iter()
            .flat_map(|t| [1, 100, 9_999].map(|x| Threads::new(t, x)))
            .collect();
        let rows = sizes
            .iter()
            .map(|p| {
                let work = 1000.0 * p.x as f64;
                Row::new(
                    p.key(),
                    vec![
                        variant("bad", work, 0.05),
                        variant("good", work / p.threads as f64 + 5e4, 0.05),
                    ],
                )
            })
            .collect();
        let h = HintRun {
            id: "some_pool".into(),
            size_label: "iters/item".into(),
            claim: "c".into(),
            layout: Vec::new(),
            rows,
        };
        let point = |key: &str| Point::of(&Threads::<Rounds>::parse(key).unwrap());
        let svg = perf_hints::publish::chart::hint_svg_with(&h, &point).unwrap();
        assert!(
            svg.contains("1 thread\n") && svg.contains("2 threads\n"),
            "{svg}"
        );
        assert!(svg.contains("one line each"));
        // Ticks show the sizes' tick texts.
        assert!(svg.contains(">9999<") || svg.contains("9999\n"), "{svg}");
        std::fs::write(
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("grid-chart.svg"),
            &svg,
        )
        .unwrap();
    }

    #[test]
    fn compare_flags_what_moved_beyond_the_spread() {
        let mut moved = with_capacity(2.0, 0.05);
        moved.rows[0].variants[1].time = Some(est(20.0 / 4.0, 0.05)); // 4x at n = 10
        let old = run(
            "2026-01-01T00:00:00Z",
            "cpu A",
            vec![with_capacity(2.0, 0.05)],
        );
        let new = run("2026-01-02T00:00:00Z", "cpu B", vec![moved]);
        let lines = compare::lines(&old, &new);
        let at = |size: usize, v: &str| {
            lines
                .iter()
                .find(|l| l.size == size.to_string() && l.variant == v)
                .unwrap()
                .moved
        };
        assert_eq!(at(10, "good"), Moved::Up);
        assert_eq!(at(1000, "good"), Moved::Noise);
        assert_eq!(at(10, "collect"), Moved::Noise);
        let md = compare::render(&old, &new, "a.json", "b.json", false);
        assert!(
            md.contains("**Different machines or toolchains** (cpu differ)"),
            "{md}"
        );
        assert!(
            md.contains("**moved up**") && md.contains("within noise"),
            "{md}"
        );
        assert!(
            md.contains("1 moved up, 0 moved down, 7 within noise"),
            "{md}"
        );
        let only = compare::render(&old, &new, "a.json", "b.json", true);
        assert!(
            only.contains("**moved up**") && !only.contains("| within noise"),
            "{only}"
        );
        assert_eq!(
            Moved::of(Some(est(1.0, 0.1)), Some(est(0.5, 0.1))),
            Some(Moved::Down)
        );
    }

    #[test]
    fn agreement_names_speedups_faster_in_one_record_and_slower_in_the_other() {
        let old = run(
            "2026-01-01T00:00:00Z",
            "cpu",
            vec![with_capacity(2.0, 0.01)],
        );
        let same = compare::agreement(&old, &old);
        assert!(same.opposite.is_empty());
        assert!(
            same.summary()
                .contains("No speedup is faster in one record and slower in the other"),
            "{}",
            same.summary()
        );
        // `good` flips from 2x to 0.5x at one size; `collect` stays 3x.
        let mut flipped = with_capacity(2.0, 0.01);
        flipped.rows[1].variants[1].time = Some(est(2000.0 * 2.0, 0.01));
        let new = run("2026-01-02T00:00:00Z", "cpu", vec![flipped]);
        let a = compare::agreement(&old, &new);
        let names: Vec<(&str, &str)> = a
            .opposite
            .iter()
            .map(|(id, size, v, _, _)| {
                assert_eq!(id, "with_capacity");
                (size.as_str(), v.as_str())
            })
            .collect();
        assert_eq!(names, [("1000", "good")]);
        // The verdict at 1000 changes, and neither record warned of it.
        assert_eq!(a.differ.len(), 1, "{:?}", a.differ);
        assert_eq!(a.warned(), 0);
        assert_eq!(a.unwarned.len(), 1);
        assert!(
            a.summary().contains("0 of the 1 changes"),
            "{}",
            a.summary()
        );
        // The same change where the new record's intervals are ±20 %: warned.
        let mut wide = with_capacity(2.0, 0.2);
        wide.rows[1].variants[1].time = Some(est(2000.0 * 2.0, 0.2));
        let noisy = run("2026-01-03T00:00:00Z", "cpu", vec![wide]);
        let b = compare::agreement(&old, &noisy);
        assert!(!b.differ.is_empty());
        assert_eq!(b.warned(), b.differ.len(), "{:?}", b.differ);
        assert!(b.unwarned.is_empty());
        assert!(
            a.summary()
                .contains("1 speedup is faster in one record and slower in the other"),
            "{}",
            a.summary()
        );
    }

    #[test]
    fn compare_handles_hints_and_sizes_in_one_record_only() {
        let mut fewer = with_capacity(2.0, 0.05);
        fewer.rows.pop();
        let old = run("2026-01-01T00:00:00Z", "cpu", vec![fewer]);
        let mut other = with_capacity(2.0, 0.05);
        other.id = "dedup".into();
        let new = run(
            "2026-01-02T00:00:00Z",
            "cpu",
            vec![with_capacity(2.0, 0.05), other],
        );
        let lines = compare::lines(&old, &new);
        assert!(
            lines
                .iter()
                .any(|l| l.size == "1000000" && l.moved == Moved::OnlyNew)
        );
        assert!(
            lines
                .iter()
                .any(|l| l.id == "dedup" && l.moved == Moved::OnlyNew)
        );
        let md = compare::render(&old, &new, "a", "b", false);
        assert!(md.contains("Hints only in new: `dedup`"), "{md}");
        assert!(md.contains("Same machine description"), "{md}");
        let back = compare::render(&new, &old, "b", "a", false);
        assert!(back.contains("Hints only in old: `dedup`"), "{back}");
    }

    #[test]
    fn compare_defaults_to_the_two_newest_records_and_names_bad_files() {
        let a = run(
            "2026-01-01T00:00:00Z",
            "cpu",
            vec![with_capacity(2.0, 0.05)],
        );
        let b = run(
            "2026-01-02T00:00:00Z",
            "cpu",
            vec![with_capacity(2.1, 0.05)],
        );
        let dir = root("compare-default", &[("2026-01-01T00-00-00Z-a.json", &a)]);
        let err = compare::run(&dir, None, false).unwrap_err();
        assert!(err.contains(results::RECORD_COMMAND), "{err}");
        std::fs::write(
            dir.join("results/records/2026-01-02T00-00-00Z-b.json"),
            serde_json::to_string(&b).unwrap(),
        )
        .unwrap();
        let md = compare::run(&dir, None, false).unwrap();
        assert!(
            md.contains("old: `results/records/2026-01-01T00-00-00Z-a.json`")
                && md.contains("new: `results/records/2026-01-02T00-00-00Z-b.json`"),
            "{md}"
        );
        // A record named by its file name, and a corrupt one named in the error.
        compare::run(
            &dir,
            Some(("2026-01-02T00-00-00Z-b.json", "2026-01-01T00-00-00Z-a.json")),
            false,
        )
        .unwrap();
        let bad = dir.join("broken.json");
        std::fs::write(&bad, "{").unwrap();
        let err = compare::run(
            &dir,
            Some((bad.to_str().unwrap(), "2026-01-01T00-00-00Z-a.json")),
            false,
        )
        .unwrap_err();
        assert!(
            err.contains("broken.json") && err.contains(results::RECORD_COMMAND),
            "{err}"
        );
    }
}

/// Every listed hint's chart, drawn from its own sizes: within each line the
/// x positions follow the order of the sizes, and the legend names differ.
#[test]
fn every_chart_orders_its_lines_by_size_and_names_them_apart() {
    for e in perf_hints::hints::all() {
        let keys: Vec<String> = e.sizes().into_iter().map(|p| p.key).collect();
        let lines = perf_hints::publish::chart::lines(e.id(), &keys);
        let mut names: Vec<&str> = lines.iter().map(|(n, _)| n.as_str()).collect();
        for (name, xs) in &lines {
            assert!(
                xs.windows(2).all(|w| w[0] < w[1]),
                "{}: line {name:?} has x positions {xs:?} out of size order",
                e.id()
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            lines.len(),
            "{}: legend names repeat: {lines:?}",
            e.id()
        );
    }
}
