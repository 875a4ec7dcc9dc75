//! The validation gate's checks on synthetic figures: a failure names the
//! hint, variant, size, figure and expectation; work that does not grow is caught.

use perf_hints::judge::expect::{self, Figure, Growth, Sizes};
use perf_hints::measure::alloc_count::AllocCounts;
use perf_hints::measure::callgrind;
use perf_hints::model::CgCounts;
use perf_hints::model::{HintRun, Row, VariantFigures};

fn figures(name: &str, allocs: u64, instructions: u64) -> VariantFigures {
    VariantFigures {
        name: name.into(),
        allocs: Some(AllocCounts {
            allocs,
            ..AllocCounts::default()
        }),
        cg: Some(CgCounts {
            instructions,
            ..CgCounts::default()
        }),
        ..VariantFigures::default()
    }
}

fn run(rows: &[(usize, u64, u64, u64, u64)]) -> HintRun {
    HintRun {
        id: "demo".into(),
        size_label: "n".into(),
        claim: String::new(),
        layout: vec![("Small".into(), 8), ("Big".into(), 16)],
        rows: rows
            .iter()
            .map(|&(size, ba, bi, ga, gi)| {
                Row::new(
                    size.to_string(),
                    vec![figures("bad", ba, bi), figures("good", ga, gi)],
                )
            })
            .collect(),
    }
}

#[test]
fn passing_expectations_report_nothing() {
    let r = run(&[(10, 3, 1_000, 1, 500), (1_000, 9, 100_000, 1, 50_000)]);
    let fails = expect::check(
        &r,
        &[
            expect::exactly(Figure::Allocs, "good", |_: usize| 1),
            expect::fewer_by(Figure::Instructions, "good", "bad", 2.0),
            expect::smaller_layout("Small", "Big"),
            expect::grows(Figure::Instructions, Growth::Linear),
            expect::no_better(Figure::Allocs, "good", "bad", 0.1).at(Sizes::From(10)),
        ],
    );
    assert!(fails.is_empty(), "{fails:?}");
}

#[test]
fn a_failure_names_hint_variant_size_figure_and_expectation() {
    let r = run(&[(10, 3, 1_000, 2, 500)]);
    let fails = expect::check(&r, &[expect::exactly(Figure::Allocs, "good", |_: usize| 1)]);
    assert_eq!(fails, ["demo/good/10: allocations 2, expected exactly 1"]);
    let fails = expect::check::<usize>(&r, &[expect::fewer(Figure::Instructions, "bad", "good")]);
    assert_eq!(
        fails,
        ["demo/bad/10: instructions 1,000, expected fewer than good's 500"]
    );
}

#[test]
fn work_that_does_not_grow_with_size_fails() {
    // `good` stays at 500 instructions whatever the size: deleted work.
    let r = run(&[(10, 3, 1_000, 1, 500), (1_000, 9, 100_000, 1, 500)]);
    let fails = expect::check::<usize>(&r, &[expect::grows(Figure::Instructions, Growth::Linear)]);
    assert_eq!(fails.len(), 2, "{fails:?}");
    assert!(fails[0].starts_with("demo/good/1000: instructions 500 is not above 500"));
    assert!(fails[1].contains("optimised away"), "{fails:?}");
}

#[test]
fn missing_figures_say_what_to_install() {
    let mut r = run(&[(10, 3, 1_000, 1, 500)]);
    r.rows[0].variants[1].cg = None;
    let fails = expect::check::<usize>(&r, &[expect::fewer(Figure::Instructions, "good", "bad")]);
    assert!(fails[0].contains("valgrind"), "{fails:?}");
}

#[test]
fn callgrind_output_is_parsed() {
    let text = "version: 1\nevents: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\nsummary: 100 40 20 1 5 6 1 2 3\n";
    let c = callgrind::parse(text).unwrap();
    assert_eq!(
        c,
        CgCounts {
            instructions: 100,
            d1_misses: Some(11),
            ll_misses: Some(5),
            mispredicts: None,
        }
    );
    let c = callgrind::parse("events: Ir\ntotals: 42\n").unwrap();
    assert_eq!((c.instructions, c.d1_misses), (42, None));
    // With --branch-sim=yes: conditional and indirect mispredictions.
    let c = callgrind::parse("events: Ir Bc Bcm Bi Bim\nsummary: 100 30 7 4 2\n").unwrap();
    assert_eq!(
        (c.instructions, c.d1_misses, c.mispredicts),
        (100, None, Some(9))
    );
}
