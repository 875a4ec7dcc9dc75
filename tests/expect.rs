//! The validation gate's checks on synthetic figures: a failure names the
//! hint, variant, size, figure and expectation; work that does not grow is caught.

use perf_hints::judge::expect::{self, Figure, Growth, Sizes};
use perf_hints::measure::alloc_count::AllocCounts;
use perf_hints::measure::callgrind;
use perf_hints::model::CallgrindCounts;
use perf_hints::model::{HintRun, Row, VariantFigures};

fn figures(name: &str, allocs: u64, instructions: u64) -> VariantFigures {
    VariantFigures {
        name: name.into(),
        allocs: Some(AllocCounts {
            allocs,
            ..AllocCounts::default()
        }),
        cg: Some(CallgrindCounts {
            instructions,
            ..CallgrindCounts::default()
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
        CallgrindCounts {
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

/// Rows of `(n, bad's peak bytes, good's peak bytes)`.
fn peaks(rows: &[(usize, Option<u64>, Option<u64>)]) -> HintRun {
    let mut r = run(&rows
        .iter()
        .map(|&(n, ..)| (n, 1, 1, 1, 1))
        .collect::<Vec<_>>());
    for (row, &(_, bad, good)) in r.rows.iter_mut().zip(rows) {
        for (v, peak) in row.variants.iter_mut().zip([bad, good]) {
            v.allocs.as_mut().unwrap().peak_bytes = peak;
        }
    }
    r
}

/// "bad's peak grows with n, good's is constant": holds on a streaming
/// `good`, and each half fails on its own mutation.
#[test]
fn peak_bytes_expectations_hold_and_each_can_fail() {
    let declared = [
        expect::exactly(Figure::PeakBytes, "good", |_: usize| 0),
        expect::grows_in(Figure::PeakBytes, "bad", Growth::Linear),
        expect::fewer(Figure::PeakBytes, "good", "bad"),
    ];
    let ok = peaks(&[(10, Some(240), Some(0)), (1_000, Some(24_000), Some(0))]);
    let fails = expect::check(&ok, &declared);
    assert!(fails.is_empty(), "{fails:?}");

    // `good` collects after all: its peak is not 0, and grows.
    let collects = peaks(&[
        (10, Some(240), Some(80)),
        (1_000, Some(24_000), Some(8_000)),
    ]);
    let fails = expect::check(&collects, &declared[..1]);
    assert_eq!(
        fails,
        [
            "demo/good/10: peak bytes 80, expected exactly 0",
            "demo/good/1000: peak bytes 8,000, expected exactly 0"
        ]
    );
    // `bad` streams too: a constant peak does not grow with n, nor is
    // `good`'s below it.
    let streams = peaks(&[(10, Some(0), Some(0)), (1_000, Some(0), Some(0))]);
    let fails = expect::check(&streams, &declared[1..2]);
    assert_eq!(fails.len(), 2, "{fails:?}");
    assert!(
        fails[0].starts_with("demo/bad/1000: peak bytes 0 is not above 0 at size 10"),
        "{fails:?}"
    );
    assert!(fails[0].contains("memory held at once"), "{fails:?}");
    assert!(fails[1].contains("grew 0.0x"), "{fails:?}");
    assert_eq!(expect::check(&streams, &declared[2..]).len(), 2);
    // Grows far less than linearly (a fixed buffer plus a little).
    let sublinear = peaks(&[(10, Some(8_192), Some(0)), (1_000, Some(8_400), Some(0))]);
    let fails = expect::check(&sublinear, &declared[1..2]);
    assert_eq!(fails.len(), 1, "{fails:?}");
    assert!(fails[0].contains("expected at least 25.0x"), "{fails:?}");
    // `grows_in` names one variant: `good`'s constant peak is not its business.
    assert!(expect::check(&ok, &declared[1..2]).is_empty());
    assert_eq!(
        expect::check::<usize>(&ok, &[expect::grows(Figure::PeakBytes, Growth::Linear)]).len(),
        2
    );
}

#[test]
fn a_record_without_peak_bytes_says_why() {
    let old = peaks(&[(10, None, None)]);
    let fails = expect::check(
        &old,
        &[expect::exactly(Figure::PeakBytes, "good", |_: usize| 0)],
    );
    assert_eq!(fails.len(), 1);
    assert!(
        fails[0].starts_with("demo/good/10: peak bytes not measured"),
        "{fails:?}"
    );
    assert!(fails[0].contains("records made before"), "{fails:?}");
}
